"""Charts for comparing designs, drawn with pyqtgraph so the app and the command line (--png,
--svg) draw the same pictures: one bar chart per metric (small multiples, one bar per design,
its value above it) and a labelled Pareto scatter. ``presentation=True`` uses projector-sized
fonts and thick lines."""
from __future__ import annotations

import math
from html import escape

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from designer.core.chart_text import (
    Scale,
    log_floor,
    place_labels,
    ratio_text,
    scale_for,
    tick_text,
)
from designer.core.compare import Comparison
from designer.core.metrics import BY_KEY

from ..charts.axis_room import use_roomy_axes
from ..charts.log_axis import set_log_ticks
from ..style import INK, PAPER, font, series
from .slide_export import FittingChart, save_standalone, style_plot

VIEWS = ("values", "log scale", "ratio to baseline")
"""How the bars read: plain values, on a log axis (VGG16 beside MobileNets flattens every other
bar on a linear one), or as multiples of the baseline's figure."""


def metric_scale(c: Comparison, metric: str) -> Scale:
    """The unit of a metric's panel, picked from its largest value (core's rule)."""
    m = BY_KEY[metric]
    if not m.prefixed:
        return Scale(1.0, m.unit)
    values = [m.value(r) or 0 for r in c.rows]
    return scale_for(max(values, default=0), m.unit)


def panel_title(c: Comparison, metric: str, view: str) -> str:
    if view == "ratio to baseline":
        return f"{short(c, metric)} (× {c.rows[c.baseline].label})"
    if view == "log scale":
        return f"{short(c, metric)} (log)"
    unit = metric_scale(c, metric).unit
    return f"{short(c, metric)} ({unit})" if unit else short(c, metric)


SIZES = {False: (1400, 560), True: (1800, 760)}
PARETO_SIZES = {False: (1000, 700), True: (1400, 900)}


def short(c: Comparison, metric: str) -> str:
    return c.label(metric).split(" (")[0]


def signature(c: Comparison, presentation: bool, view: str = "values") -> tuple:
    """What fixes a chart's skeleton: a chart with the same signature is refilled in place
    (an α tick), not rebuilt (building pyqtgraph plots costs ~20 ms each)."""
    return (tuple(r.label for r in c.rows), tuple(c.label(m) for m in c.metrics()),
            presentation, view, tuple(panel_title(c, m, view) for m in c.metrics()))


def comparison_chart(c: Comparison, presentation: bool = False,
                     view: str = "values") -> FittingChart:
    """One small bar chart per metric, each design its own colour, values above the bars; the
    key under them wraps to the chart's width. At projector sizes more than four panels
    take two rows: five side by side leave each too narrow for its title."""
    widget = FittingChart()
    widget.signature = signature(c, presentation, view)
    widget.view = view
    widget.parts = {}
    labels = [r.label for r in c.rows]
    metrics = c.metrics()
    columns = 3 if presentation and len(metrics) > 4 else len(metrics)
    for k, metric in enumerate(metrics):
        plot = widget.addPlot(row=k // columns, col=k % columns,
                              title=panel_title(c, metric, view))
        use_roomy_axes(plot)
        bars = pg.BarGraphItem(x=list(range(len(labels))), height=[0] * len(labels), width=0.7,
                               brushes=[series(i) for i in range(len(labels))])
        plot.addItem(bars)
        texts = []
        for _ in labels:
            texts.append(pg.TextItem("", color=INK, anchor=(0.5, 1)))
            texts[-1].points = 14 if presentation else 9
            plot.addItem(texts[-1])
        plot.getAxis("bottom").setTicks([[(i, "") for i in range(len(labels))]])
        plot.setMouseEnabled(x=False, y=False)
        style_plot(plot, presentation)
        plot.vb.sigResized.connect(lambda vb, p=plot, b=bars, t=texts: fit_panel(p, b, t))
        widget.parts[metric] = (plot, bars, texts)
    widget.wrap_titles([plot for plot, _, _ in widget.parts.values()], columns)
    key = "&nbsp;&nbsp; ".join(
        f"<span style='color:{series(i).name()}'>■</span>"
        f"&nbsp;{escape(lb).replace(' ', '&nbsp;')}" for i, lb in enumerate(labels))
    widget.add_wrapped_label(key, row=(len(metrics) - 1) // columns + 1, col=0, colspan=columns,
                             size="18pt" if presentation else "11pt", color=INK)
    fill_comparison_chart(widget, c)
    return widget


