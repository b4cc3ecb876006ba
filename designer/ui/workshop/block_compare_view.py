"""The seeds' main lesson in one chart: every block kind from the same input to the same output
channels, its MACs and parameters beside a normal convolution's, with the papers' formulas
filled in (all numbers from ``designer.core.block_compare``)."""
from __future__ import annotations

from html import escape
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from designer.core.block_compare import BlockComparison, compare_blocks
from designer.core.chart_text import labelled_bars
from designer.core.chart_text import ratio_text as plain_ratio
from designer.core.verdict import kinds_headline

from ..charts.axis_room import use_roomy_axes
from ..style import GOOD, INK, font, series
from .compare_charts import room_for_values
from .slide_export import (
    FittingChart,
    export_set,
    save_standalone,
    style_plot,
)
from .workshop_tab import WorkshopTab, install_tab

SHORT = {"conv": "normal", "sepconv": "separable", "fire": "fire", "ir": "inv. res.",
         "se": "SE", "shuffle": "shuffle", "shufflev2": "shuffle v2",
         "basic": "basic", "bottleneck": "bottleneck", "conv3x3x3": "3 × 3×3"}


def short_label(label: str, kind: str) -> str:
    if label.startswith("grouped"):
        return "grouped"
    return "inv. res. + SE" if kind == "ir" and "SE" in label else SHORT.get(kind, kind)


SIZES = {False: (1300, 800), True: (1800, 1150)}
NAMED_BARS = 6
"""Up to this many bars carry their names; more would overlap, so they are numbered as the
legend and the table's rows are."""


def ratio_text(ratio: float) -> str:
    """``0.127×`` (core's plain decimals); a ratio too small to read at three digits (an SE
    alone) as ``<0.001×``."""
    return "<0.001×" if 0 < ratio < 0.001 else plain_ratio(ratio)


def fit_names(plot: pg.PlotItem, names: list[str], largest: int = 16) -> None:
    """Names under the bars as large as ``largest`` points allow without two touching: each
    name must fit its bar's share of the width."""
    slot = plot.vb.width() / max(1, len(names)) - 8
    size = largest
    def widest(points: int) -> int:
        return max(QFontMetrics(font(points, scaled=False)).horizontalAdvance(n) for n in names)
    while size > 8 and widest(size) > slot:
        size -= 1
    plot.getAxis("bottom").setTickFont(font(size, scaled=False))
    widths = [(QFontMetrics(font(size, scaled=False)).horizontalAdvance(n) + 8) / max(slot + 8, 1)
              for n in names]
    keep = labelled_bars([-i for i in range(len(names))], widths)  # left to right when cramped
    plot.getAxis("bottom").setTicks([[(i, names[i]) for i in keep]])


def formulas_html(c: BlockComparison) -> str:
    """Each kind's whole-block MACs formula with this shape's numbers (numbered as the bars
    when there are too many to name)."""
    numbered = len(c.rows) > NAMED_BARS
    return "<br>".join(
        f"<span style='color:{series(i).name()}'>■</span> {f'{i + 1} ' if numbered else ''}"
        f"<b>{escape(r.label)}</b>: {escape(r.formula)}" for i, r in enumerate(c.rows)) + (
        "<br><i>Ratios (×) are to the normal conv. MACs: multiply-accumulates of conv layers, "
        "bias excluded.<br>BatchNorm is off except in the inverted residual and the ResNet "
        "blocks (parameters, no MACs).</i>")


def block_chart(c: BlockComparison, presentation: bool = False,
                formulas: bool = True) -> FittingChart:
    """MACs and parameters per block kind (bars labelled with the ratio to the normal conv),
    and under them (``formulas``) each kind's whole-block MACs formula with this shape's
    numbers."""
    widget = FittingChart()
    widget.add_wrapped_label(f"Block kinds, {c.title()}", row=0, col=0, colspan=2,
                    size="20pt" if presentation else "13pt", color=INK)
    numbered = len(c.rows) > NAMED_BARS
    ticks = [[(i, str(i + 1) if numbered else short_label(r.label, r.kind))
              for i, r in enumerate(c.rows)]]
    widget.bar_items = {}
    for k, (metric, title) in enumerate((("macs", "MACs (M)"), ("params", "Parameters (k)"))):
        div = 1e6 if metric == "macs" else 1e3
        plot = use_roomy_axes(widget.addPlot(row=1, col=k, title=title))
        heights = [getattr(r, metric) / div for r in c.rows]
        bars = pg.BarGraphItem(x=list(range(len(heights))), height=heights, width=0.7,
                               brushes=[series(i) for i in range(len(heights))])
        plot.addItem(bars)
        widget.bar_items[metric] = bars
        texts = []
        for i, r in enumerate(c.rows):
            ratio = r.macs_ratio if metric == "macs" else r.params_ratio
            texts.append(pg.TextItem(ratio_text(ratio), color=INK, anchor=(0.5, 1)))
            texts[-1].points = 15 if presentation else 9
            texts[-1].setFont(font(texts[-1].points, scaled=False))
            texts[-1].setPos(i, heights[i])
            plot.addItem(texts[-1])
        plot.getAxis("bottom").setTicks(ticks)
        plot.setYRange(0, max(heights) * 1.15, padding=0)
        plot.setMouseEnabled(x=False, y=False)
        style_plot(plot, presentation)
        plot.vb.sigResized.connect(lambda vb, p=plot, b=bars, t=texts: room_for_values(p, b, t))
        names = [name for _, name in ticks[0]]
        plot.vb.sigResized.connect(
            lambda vb, p=plot, n=names: fit_names(p, n, 16 if presentation else 10))
    if formulas:
        widget.add_wrapped_label(formulas_html(c), row=2, col=0, colspan=2,
                                 size="15pt" if presentation else "10pt", color=INK,
                                 justify="left")
    return widget


