"""``diagram``: the design drawn as the canvas lays it out, to SVG or PNG, with its geometry as
JSON (every box and every wire's polyline) for tools that check or restyle it. Groups saved as
collapsed are drawn collapsed, as the app shows them."""
from __future__ import annotations

import json
from pathlib import Path

from designer.core.analysis import analyze
from designer.core.diagram import geometry, to_svg
from designer.core.groups import shown_collapsed
from designer.core.layout import design_drawing

from .common import CliError, add_design_args, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("diagram", help="draw the design's layered layout as SVG or PNG")
    add_design_args(p)
    p.add_argument("out", metavar="OUT.svg|OUT.png")
    p.add_argument("--json", metavar="OUT.json", help="also write the boxes and wire polylines")
    p.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".svg", ".png"):
        raise CliError(f"OUT must end in .svg or .png, got {args.out!r}")
    design = load_design(args.design, args)
    analysis = analyze(design)
    drawing = design_drawing(design, collapsed=shown_collapsed(design))
    svg = to_svg(design, analysis, drawing)
    if out.suffix.lower() == ".svg":
        out.write_text(svg, encoding="utf-8")
    else:
        _write_png(svg, out)
    if args.json:
        Path(args.json).write_text(json.dumps(geometry(design, drawing), indent=1) + "\n",
                                   encoding="utf-8")
    print(f"wrote {out}" + (f" and {args.json}" if args.json else ""))
    return 0


def _write_png(svg: str, out: Path, scale: float = 2.0) -> None:
    """The SVG rendered at ``scale`` (sharp on a projector) by Qt's SVG renderer."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize() * scale
    if size.width() * size.height() > 400_000_000:
        raise CliError("the diagram is too large for a PNG; write an SVG instead")
    image = QImage(size, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise CliError(f"could not write {out}")