def fill_comparison_chart(widget, c: Comparison) -> None:
    """Bar heights, the values above them and the y ranges, from ``c``."""
    view = getattr(widget, "view", "values")
    for metric, (plot, bars, texts) in widget.parts.items():
        values = [getattr(r, metric) for r in c.rows]
        div = metric_scale(c, metric).divisor
        shown = [v / div if v is not None else None for v in values]
        base = 0.0
        if view == "ratio to baseline":
            shown = [c.ratio(i, metric) for i in range(len(values))]
        elif view == "log scale":
            base = log_floor(values)
            shown = [math.log10(v) if v is not None and v > 0 else None for v in values]
        heights = [(h - base) if h is not None else 0 for h in shown]
        bars.setOpts(height=heights, y0=base)
        for i, (text, h) in enumerate(zip(texts, heights)):
            if shown[i] is None:
                text.setText(BY_KEY[metric].zero if values[i] == 0 else BY_KEY[metric].missing)
            elif view == "ratio to baseline":
                text.setText(ratio_text(shown[i]))
            else:
                text.setText(_value(values[i] / div))
            text.setPos(i, h + base)
        plot.log_span = None
        if view == "log scale":
            top = max(heights, default=0) + base
            plot.log_span = (base, top + 0.5, BY_KEY[metric].unit)
        else:
            plot.getAxis("left").setTicks(None)
        plot.bar_base = base
        fit_panel(plot, bars, texts)


def fit_panel(plot, bars, texts) -> None:
    """At the panel's size now: the log view's ticks (as many decades labelled as it has room
    for), then the values above the bars."""
    if getattr(plot, "log_span", None):
        set_log_ticks(plot.getAxis("left"), plot.vb.height(), *plot.log_span)
    room_for_values(plot, bars, texts)


def room_for_values(plot, bars, texts) -> None:
    """Values as large as their font allows without running into the next bar's (a narrow
    panel gets smaller values, one size for all, 9 pt at least, 12 in presentation), and y from 0 to high enough that the value above the tallest
    bar is inside the panel: a fixed share of the range is too little for a projector font
    in a short panel."""
    slot = plot.vb.boundingRect().width() / max(1, len(texts))
    size = texts[0].points if texts else 9
    least = 12 if size >= 14 else 9            # a projector's values stay readable, stacked
    while True:
        for text in texts:
            text.setFont(font(size, scaled=False))
        if size <= least or max(t.boundingRect().width() for t in texts) <= slot - 4:
            break
        size -= 1
    lines = 1
    for _ in range(2):   # the y range moves the values, which may need other lines
        _set_y_range(plot, bars, texts, lines)
        lines = _stack_values(plot, texts)
    _set_y_range(plot, bars, texts, lines)


def _set_y_range(plot, bars, texts, lines: int) -> None:
    top = max(list(bars.opts["height"]) + [1e-9])
    pixels = plot.vb.boundingRect().height()
    text = max((t.boundingRect().height() for t in texts), default=0) * lines
    free = 1 - (text + 6) / pixels if pixels > 0 else 0
    base = getattr(plot, "bar_base", 0.0)
    plot.setYRange(base, base + (top / free if free > 0.4 else top * 1.6), padding=0)


GAP = 3
"""Pixels kept between two values side by side (a text's drawn box is a pixel or two wider
than its bounding rectangle says)."""


def _stack_values(plot, texts) -> int:
    """Still too wide at 9 pt: a value that would touch one to its left goes up a line (or
    more) above its bar. Returns the most lines a value stands above its bar."""
    placed: list[tuple[float, float, float, float]] = []
    most = 1
    for text in texts:
        text.setAnchor((0.5, 1))
        if not text.toPlainText():
            continue
        w, h = text.boundingRect().width(), text.boundingRect().height()
        at = plot.vb.mapViewToScene(text.pos())
        line = 1
        while True:
            box = (at.x() - w / 2, at.y() - h * line, w, h)
            if not any(box[0] < x + bw + GAP and x < box[0] + w + GAP and box[1] < y + bh
                       and y < box[1] + h for x, y, bw, bh in placed) or line >= len(texts):
                break
            line += 1
        text.setAnchor((0.5, line))
        placed.append(box)
        most = max(most, line)
    return most


def pareto_chart(c: Comparison, y_metric: str = "params", presentation: bool = False):
    """MACs (x) against parameters or latency (y), log-log, every design labelled, the Pareto
    front dashed; hover a point for its exact numbers."""
    pg.setConfigOptions(background=PAPER, foreground=INK)
    widget = pg.PlotWidget(title=f"MACs vs {short(c, y_metric)}")
    widget.signature = signature(c, presentation)
    plot = use_roomy_axes(widget.getPlotItem())
    plot.setLabel("bottom", "MACs (log scale)")
    plot.setLabel("left", f"{c.label(y_metric)} (log scale)")
    plot.showGrid(x=True, y=True, alpha=0.2)
    widget.points = []
    for i, r in enumerate(c.rows):
        point = pg.ScatterPlotItem(size=22 if presentation else 12, brush=series(i),
                                   hoverable=True, tip=lambda x, y, data: data)
        text = pg.TextItem(r.label, color=series(i), anchor=(0, 0))
        text.setFont(font(15 if presentation else 10, scaled=False))
        plot.addItem(point)
        plot.addItem(text)
        widget.points.append((point, text))
    widget.front = plot.plot([], [], name="Pareto front", pen=pg.mkPen(
        INK, width=2 if presentation else 1, style=Qt.DashLine))
    widget.y_metric = y_metric
    widget.point_size = 22 if presentation else 12
    style_plot(plot, presentation)
    plot.vb.sigTransformChanged.connect(lambda *_: place_scatter_labels(widget))
    widget.log_spans = None
    plot.vb.sigResized.connect(lambda *_: pareto_ticks(widget))
    fill_pareto_chart(widget, c)
    return widget


