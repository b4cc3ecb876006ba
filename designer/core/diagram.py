"""The design drawn for papers and slides: the canvas's layered layout as SVG, and its geometry as
JSON that other tools can check (``python -m designer diagram``). Qt-free: a PNG is the SVG
rendered by the command line.

Box texts follow the canvas: the block's name, its kind and output shape, its parameters and
MACs; an invalid block is outlined red with its error, one waiting on it grey and hatched.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

import blocks
from blocks import fmt

from .analysis import Analysis
from .design import INPUT, Design
from .groups import GROUP_PREFIX, design_groups, group_cost
from .layered import Drawing
from .problems import problem_items
from .safe_text import safe_text
from .units import human

INPUT_COLOUR = "#444c56"
GROUP_COLOUR = "#56606b"
UNKNOWN_COLOUR = "#888888"
"""A kind no longer registered (a file from a newer version) still draws, in grey."""
ERROR_COLOUR = "#d32f2f"
WAITING_COLOUR = "#8a939c"
MARGIN = 24.0


def kind_colour(kind: str) -> str:
    """The '#rrggbb' a block kind declared at registration (``blocks.register``), for the
    canvas, the charts and diagrams alike."""
    if kind == INPUT:
        return INPUT_COLOUR
    if kind == "group":
        return GROUP_COLOUR
    cls = blocks.BLOCKS.get(kind)
    return cls.colour if cls is not None else UNKNOWN_COLOUR


def geometry(design: Design, drawing: Drawing) -> dict:
    """The drawing as JSON: nodes with their box (top-left origin, scene pixels) and edges with
    their polyline, for every box and wire drawn."""
    def name(nid: str) -> str:
        node = design.nodes.get(nid)
        return node.name if node is not None else nid

    return {
        "nodes": [{"id": nid, "name": name(nid), "x": round(b.x, 2), "y": round(b.y, 2),
                   "width": b.width, "height": b.height} for nid, b in drawing.boxes.items()],
        "edges": [{"from": w.src, "to": w.dst, "port": w.port,
                   "points": [[round(x, 2), round(y, 2)] for x, y in w.points]}
                  for w in drawing.wires],
    }


def box_texts(design: Design, analysis: Analysis, nid: str) -> tuple[str, str, str, str | None]:
    """(title, subtitle, badge, error) of a box: the canvas's texts for one node or for a
    collapsed group (``group:NAME``: its members' summed cost)."""
    if nid.startswith(GROUP_PREFIX) and nid not in design.nodes:
        group = design_groups(design).get(nid[len(GROUP_PREFIX):])
        if group is None:
            return nid, "group", "", None
        cost = group_cost(group, analysis)
        left_out = f" · {cost.invalid} not counted" if cost.invalid else ""
        return (f"▸ {group.name}", f"group of {cost.blocks} blocks{left_out}",
                f"{human(cost.params)} params · {human(cost.macs)} MACs", None)
    if nid == INPUT:
        return "input", f"image → {fmt(analysis.input_shape)}", f"ρ = {design.rho:.3g}", None
    cost = next((b for b in analysis.blocks if b.node_id == nid), None)
    node = design.nodes[nid]
    if cost is None:
        return node.name, node.kind, "", "not analysed"
    if not cost.ok:
        badge = f"not counted · output {fmt(cost.output_shape)}" if cost.output_shape else ""
        return cost.name, cost.kind, badge, cost.error
    return (cost.name, f"{cost.kind} → {fmt(cost.output_shape)}",
            f"{human(cost.params)} params · {human(cost.macs)} MACs", None)


def _fit(text: str, points: float, width: float) -> tuple[str, float]:
    """Text and size that fit ``width`` pixels: shrunk down to 7.5 points, then cut (an average
    glyph taken as 0.6 em), as the canvas fits its texts."""
    while len(text) * points * 1.333 * 0.6 > width and points > 7.5:
        points -= 0.5
    most = max(1, int(width / (points * 1.333 * 0.6)))
    return (text if len(text) <= most else text[:most - 1] + "…"), points


def to_svg(design: Design, analysis: Analysis, drawing: Drawing) -> str:
    """The drawing as an SVG document; each box's tooltip holds its texts whole, and an
    invalid block's its problem with the inputs it saw."""
    items = problem_items(design, analysis)
    waiting = {i.node_id: ", ".join(i.waiting_on) for i in items if not i.root}
    whole = {i.node_id: i.text for i in items if i.root and i.node_id}
    left, top, right, bottom = drawing.bounds
    width, height = right - left + 2 * MARGIN, bottom - top + 2 * MARGIN
    dx, dy = MARGIN - left, MARGIN - top
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">'),
           ('<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#d5dadf" '
            'stroke-width="3"/></pattern>'
            '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6b7785"/>'
            '</marker></defs>'),
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    for w in drawing.wires:
        d = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for x, y in w.points)
        out.append(f'<polyline points="{d}" fill="none" stroke="#6b7785" stroke-width="1.6" '
                   f'marker-end="url(#arrow)"/>')
    for nid, b in drawing.boxes.items():
        x, y = b.x + dx, b.y + dy
        title, subtitle, badge, error = box_texts(design, analysis, nid)
        kind = (INPUT if nid == INPUT else design.nodes[nid].kind if nid in design.nodes
                else "group")
        if nid in waiting:
            error = None
            subtitle = f"waiting on {waiting[nid]}"
        fill = "url(#hatch)" if nid in waiting else "#ffffff"
        stroke = ERROR_COLOUR if error else WAITING_COLOUR if nid in waiting else "#5b6670"
        tip = "\n".join(t for t in (title, whole.get(nid) or subtitle, badge) if t)
        out.append(f'<g><title>{escape(safe_text(tip))}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{b.width:.0f}" '
                   f'height="{b.height:.0f}" rx="8" fill="#ffffff"/>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{b.width:.0f}" height="{b.height:.0f}" '
                   f'rx="8" fill="{fill}" stroke="{stroke}" '
                   f'stroke-width="{2.5 if error else 1.2}"/>'
                   f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="7" height="{b.height - 2:.0f}" '
                   f'rx="3" fill="{kind_colour(kind)}"/>')
        lines = [(title, 10.5, "bold", "#1d232a", 20),
                 ("⚠ " + error if error else subtitle, 9, "normal",
                  ERROR_COLOUR if error else "#3b444d", 41),
                 (badge, 9, "normal", "#5b6670", 61)]
        for text, points, weight, colour, baseline in lines:
            if text:
                cut, points = _fit(safe_text(text), points, b.width - 26)
                shown = escape(cut)
                out.append(f'<text x="{x + 16:.1f}" y="{y + baseline:.1f}" '
                           f'font-size="{points * 1.333:.1f}" font-weight="{weight}" '
                           f'fill="{colour}">{shown}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
