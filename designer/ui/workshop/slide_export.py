"""Charts and tables for slides: any pyqtgraph chart as PNG (at its size, or wider) or SVG, and
tables as CSV and Markdown, so what the app shows and what the command line writes are the same
pictures. Also the projector style: large fonts and thick lines when ``presentation`` is on."""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption

from designer.core.atomic import atomic_path, write_atomically

from ..charts.axis_room import fit_axis
from ..charts.plot_menu import without_plot_options
from ..style import INK, PAPER, font


def line_width(presentation: bool) -> int:
    return 5 if presentation else 2


def style_plot(plot: pg.PlotItem, presentation: bool) -> None:
    """Tick fonts, axis pens and title size for the screen or for a projector; each axis as
    wide (or tall) as its labels and title need in those fonts (``fit_axis``: a ``RoomyAxis``
    keeps fitting itself as its ticks and range change); no pyqtgraph Plot Options menu."""
    without_plot_options(plot)
    size = 16 if presentation else 10
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font(size, scaled=False))
        axis.setStyle(tickTextOffset=6)
        axis.setPen(pg.mkPen(INK, width=2 if presentation else 1))
        axis.setTextPen(INK)
        axis.label.setFont(font(size, scaled=False))
        fit_axis(axis)
    plot.titleLabel.setText(plot.titleLabel.text, size=f"{size + 2}pt")


class FittingChart(pg.GraphicsLayoutWidget):
    """A chart whose long labels (a key, formulas, a title) wrap to the chart's width: an
    unwrapped label is as wide as its text, widens the layout past the view, and the view cuts
    the right-hand panels off. Presentation mode only enlarges fonts and lines; the layout
    fits the tab it sits in."""

    def __init__(self):
        pg.setConfigOptions(background=PAPER, foreground=INK)
        self.wrapped: list[pg.LabelItem] = []
        self.titled: list[pg.PlotItem] = []
        super().__init__()

    def add_wrapped_label(self, text: str, row: int, col: int, colspan: int = 1,
                          justify: str = "center", **style) -> pg.LabelItem:
        label = self.addLabel(text, row=row, col=col, colspan=colspan, justify=justify, **style)
        _wrapping(label, justify)
        self.wrapped.append(label)
        self._wrap()
        return label

    def wrap_titles(self, plots: list[pg.PlotItem], columns: int) -> None:
        """Plot titles side by side share the width: a long title ("Latency, torch CPU (ms)")
        at projector size takes two lines rather than widening its panel."""
        for plot in plots:
            _wrapping(plot.titleLabel, "center")
        self.titled, self.columns = list(plots), columns
        self._wrap()

    def resizeEvent(self, event) -> None:
        self._wrap()
        super().resizeEvent(event)

    def close(self) -> bool:
        self.wrapped, self.titled = [], []  # pyqtgraph's close deletes them, then resizes
        return super().close()

    def _wrap(self) -> None:
        width = max(200, self.viewport().width() - 24)
        for label in self.wrapped:
            label.item.setTextWidth(width)
            label.updateMin()
        if not self.titled:
            return
        share = width / self.columns
        height = 0.0
        for plot in self.titled:
            title = plot.titleLabel
            title.item.setTextWidth(max(60.0, share - plot.getAxis("left").width() - 16))
            title.updateMin()
            height = max(height, title.itemRect().height())
        for plot in self.titled:
            plot.titleLabel.setMaximumHeight(height)
            plot.layout.setRowFixedHeight(0, height)


def _wrapping(label: pg.LabelItem, justify: str) -> None:
    option = QTextOption(Qt.AlignHCenter if justify == "center" else Qt.AlignLeft)
    option.setWrapMode(QTextOption.WordWrap)
    label.item.document().setDefaultTextOption(option)


def save_chart(widget, path: str | Path) -> Path:
    """PNG or SVG, by the file's extension, of a chart as it is drawn now."""
    from pyqtgraph import exporters

    from ..shell.app import application
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{path}: a chart is saved as .png or .svg")
    application().processEvents()
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".svg":
            _save_svg(widget, str(tmp))
        else:
            exporter = exporters.ImageExporter(widget.scene())
            exporter.parameters()["width"] = widget.width()
            exporter.export(str(tmp))
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


def save_standalone(make_chart, path: str | Path, size: tuple[int, int]) -> Path:
    """Draw a chart offscreen at ``size`` (a QApplication is made if none exists) and save it:
    what the command line's ``--png`` and ``--svg`` do."""
    return draw_and_save(make_chart, [path], size)[0]


def draw_and_save(make_chart, paths: list[str | Path], size: tuple[int, int]) -> list[Path]:
    """A chart made only to be saved, at its slide size, into each of ``paths``. Only such a
    chart is given a size: in the app a chart takes the size of its tab (which a chart on a
    hidden tab has not got), so the app saves slides through here too, the same pictures as
    the command line's. The chart is shown to lay it out, but never on screen: on a desktop a
    save must not flash a window."""
    from ..shell.app import application
    application()
    chart = make_chart()
    chart.setAttribute(Qt.WA_DontShowOnScreen)
    chart.resize(*size)
    chart.show()
    try:
        return [save_chart(chart, path) for path in paths]
    finally:
        chart.close()
        chart.deleteLater()


def export_set(folder: str | Path, charts: dict, tables: dict) -> list[Path]:
    """Every chart (name -> (make_chart, size)) as PNG and SVG, every table (name -> (csv,
    markdown)) as CSV and Markdown, into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (make_chart, size) in charts.items():
        written += draw_and_save(make_chart, [folder / f"{name}.png", folder / f"{name}.svg"],
                                 size)
    for name, (csv_text, md_text) in tables.items():
        write_atomically(folder / f"{name}.csv", csv_text)
        write_atomically(folder / f"{name}.md", md_text)
        written += [folder / f"{name}.csv", folder / f"{name}.md"]
    return written
