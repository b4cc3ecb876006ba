"""Diagram files: the design's layered drawing written as SVG or PNG, and its geometry as JSON.
One writer for the command line (``diagram``) and the app (File > Export diagram…). Qt is
imported only to render a PNG."""
from __future__ import annotations

import json
import os
from pathlib import Path

from designer.core.analysis import analyze
from designer.core.atomic import atomic_path, writable_target, write_atomically
from designer.core.design import Design
from designer.core.diagram import geometry, to_svg
from designer.core.groups import shown_collapsed
from designer.core.layout import design_drawing

SUFFIXES = (".svg", ".png")
MAX_PNG_PIXELS = 400_000_000


class DiagramError(Exception):
    """A diagram that cannot be written as asked (its message says why)."""


def write_diagram(design: Design, out: str | os.PathLike, json_out: str | os.PathLike | None = None,
                  png_scale: float = 2.0) -> None:
    """Write ``out`` (.svg or .png; groups saved as collapsed drawn collapsed) and, if asked,
    the geometry to ``json_out``, each with the product's one atomic writer. Raises
    DiagramError for a bad name, OSError if a file cannot be written (a FIFO, a device, a
    read-only file: refused before any drawing)."""
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise DiagramError(f"OUT must end in .svg or .png, got {str(out)!r}")
    for target in (out, json_out):
        if target is not None:
            writable_target(target)
    drawing = design_drawing(design, collapsed=shown_collapsed(design))
    svg = to_svg(design, analyze(design), drawing)
    if out.suffix.lower() == ".svg":
        write_atomically(out, svg)
    else:
        _write_png(svg, out, png_scale)
    if json_out is not None:
        write_atomically(json_out, json.dumps(geometry(design, drawing), indent=1) + "\n")


def _write_png(svg: str, out: Path, scale: float) -> None:
    """The SVG rendered at ``scale`` (sharp on a projector) by Qt's SVG renderer."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize() * scale
    if size.width() * size.height() > MAX_PNG_PIXELS:
        raise DiagramError("the diagram is too large for a PNG; write an SVG instead")
    image = QImage(size, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    with atomic_path(out) as tmp:
        if not image.save(str(tmp)):
            raise OSError(f"could not write {out}")
