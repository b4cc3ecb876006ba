"""Charts for comparing designs, drawn with pyqtgraph so the app and the command line (--png,
--svg) draw the same pictures: one bar chart per metric (small multiples, one bar per design), a
labelled Pareto scatter, and sweep curves. ``presentation=True`` uses projector-sized fonts and
thick lines."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont

from designer.core.compare import METRICS, Comparison
from designer.core.sweep import SweepPoint

PALETTE = ["#4a78c2", "#d9822b", "#2e9d6e", "#8a5cc2", "#c2495e", "#3aa6a0", "#c9a227", "#5f6f7d"]
SCALES = {"params": (1e6, "M"), "macs": (1e6, "M"), "activation_bytes_total": (1e6, "MB"),
          "peak_activation_bytes": (1e6, "MB"), "latency_ms": (1, "ms")}


def _style(plot: pg.PlotItem, presentation: bool) -> None:
    size = 16 if presentation else 10
    font = QFont()
    font.setPointSize(size)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setStyle(tickTextOffset=6)
        if name == "left":
            axis.setWidth(int(size * 5))
        else:
            axis.setHeight(int(size * 3.2))
        axis.setPen(pg.mkPen("#1d232a", width=2 if presentation else 1))
        axis.setTextPen("#1d232a")
        axis.label.setFont(font)
    plot.titleLabel.setText(plot.titleLabel.text, size=f"{size + 2}pt")


def comparison_chart(c: Comparison, presentation: bool = False) -> pg.GraphicsLayoutWidget:
    """One small bar chart per metric, each design its own colour, values above the bars."""
    pg.setConfigOptions(background="w", foreground="#1d232a")
    widget = pg.GraphicsLayoutWidget()
    labels = [r.label for r in c.rows]
    for k, metric in enumerate(c.metrics()):
        div, unit = SCALES[metric]
        plot = widget.addPlot(row=0, col=k, title=f"{METRICS[metric].split(' (')[0]} ({unit})")
        values = [getattr(r, metric) for r in c.rows]
        heights = [(v or 0) / div for v in values]
        plot.addItem(pg.BarGraphItem(x=list(range(len(values))), height=heights, width=0.7,
                                     brushes=[PALETTE[i % len(PALETTE)] for i in range(len(values))]))
        for i, h in enumerate(heights):
            text = pg.TextItem(_value(h) if values[i] is not None else "—", color="#1d232a",
                               anchor=(0.5, 1))
            text.setFont(_font(14 if presentation else 9))
            text.setPos(i, h)
            plot.addItem(text)
        plot.getAxis("bottom").setTicks([[(i, "") for i in range(len(labels))]])
        plot.setYRange(0, max(heights + [1e-9]) * 1.18, padding=0)
        plot.setMouseEnabled(x=False, y=False)
        _style(plot, presentation)
    key = "&nbsp;&nbsp;&nbsp;".join(
        f"<span style='color:{PALETTE[i % len(PALETTE)]}'>■</span> {_escape(lb)}"
        for i, lb in enumerate(labels))
    widget.addLabel(key, row=1, col=0, colspan=len(c.metrics()),
                    size="18pt" if presentation else "11pt", color="#1d232a")
    widget.resize(1800 if presentation else 1400, 760 if presentation else 560)
    return widget


def _escape(text: str) -> str:
    from html import escape
    return escape(text)


def pareto_chart(c: Comparison, y_metric: str = "params", presentation: bool = False):
    """MACs (x) against parameters or latency (y), log-log, every design labelled."""
    pg.setConfigOptions(background="w", foreground="#1d232a")
    widget = pg.PlotWidget(title=f"MACs vs {METRICS[y_metric].split(' (')[0]}")
    plot = widget.getPlotItem()
    plot.setLogMode(x=True, y=True)
    plot.setLabel("bottom", "MACs")
    plot.setLabel("left", METRICS[y_metric])
    for i, r in enumerate(c.rows):
        y = getattr(r, y_metric)
        if not y or not r.macs:
            continue
        colour = PALETTE[i % len(PALETTE)]
        plot.addItem(pg.ScatterPlotItem([math.log10(r.macs)], [math.log10(y)],
                                        size=22 if presentation else 12, brush=colour))
        text = pg.TextItem(r.label, color=colour, anchor=(0, 1.2))
        text.setFont(_font(15 if presentation else 10))
        text.setPos(math.log10(r.macs), math.log10(y))
        plot.addItem(text)
    _style(plot, presentation)
    widget.resize(1000, 700)
    return widget


def sweep_chart(name: str, points: list[SweepPoint], presentation: bool = False):
    """MACs over α, one curve per resolution, a point at every measured (α, resolution)."""
    pg.setConfigOptions(background="w", foreground="#1d232a")
    widget = pg.PlotWidget(title=f"{name}: MACs over α for each resolution")
    plot = widget.getPlotItem()
    plot.setLabel("bottom", "width multiplier α")
    plot.setLabel("left", "MACs (millions)")
    legend = plot.addLegend(labelTextSize="14pt" if presentation else "9pt")
    for i, res in enumerate(sorted({p.resolution for p in points}, reverse=True)):
        pts = sorted((p for p in points if p.resolution == res and p.ok), key=lambda p: p.alpha)
        colour = PALETTE[i % len(PALETTE)]
        plot.plot([p.alpha for p in pts], [p.macs / 1e6 for p in pts],
                  pen=pg.mkPen(colour, width=5 if presentation else 2), symbol="o",
                  symbolSize=14 if presentation else 8, symbolBrush=colour, name=f"{res} px")
    legend.setPos(10, 10)
    _style(plot, presentation)
    widget.resize(1000, 700)
    return widget


def _value(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def _font(points: int) -> QFont:
    f = QFont()
    f.setPointSize(points)
    return f


def save_chart(widget, path: str, standalone: bool = False) -> None:
    """PNG or SVG, by the file's extension; a ``standalone`` chart (made only to be saved) is
    shown for the export and closed after it."""
    import pyqtgraph.exporters as exporters

    from .app import application
    if standalone:
        widget.show()
    application().processEvents()
    item = widget.scene()
    if str(path).lower().endswith(".svg"):
        _save_svg(widget, str(path))
    else:
        exporter = exporters.ImageExporter(item)
        exporter.parameters()["width"] = widget.width()
        exporter.export(str(path))
    if standalone:
        widget.close()


def _save_svg(widget, path: str) -> None:
    """Qt's own SVG generator (pyqtgraph's SVG exporter fails on this Qt's path data)."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    size = widget.size()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle("ConvSketch chart")
    painter = QPainter(generator)
    widget.render(painter)
    painter.end()


def save_comparison_chart(c: Comparison, path: str, presentation: bool = True) -> None:
    from .app import application
    application()
    save_chart(comparison_chart(c, presentation), path, standalone=True)


def save_sweep_chart(name: str, points: list[SweepPoint], path: str,
                     presentation: bool = True) -> None:
    from .app import application
    application()
    save_chart(sweep_chart(name, points, presentation), path, standalone=True)
