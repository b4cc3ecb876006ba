"""Automatic layout: rows by depth along the longest path, branches side by side."""
from __future__ import annotations

from .design import INPUT, Design
from .graph import execution_order

ROW_HEIGHT = 110.0
COLUMN_WIDTH = 230.0


def auto_layout(design: Design) -> dict[str, tuple[float, float]]:
    """Positions for every node: the input sits at row 0, each node one row below its deepest
    input; nodes sharing a row are spread around the centre line."""
    order, cyclic = execution_order(design)
    depth: dict[str, int] = {INPUT: 0}
    sources: dict[str, list[str]] = {}
    for e in design.edges:
        sources.setdefault(e.dst, []).append(e.src)
    for nid in order + cyclic:
        depth[nid] = 1 + max((depth.get(s, 0) for s in sources.get(nid, [])), default=0)
    rows: dict[int, list[str]] = {}
    for nid in order + cyclic:
        rows.setdefault(depth[nid], []).append(nid)
    positions = {}
    for d, ids in rows.items():
        for i, nid in enumerate(ids):
            positions[nid] = ((i - (len(ids) - 1) / 2) * COLUMN_WIDTH, d * ROW_HEIGHT)
    return positions
