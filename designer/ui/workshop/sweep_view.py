"""The sweep of the open design (the shape of MobileNet's Tables 6 and 7): MACs and parameters
over α, one curve per resolution, and over input size, one curve per α; a point on every exact
value at the marks (hover for its numbers) and the grid as a table."""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from designer.core.change import DesignChange
from designer.core.sweep import Curves, SweepPoint, curves, to_csv, to_markdown

from .. import style
from ..charts.axis_room import use_roomy_axes
from ..shell.document import DocumentModel
from ..style import INK, PAPER
from .slide_export import (
    FittingChart,
    export_set,
    line_width,
    save_standalone,
    style_plot,
)
from .workshop_tab import WorkshopTab, install_tab

ALPHAS = [1.0, 0.75, 0.5, 0.25]
RESOLUTIONS = [224, 192, 160, 128]
PANELS = [("macs", "MACs (M)", "over_alpha"), ("params", "Parameters (M)", "over_alpha"),
          ("macs", "MACs (M)", "over_resolution"), ("params", "Parameters (M)", "over_resolution")]


def tip_text(p: SweepPoint, any_resolution: bool = False) -> str:
    if any_resolution:
        return f"α = {p.alpha:g}, any input size\n{p.params:,} parameters"
    return (f"α = {p.alpha:g}, {p.resolution}×{p.resolution}\n{p.macs:,} MACs\n"
            f"{p.params:,} parameters")


SIZES = {False: (1300, 950), True: (1800, 1300)}
ALL_RESOLUTIONS = "all resolutions"


def clear_legend(plot: pg.PlotItem) -> None:
    """Y from 0 to just above the highest point, or higher where the legend (top left) would
    cover a curve: the room the legend needs depends on the panel's size in pixels, so this
    runs again on every resize."""
    xs_ys = [item.getData() for item in plot.listDataItems()]
    xs_ys = [(xs, ys) for xs, ys in xs_ys if xs is not None and len(xs)]
    if not xs_ys:
        return
    x0, x1 = min(min(xs) for xs, _ in xs_ys), max(max(xs) for xs, _ in xs_ys)
    top = max(max(ys) for _, ys in xs_ys) * 1.08
    legend, box = plot.legend, plot.vb.boundingRect()
    if legend is not None and legend.isVisible() and box.width() > 0 and box.height() > 0:
        reach = x0 + (legend.width() + 20) / box.width() * (x1 - x0)
        under = [y for xs, ys in xs_ys for i, y in enumerate(ys)
                 if xs[i] <= reach or (i and xs[i - 1] <= reach)]
        free = 1 - (legend.height() + 16) / box.height()
        if under and free > 0.2:
            top = max(top, max(under) / free)
    plot.setYRange(-0.03 * top, top, padding=0)  # a little below 0, so its tick is labelled
    plot.setXRange(x0, x1, padding=0.05)


def sweep_chart(c: Curves, presentation: bool = False, axis: str | None = None) -> FittingChart:
    """Four panels: MACs and parameters over α (a curve per resolution), and over input size
    (a curve per α); marks are points with the exact numbers as their hover text. Parameters
    that do not depend on the resolution are one curve, "all resolutions", not four on top
    of each other. Each legend, two entries a line, sits in its panel's top-left corner, where
    the curves rise from; the y range leaves it room (``clear_legend``). ``axis``
    ("over_alpha" or "over_resolution") draws only that pair, side by side: a projector's page."""
    widget = FittingChart()
    widget.add_wrapped_label(f"{c.name}: cost over width multiplier α and input resolution",
                             row=0, col=0, colspan=2, size="20pt" if presentation else "13pt",
                             color=INK)
    widget.panels = []
    panels = [p for p in PANELS if axis in (None, p[2])]
    for k, (metric, title, along) in enumerate(panels):
        over_alpha = along == "over_alpha"
        plot = use_roomy_axes(widget.addPlot(row=1 + k // 2, col=k % 2, title=(
            f"{title} over α" if over_alpha else f"{title} over input size")))
        plot.setLabel("bottom", "width multiplier α" if over_alpha else "input size (px)")
        plot.showGrid(x=True, y=True, alpha=0.2)
        legend = plot.addLegend(offset=(10, 10), colCount=2,
                                labelTextSize="14pt" if presentation else "9pt")
        series = c.over_alpha if over_alpha else c.over_resolution
        merged = over_alpha and c.same_at_every_resolution(metric)
        if merged:
            series = {ALL_RESOLUTIONS: next(iter(series.values()))}
        for i, key in enumerate(series):
            pts = series[key]
            xs = [p.alpha if over_alpha else p.resolution for p in pts]
            ys = [getattr(p, metric) / 1e6 for p in pts]
            name = key if merged else f"{key} px" if over_alpha else f"α = {key:g}"
            tint = style.SERIES[-1] if merged else style.series(i)
            plot.plot(xs, ys, pen=pg.mkPen(tint, width=line_width(presentation)), name=name)
            marks = [p for p in c.marks if p.ok and (
                p.resolution == c.resolutions[0] if merged else
                (p.resolution if over_alpha else p.alpha) == key)]
            plot.addItem(pg.ScatterPlotItem(
                [p.alpha if over_alpha else p.resolution for p in marks],
                [getattr(p, metric) / 1e6 for p in marks],
                data=[tip_text(p, merged) for p in marks],
                size=16 if presentation else 9, brush=tint, pen=pg.mkPen(PAPER),
                hoverable=True, tip=lambda x, y, data: data))
        legend.setVisible(k % 2 == 0 or merged)
        style_plot(plot, presentation)
        plot.vb.sigResized.connect(lambda vb, p=plot: clear_legend(p))
        clear_legend(plot)
        widget.panels.append(plot)
    return widget


