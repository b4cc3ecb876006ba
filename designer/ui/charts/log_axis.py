"""Ticks on a log axis, as the per-block chart and the workshop's compare charts draw them:
powers of ten are the major ticks and always labelled (every decade, or every n-th when the
axis is too short for all), 2 and 5 × 10^k are minor ticks, drawn shorter and labelled only
while pyqtgraph finds room for them. Where the ticks go is core's
(:func:`~designer.core.chart_text.log_tick_levels`); this measures the room."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from designer.core.chart_text import log_tick_levels, tick_text

LABEL_SPACING = 1.5
"""A labelled power of ten takes this many label sizes along the axis (a line on a vertical
axis, the widest label on a horizontal one)."""


def set_log_ticks(axis: pg.AxisItem, length: float, lo: float, hi: float, unit: str = "",
                  extra: list[tuple[float, str]] = ()) -> None:
    """Give ``axis`` (``length`` pixels long) the ticks from log10 values ``lo`` to ``hi``
    in ``unit``, and ``extra`` major ticks (the scatter's "0" at its floor); only when they
    changed, since new ticks lay the axis out again."""
    metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
    if axis.orientation in ("left", "right"):
        size = metrics.height()
    else:
        size = max(metrics.horizontalAdvance(tick_text(10.0 ** k, unit))
                   for k in (int(lo), int(hi)))
    room = max(2, int(length / (LABEL_SPACING * size)))
    majors, minors = log_tick_levels(lo, hi, unit, room)
    ticks = [majors + list(extra), minors]
    if ticks != axis._tickLevels:
        axis.setTicks(ticks)