def place_scatter_labels(widget) -> None:
    """Put each shown label where core's ``place_labels`` finds room beside its point: over no
    other point and no other label, inside the plot."""
    vb = widget.getPlotItem().vb
    area = vb.sceneBoundingRect()
    shown = [(point, text) for point, text in widget.points if point.isVisible()]
    if not shown or area.width() <= 0:
        return
    centres = []
    for point, _ in shown:
        xs, ys = point.getData()
        at = vb.mapViewToScene(QPointF(xs[0], ys[0]))
        centres.append((at.x() - area.left(), at.y() - area.top()))
    sizes = [(t.boundingRect().width(), t.boundingRect().height()) for _, t in shown]
    boxes = place_labels(centres, sizes, (area.width(), area.height()),
                         radius=widget.point_size / 2)
    for (_, text), box in zip(shown, boxes):
        text.setPos(vb.mapSceneToView(QPointF(area.left() + box.x, area.top() + box.y)))


def fill_pareto_chart(widget, c: Comparison) -> None:
    """Point positions, hover texts, the front and the ranges, from ``c``; a design without a
    value on the y axis (no timing) is hidden. One whose value is 0 (a median too short for
    the timer) has no place on a log axis: it is drawn at the axis floor, half a decade under
    the least value, as a downward triangle labelled with what 0 means, never left out; the
    floor's tick reads 0 and no other tick stands below the least value."""
    y_metric, plot = widget.y_metric, widget.getPlotItem()
    metric = BY_KEY[y_metric]
    xs, ys, at_floor, labels = [], [], [], []
    for r, (point, text) in zip(c.rows, widget.points):
        y = getattr(r, y_metric)
        shown = bool(r.macs) and y is not None and y >= 0
        point.setVisible(shown)
        text.setVisible(shown)
        if not shown:
            continue
        tip = f"{r.label}\n{r.macs:,} MACs\n{_exact(c, y_metric, y)}"
        if y == 0:
            tip += f": {metric.zero} of the timer, drawn at the axis floor"
            at_floor.append((r, point, text, tip))
            continue
        xs.append(math.log10(r.macs))
        ys.append(math.log10(y))
        point.setData([xs[-1]], [ys[-1]], symbol="o", data=[tip])
        text.setText(r.label)
        text.setPos(xs[-1], ys[-1])
        labels.append(r.label)
    least = min(ys, default=None)
    floor = (0.0 if least is None else least) - 0.5
    for r, point, text, tip in at_floor:
        xs.append(math.log10(r.macs))
        ys.append(floor)
        point.setData([xs[-1]], [floor], symbol="t", data=[tip])
        text.setText(f"{r.label} ({metric.zero})")
        text.setPos(xs[-1], floor)
        labels.append(text.toPlainText())
    front = [i for i in c.pareto_front(y_metric) if getattr(c.rows[i], y_metric)]
    widget.front.setData([math.log10(c.rows[i].macs) for i in front] if len(front) > 1 else [],
                         [math.log10(getattr(c.rows[i], y_metric)) for i in front]
                         if len(front) > 1 else [])
    if xs:
        room = 0.035 * max(len(label) for label in labels)   # a label's width, either side
        x_range = (min(xs) - 0.15 - room, max(xs) + 0.15 + room)
        y_range = (min(ys) - 0.15, max(ys) + 0.3)
        plot.setXRange(*x_range, padding=0)
        plot.setYRange(*y_range, padding=0)
        zero = [(floor, tick_text(0, metric.unit))] if at_floor else []
        y_span = None if least is None else (least - 0.15 if at_floor else y_range[0],
                                             y_range[1], metric.unit, zero)
        widget.log_spans = (x_range, y_span, zero)
        pareto_ticks(widget)
        place_scatter_labels(widget)


def pareto_ticks(widget) -> None:
    """Both log axes' ticks at the plot's size now (see :mod:`..charts.log_axis`)."""
    if widget.log_spans is None:
        return
    plot = widget.getPlotItem()
    x_span, y_span, zero = widget.log_spans
    set_log_ticks(plot.getAxis("bottom"), plot.vb.width(), *x_span)
    if y_span is None:                  # every point at the floor: its "0" alone
        plot.getAxis("left").setTicks([zero, []])
    else:
        set_log_ticks(plot.getAxis("left"), plot.vb.height(), *y_span)


def _exact(c: Comparison, metric: str, value) -> str:
    m = BY_KEY[metric]
    if m.measured:
        return f"{value:.2f} {m.unit} ({short(c, metric).split(', ')[1]})"
    return f"{value:,} {short(c, metric).lower()}"


def _value(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def save_comparison_chart(c: Comparison, path: str, presentation: bool = True) -> None:
    save_standalone(lambda: comparison_chart(c, presentation), path, SIZES[presentation])


def save_pareto_chart(c: Comparison, path: str, y_metric: str = "params",
                      presentation: bool = True) -> None:
    save_standalone(lambda: pareto_chart(c, y_metric, presentation), path,
                    PARETO_SIZES[presentation])