def save_sweep_chart(c: Curves, path: str, presentation: bool = True) -> None:
    save_standalone(lambda: sweep_chart(c, presentation), path, SIZES[presentation])


UNSWEPT = {"alpha", "rho"}
"""Settings the sweep sets itself: changing them (or moving blocks, or keeping timings) leaves
its curves as they are."""


class SweepView(WorkshopTab):
    """Redraws when the open design changes, but only while shown, and not on α or ρ: the sweep
    sets both itself, so a slider drag must not pay for a hundred analyses."""

    save_prompt = "Save the sweep's charts and tables into"

    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent=parent)
        self.document = document
        self.alphas = QLineEdit(",".join(f"{a:g}" for a in ALPHAS))
        self.resolutions = QLineEdit(",".join(str(r) for r in RESOLUTIONS))
        for edit in (self.alphas, self.resolutions):
            edit.editingFinished.connect(self.refresh)
        bar = QHBoxLayout()
        for w in (QLabel("α marks"), self.alphas, QLabel("resolutions (px)"), self.resolutions,
                  self.presentation, self.save_button, self.error):
            bar.addWidget(w)
        bar.addStretch(1)
        self.table = QTableWidget()
        self.tables = [self.table]
        self.chart_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.pages = QTabWidget()
        layout.addLayout(self.chart_box, 4)
        layout.addWidget(self.pages, 4)
        layout.addWidget(self.table, 1)
        self.pages.hide()
        self.layout_ = layout
        self.chart = None
        self.curves: Curves | None = None
        document.changed.connect(self._on_design_change)

    def _on_design_change(self, change: DesignChange) -> None:
        if change.reset or change.nodes_touched or change.edges_touched \
                or change.settings - UNSWEPT:
            self.changed()

    def marks(self) -> tuple[list[float], list[int]]:
        """The α and resolution marks typed in; ValueError names the bad field."""
        from designer.core.scaling import ALPHA_RANGE
        try:
            alphas = [float(v) for v in self.alphas.text().split(",") if v.strip()]
        except ValueError:
            raise ValueError(f"α marks: not a list of numbers: {self.alphas.text()!r}") from None
        try:
            res = [int(v) for v in self.resolutions.text().split(",") if v.strip()]
        except ValueError:
            raise ValueError("resolutions: not a list of whole numbers: "
                             f"{self.resolutions.text()!r}") from None
        if not alphas or any(not ALPHA_RANGE[0] <= a <= ALPHA_RANGE[1] for a in alphas):
            raise ValueError(f"α marks must lie in {ALPHA_RANGE[0]}–{ALPHA_RANGE[1]}")
        if not res or any(not 8 <= r <= 2048 for r in res):
            raise ValueError("resolutions must lie in 8–2048 px")
        return alphas, res

    def refresh(self, *_) -> None:
        self._dirty = False
        try:
            alphas, res = self.marks()
        except ValueError as err:
            self.error.setText(str(err))
            return
        self.error.setText("")
        self.curves = curves(self.document.design, alphas, res)
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            self.chart.deleteLater()
        for i in reversed(range(self.pages.count())):
            if self.pages.widget(i) is not self.table:
                self.pages.widget(i).deleteLater()
                self.pages.removeTab(i)
        if self.presentation.isChecked():
            # four panels and a table do not fit a projector: a page per pair, and the table
            self.chart = sweep_chart(self.curves, True, "over_alpha")
            self.pages.insertTab(0, self.chart, "over α")
            self.pages.insertTab(1, sweep_chart(self.curves, True, "over_resolution"),
                                 "over input size")
            self.pages.setCurrentIndex(0)
        else:
            self.chart = sweep_chart(self.curves, False)
            self.chart_box.addWidget(self.chart)
        self._fill_table(alphas, res)

    def _on_presentation(self, on: bool) -> None:
        self.pages.setVisible(on)
        if on:
            self.pages.addTab(self.table, "Table")
        else:
            self.pages.removeTab(self.pages.indexOf(self.table))
            self.layout_.addWidget(self.table, 1)
            self.table.show()
        super()._on_presentation(on)

    def _fill_table(self, alphas: list[float], res: list[int]) -> None:
        cell = {(p.alpha, p.resolution): p for p in self.curves.marks}
        self.table.setRowCount(len(alphas))
        self.table.setColumnCount(len(res))
        self.table.setHorizontalHeaderLabels([f"{r}×{r}" for r in res])
        self.table.setVerticalHeaderLabels([f"α = {a:g}" for a in alphas])
        for i, a in enumerate(alphas):
            for j, r in enumerate(res):
                p = cell[(a, r)]
                text = (f"{p.macs / 1e6:,.1f} M MACs / {p.params / 1e6:.2f} M params" if p.ok
                        else "invalid")
                item = QTableWidgetItem(text)
                item.setToolTip(tip_text(p))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def save_all(self, folder: Path) -> list[Path]:
        """The chart and table of the marks typed now: refused (ValueError naming the field)
        while they are not valid, redrawn first if the curves are of other marks, so the files
        never hold curves that do not match the marks shown."""
        alphas, res = self.marks()
        if self._dirty or self.curves is None or (
                (self.curves.alphas, self.curves.resolutions) != (tuple(alphas), tuple(res))):
            self.refresh()
        marks, present = self.curves.marks, self.presentation.isChecked()
        chart = (lambda: sweep_chart(self.curves, present), SIZES[present])
        return export_set(folder, {"sweep": chart},
                          {"sweep": (to_csv(marks), to_markdown(self.curves.name, marks))})


def install(window) -> None:
    install_tab(window, SweepView(window.document), "sweep_view", "Sweep",
                "Sweep α × resolution")
