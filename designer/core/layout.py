"""The design's drawing: one size rule for a block's box (so the canvas, the diagram export and
the layout agree) and the layered layout of :mod:`designer.core.layered` applied to a design.

A design's stored layout holds each block's position as (centre x, top y): that is what the
canvas places and what ``auto_layout`` returns. Collapsed groups (:mod:`designer.core.groups`)
are drawn as one box standing for their members; wires into and out of a group end at its box.
"""
from __future__ import annotations

from collections.abc import Iterable

from .design import INPUT, Design
from .layered import Drawing, layered_layout

NODE_WIDTH = 210.0
NODE_HEIGHT = 74.0
LAYER_ROW = 16.0
LAYER_PAD = 6.0


def node_size(layer_lines: int = 0, expanded: bool = False) -> tuple[float, float]:
    """A block's box: fixed width; taller by one row per layer line when its layers are shown."""
    extra = layer_lines * LAYER_ROW + LAYER_PAD if expanded and layer_lines else 0.0
    return NODE_WIDTH, NODE_HEIGHT + extra


def design_drawing(design: Design, heights: dict[str, float] | None = None,
                   collapsed: dict[str, Iterable[str]] | None = None) -> Drawing:
    """The layered drawing of ``design``: a box for the image input (``input``), for every
    block and for every collapsed group (``collapsed``: group id -> its member ids, whose own
    boxes are left out), and a wire for every edge not inside one collapsed group. ``heights``
    overrides the height of boxes (expanded blocks)."""
    heights = heights or {}
    owner: dict[str, str] = {}
    for group, members in (collapsed or {}).items():
        for m in members:
            owner.setdefault(m, group)
    sizes: dict[str, tuple[float, float]] = {INPUT: node_size()}
    for nid in design.nodes:
        shown = owner.get(nid, nid)
        if shown not in sizes:
            sizes[shown] = (NODE_WIDTH, heights.get(shown, NODE_HEIGHT))
    edges = []
    for e in design.edges:
        src, dst = owner.get(e.src, e.src), owner.get(e.dst, e.dst)
        if src == dst and (src, dst) != (e.src, e.dst):
            continue
        edges.append((src, dst, e.port))
    return layered_layout(sizes, edges)


def auto_layout(design: Design) -> dict[str, tuple[float, float]]:
    """Positions (centre x, top y) for the input and every block, from the layered layout,
    to a tenth of a pixel (files stay readable)."""
    boxes = design_drawing(design).boxes
    return {nid: (round(box.centre_x, 1), round(box.y, 1)) for nid, box in boxes.items()}
