"""Charts for comparing designs, drawn with pyqtgraph so the app and the command line (--png,
--svg) draw the same pictures: one bar chart per metric (small multiples, one bar per design,
its value above it) and a labelled Pareto scatter. ``presentation=True`` uses projector-sized
fonts and thick lines."""
from __future__ import annotations

import math
from html import escape

import pyqtgraph as pg

from designer.core.compare import METRICS, Comparison

from .slide_export import INK, colour, font, save_standalone, style_plot

SCALES = {"params": (1e6, "M"), "macs": (1e6, "M"), "activation_bytes_total": (1e6, "MB"),
          "peak_activation_bytes": (1e6, "MB"), "latency_ms": (1, "ms")}


def short(metric: str) -> str:
    return METRICS[metric].split(" (")[0]


def comparison_chart(c: Comparison, presentation: bool = False) -> pg.GraphicsLayoutWidget:
    """One small bar chart per metric, each design its own colour, values above the bars."""
    pg.setConfigOptions(background="w", foreground=INK)
    widget = pg.GraphicsLayoutWidget()
    labels = [r.label for r in c.rows]
    for k, metric in enumerate(c.metrics()):
        div, unit = SCALES[metric]
        plot = widget.addPlot(row=0, col=k, title=f"{short(metric)} ({unit})")
        values = [getattr(r, metric) for r in c.rows]
        heights = [(v or 0) / div for v in values]
        plot.addItem(pg.BarGraphItem(x=list(range(len(values))), height=heights, width=0.7,
                                     brushes=[colour(i) for i in range(len(values))]))
        for i, h in enumerate(heights):
            text = pg.TextItem(_value(h) if values[i] is not None else "—", color=INK,
                               anchor=(0.5, 1))
            text.setFont(font(14 if presentation else 9))
            text.setPos(i, h)
            plot.addItem(text)
        plot.getAxis("bottom").setTicks([[(i, "") for i in range(len(labels))]])
        plot.setYRange(0, max(heights + [1e-9]) * 1.18, padding=0)
        plot.setMouseEnabled(x=False, y=False)
        style_plot(plot, presentation)
    key = "&nbsp;&nbsp;&nbsp;".join(
        f"<span style='color:{colour(i)}'>■</span> {escape(lb)}" for i, lb in enumerate(labels))
    widget.addLabel(key, row=1, col=0, colspan=len(c.metrics()),
                    size="18pt" if presentation else "11pt", color=INK)
    widget.resize(1800 if presentation else 1400, 760 if presentation else 560)
    return widget


def pareto_chart(c: Comparison, y_metric: str = "params", presentation: bool = False):
    """MACs (x) against parameters or latency (y), log-log, every design labelled; hover a
    point for its exact numbers."""
    pg.setConfigOptions(background="w", foreground=INK)
    widget = pg.PlotWidget(title=f"MACs vs {short(y_metric)}")
    plot = widget.getPlotItem()
    plot.setLogMode(x=True, y=True)
    plot.setLabel("bottom", "MACs")
    plot.setLabel("left", METRICS[y_metric])
    plot.showGrid(x=True, y=True, alpha=0.2)
    for i, r in enumerate(c.rows):
        y = getattr(r, y_metric)
        if not y or not r.macs:
            continue
        tip = f"{r.label}\n{r.macs:,} MACs\n{_exact(y_metric, y)}"
        plot.addItem(pg.ScatterPlotItem([math.log10(r.macs)], [math.log10(y)], data=[tip],
                                        size=22 if presentation else 12, brush=colour(i),
                                        hoverable=True, tip=lambda x, y, data: data))
        text = pg.TextItem(r.label, color=colour(i), anchor=(0, 1.2))
        text.setFont(font(15 if presentation else 10))
        text.setPos(math.log10(r.macs), math.log10(y))
        plot.addItem(text)
    style_plot(plot, presentation)
    widget.resize(1400 if presentation else 1000, 900 if presentation else 700)
    return widget


def _exact(metric: str, value) -> str:
    return f"{value:.2f} ms" if metric == "latency_ms" else f"{value:,} {short(metric).lower()}"


def _value(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def save_comparison_chart(c: Comparison, path: str, presentation: bool = True) -> None:
    save_standalone(lambda: comparison_chart(c, presentation), path)


def save_pareto_chart(c: Comparison, path: str, y_metric: str = "params",
                      presentation: bool = True) -> None:
    save_standalone(lambda: pareto_chart(c, y_metric, presentation), path)
