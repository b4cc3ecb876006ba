"""Wires for blocks placed by hand. The layered layout routes every wire beside the blocks; once
the user moves a block, the wires that touch it (or that now run under it) are routed again
here: a curve straight from port to port when it meets no other box, else down a free vertical
lane beside the boxes in the way. Wires nothing moved keep their layered route.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from .design import Design
from .layered import LANE, Box, Drawing, Wire, _curve, _straightened, segments_cross_box
from .layout import NODE_HEIGHT, NODE_WIDTH


def route_wire(a: Box, b: Box, obstacles: Sequence[Box]) -> tuple[tuple[float, float], ...]:
    """From the bottom centre of ``a`` to the top centre of ``b`` around ``obstacles``: the
    direct curve if it is clear, else the clear lane nearest the straight line (a lane is a
    vertical run beside a box in the way); the direct curve if no lane is clear."""
    start, end = (a.centre_x, a.bottom), (b.centre_x, b.y)
    direct = tuple(_curve(start, end))
    if start[1] > end[1] - 2 * LANE:
        direct = _around_back(a, b)
    blocking = crossed(direct, obstacles)
    if not blocking:
        return direct
    top, bottom = min(start[1], end[1]), max(start[1], end[1])
    near = [o for o in obstacles if o.y < bottom + LANE and o.bottom > top - LANE]
    middle = (start[0] + end[0]) / 2
    lanes = sorted({x for o in blocking for x in (o.x - LANE, o.x + o.width + LANE)} |
                   {x for o in near for x in (o.x - LANE, o.x + o.width + LANE)},
                   key=lambda x: abs(x - middle))
    for x in lanes[:40]:
        points = _via_lane(start, end, x)
        if not crossed(points, near):
            return points
    return direct


def crossed(points, boxes: Sequence[Box]) -> list[Box]:
    """The boxes the polyline enters (boxes clear of its bounding box are skipped cheaply)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return [o for o in boxes
            if o.x < right and o.x + o.width > left and o.y < bottom and o.bottom > top
            and segments_cross_box(points, o)]


def moved(box: Box, before: Box | None) -> bool:
    return before is None or any(abs(p - q) > 0.5 for p, q in zip(
        (box.x, box.y, box.width, box.height), (before.x, before.y, before.width, before.height)))


def _via_lane(start, end, x) -> tuple[tuple[float, float], ...]:
    """Down from ``start`` a little, across to lane ``x``, along it, and into ``end``."""
    (x0, y0), (x1, y1) = start, end
    if y1 >= y0 + 4 * LANE:
        points = (_curve(start, (x, y0 + 2 * LANE)) + [(x, y1 - 2 * LANE)]
                  + _curve((x, y1 - 2 * LANE), end)[1:])
    else:
        points = [start, (x0, y0 + LANE), (x, y0 + LANE), (x, y1 - LANE), (x1, y1 - LANE), end]
    return tuple(_straightened(points))


def _around_back(a: Box, b: Box) -> tuple[tuple[float, float], ...]:
    """A wire into a block above (or level with) its source: out of the bottom, round the
    source's right side, and into the target's top."""
    x = max(a.x + a.width, b.x + b.width) + LANE
    return ((a.centre_x, a.bottom), (a.centre_x, a.bottom + LANE), (x, a.bottom + LANE),
            (x, b.y - LANE), (b.centre_x, b.y - LANE), (b.centre_x, b.y))


def boxes_at(positions: dict[str, tuple[float, float]],
             heights: dict[str, float] | None = None) -> dict[str, Box]:
    """Boxes for positions given as (centre x, top y), as the design's layout stores them."""
    heights = heights or {}
    return {nid: Box(x - NODE_WIDTH / 2, y, NODE_WIDTH, heights.get(nid, NODE_HEIGHT))
            for nid, (x, y) in positions.items()}


def drawing_at(design: Design, boxes: dict[str, Box], reference: Drawing | None = None,
               owner: dict[str, str] | None = None) -> Drawing:
    """Wires for ``boxes`` where they stand: each edge of ``design`` (its ends mapped through
    ``owner``, block id -> collapsed group id) keeps its route in ``reference`` when neither
    end moved (by more than half a pixel) and no moved box now stands in its way, and is
    routed anew otherwise."""
    owner = owner or {}
    kept = {}
    if reference is not None:
        for w in reference.wires:
            kept.setdefault((w.src, w.dst, w.port), w)
    shifted = set(boxes) if reference is None else {
        nid for nid, box in boxes.items() if moved(box, reference.boxes.get(nid))}
    moved_boxes = [boxes[n] for n in shifted]
    index = _RowIndex(boxes)
    wires = []
    for e in design.edges:
        src, dst = owner.get(e.src, e.src), owner.get(e.dst, e.dst)
        if src == dst and (src, dst) != (e.src, e.dst):
            continue
        a, b = boxes.get(src), boxes.get(dst)
        if a is None or b is None:
            continue
        old = kept.get((src, dst, e.port))
        if (old is not None and src not in shifted and dst not in shifted
                and not crossed(old.points, moved_boxes)):
            wires.append(old)
            continue
        others = index.between(min(a.y, b.y) - LANE, max(a.bottom, b.bottom) + LANE, (src, dst))
        wires.append(Wire(src, dst, e.port, route_wire(a, b, others)))
    return Drawing(boxes, tuple(wires))


class _RowIndex:
    """Boxes sorted by top, to find those in a band of y quickly."""

    def __init__(self, boxes: dict[str, Box]):
        self.items = sorted(boxes.items(), key=lambda kv: kv[1].y)
        self.tops = [b.y for _, b in self.items]
        self.tallest = max((b.height for b in boxes.values()), default=0.0)

    def between(self, top: float, bottom: float, leave_out: tuple[str, ...]) -> list[Box]:
        lo = bisect_left(self.tops, top - self.tallest)
        hi = bisect_right(self.tops, bottom)
        return [b for nid, b in self.items[lo:hi] if b.bottom > top and nid not in leave_out]