def save_block_chart(c: BlockComparison, path: str, presentation: bool = True) -> None:
    save_standalone(lambda: block_chart(c, presentation), path, SIZES[presentation])


class BlockCompareView(WorkshopTab):
    """Spin boxes for the input shape, output channels, kernel, groups and expansion; the chart
    and a table with every layer's formula redraw on each change."""

    save_prompt = "Save the block chart and table into"

    def __init__(self, parent=None):
        super().__init__("Save chart and table…", parent)
        self.fields = {}
        bar = QGridLayout()
        for n, (key, label, value, lo, hi) in enumerate((
                ("c", "input channels C", 64, 1, 4096), ("h", "height H", 56, 1, 1024),
                ("w", "width W", 56, 1, 1024), ("m", "output channels M", 128, 1, 4096),
                ("k", "kernel K", 3, 1, 15), ("g", "groups g", 4, 1, 4096),
                ("t", "expansion t", 6, 1, 16))):
            box = QSpinBox()
            box.setRange(lo, hi)
            box.setValue(value)
            box.valueChanged.connect(self.refresh)
            self.fields[key] = box
            bar.addWidget(QLabel(label), n // 4, 2 * (n % 4))
            bar.addWidget(box, n // 4, 2 * (n % 4) + 1)
        bar.addWidget(self.presentation, 0, 8)
        bar.addWidget(self.save_button, 1, 8)
        bar.setColumnStretch(9, 1)
        self.table = QTableWidget(0, 6)
        self.tables = [self.table]
        self.table.setHorizontalHeaderLabels(["block", "parameters", "MACs", "MACs ×",
                                              "params ×", "layers: MACs formulas"])
        self.chart_box = QVBoxLayout()
        self.pages = QTabWidget()
        self.formulas = QLabel()
        self.formulas.setWordWrap(True)
        self.formulas.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet(f"color:{GOOD.name()}; font-weight:bold")
        layout.addWidget(self.headline)
        layout.addLayout(self.chart_box, 3)
        layout.addWidget(self.pages, 3)
        # a dozen kinds' formulas under the chart flatten it even on a laptop: chart, formulas
        # and table are pages, in normal and presentation mode alike
        self.pages.addTab(self.formulas, "Formulas")
        self.pages.addTab(self.table, "Table")
        self.layout_ = layout
        self.chart = None
        self.comparison: BlockComparison | None = None
        self.refresh()

    def refresh(self, *_) -> None:
        self._dirty = False
        f = {k: box.value() for k, box in self.fields.items()}
        try:
            c = compare_blocks((f["c"], f["h"], f["w"]), f["m"], kernel=f["k"], groups=f["g"],
                               expansion=f["t"])
        except ValueError as err:
            self.error.setText(f"Cannot compare: {err}")
            return
        self.comparison = c
        self.headline.setText(kinds_headline(c.rows))
        self.headline.setFont(font(22 if self.presentation.isChecked() else 14, scaled=False))
        self.error.setText("; ".join(f"Left out: {s}" for s in c.skipped),
                           error=False)
        present = self.presentation.isChecked()
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            if self.pages.indexOf(self.chart) >= 0:
                self.pages.removeTab(self.pages.indexOf(self.chart))
            self.chart.deleteLater()
        self.chart = block_chart(c, present, formulas=False)
        self.formulas.setText(formulas_html(c))
        self.pages.insertTab(0, self.chart, "Chart")
        self.pages.setCurrentIndex(0)
        self.table.setRowCount(len(c.rows))
        for i, r in enumerate(c.rows):
            for j, v in enumerate([r.label, f"{r.params:,}", f"{r.macs:,}", f"{r.macs_ratio:.3f}",
                                   f"{r.params_ratio:.3f}", ";  ".join(r.formulas)]):
                item = QTableWidgetItem(v)
                item.setToolTip("\n".join(r.formulas) if j == 5 else r.formula)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def _on_presentation(self, on: bool) -> None:
        self.formulas.setFont(font(15 if on else 10, scaled=False))
        super()._on_presentation(on)

    def save_all(self, folder: Path) -> list[Path]:
        c, present = self.comparison, self.presentation.isChecked()
        return export_set(folder, {"blocks": (lambda: block_chart(c, present), SIZES[present])},
                          {"blocks": (c.to_csv(), c.to_markdown())})


def install(window) -> None:
    install_tab(window, BlockCompareView(), "block_view", "Block kinds", "Compare block kinds")
