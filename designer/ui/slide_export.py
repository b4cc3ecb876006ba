"""Charts and tables for slides: any pyqtgraph chart as PNG (at its size, or wider) or SVG, and
tables as CSV and Markdown, so what the app shows and what the command line writes are the same
pictures. Also the projector style: large fonts and thick lines when ``presentation`` is on."""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtGui import QFont

INK = "#1d232a"
PALETTE = ["#4a78c2", "#d9822b", "#2e9d6e", "#8a5cc2", "#c2495e", "#3aa6a0", "#c9a227", "#5f6f7d"]


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def font(points: int) -> QFont:
    f = QFont()
    f.setPointSize(points)
    return f


def line_width(presentation: bool) -> int:
    return 5 if presentation else 2


def style_plot(plot: pg.PlotItem, presentation: bool) -> None:
    """Tick fonts, axis pens and title size for the screen or for a projector."""
    size = 16 if presentation else 10
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font(size))
        axis.setStyle(tickTextOffset=6)
        if name == "left":
            axis.setWidth(int(size * 5))
        else:
            axis.setHeight(int(size * 3.2))
        axis.setPen(pg.mkPen(INK, width=2 if presentation else 1))
        axis.setTextPen(INK)
        axis.label.setFont(font(size))
    plot.titleLabel.setText(plot.titleLabel.text, size=f"{size + 2}pt")


def save_chart(widget, path: str | Path, standalone: bool = False) -> Path:
    """PNG or SVG, by the file's extension; a ``standalone`` chart (made only to be saved) is
    shown for the export and closed after it."""
    from pyqtgraph import exporters

    from .app import application
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{path}: a chart is saved as .png or .svg")
    if standalone:
        widget.show()
    application().processEvents()
    if path.suffix.lower() == ".svg":
        _save_svg(widget, str(path))
    else:
        exporter = exporters.ImageExporter(widget.scene())
        exporter.parameters()["width"] = widget.width()
        exporter.export(str(path))
    if standalone:
        widget.close()
    return path


def _save_svg(widget, path: str) -> None:
    """Qt's own SVG generator (pyqtgraph's SVG exporter fails on this Qt's path data), at the
    widget's own resolution: at the generator's default 72 dpi the fonts, sized in points, and
    the layout disagree, and bars and labels land away from where the PNG shows them."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    size = widget.size()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setResolution(widget.logicalDpiX())
    generator.setTitle("ConvSketch chart")
    painter = QPainter(generator)
    widget.render(painter)
    painter.end()


def save_standalone(make_chart, path: str | Path) -> Path:
    """Draw a chart offscreen (a QApplication is made if none exists) and save it: what the
    command line's ``--png`` and ``--svg`` do."""
    from .app import application
    application()
    return save_chart(make_chart(), path, standalone=True)


def export_set(folder: str | Path, charts: dict, tables: dict) -> list[Path]:
    """Every chart (name -> widget) as PNG and SVG, every table (name -> (csv, markdown)) as
    CSV and Markdown, into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in charts.items():
        for ext in ("png", "svg"):
            written.append(save_chart(chart, folder / f"{name}.{ext}"))
    for name, (csv_text, md_text) in tables.items():
        (folder / f"{name}.csv").write_text(csv_text, encoding="utf-8")
        (folder / f"{name}.md").write_text(md_text, encoding="utf-8")
        written += [folder / f"{name}.csv", folder / f"{name}.md"]
    return written
