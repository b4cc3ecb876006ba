"""The workshop tabs (Compare, Sweep, Block kinds), what they share, their charts and the
slide-sized export of those charts."""
