"""The seeds' main lesson in one chart: every block kind from the same input to the same output
channels, its MACs and parameters beside a normal convolution's, with the papers' formulas
filled in (all numbers from ``designer.core.block_compare``)."""
from __future__ import annotations

from html import escape
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from designer.core.block_compare import BlockComparison, compare_blocks

from .slide_export import (
    INK,
    FittingChart,
    colour,
    export_set,
    font,
    save_standalone,
    style_plot,
)
from .workshop_tab import WorkshopTab, install_tab

SHORT = {"conv": "normal", "sepconv": "separable", "fire": "fire", "ir": "inv. res.",
         "se": "SE", "shuffle": "shuffle", "shufflev2": "shuffle v2",
         "basic": "basic", "bottleneck": "bottleneck"}


def short_label(label: str, kind: str) -> str:
    if label.startswith("grouped"):
        return "grouped"
    return "inv. res. + SE" if kind == "ir" and "SE" in label else SHORT.get(kind, kind)


SIZES = {False: (1300, 800), True: (1800, 1150)}
NAMED_BARS = 6
"""Up to this many bars carry their names; more would overlap, so they are numbered as the
legend and the table's rows are."""


def ratio_text(ratio: float) -> str:
    """``0.127×``; a ratio too small to read at three digits (an SE alone) as ``<0.001×``."""
    return "<0.001×" if 0 < ratio < 0.001 else f"{ratio:.3g}×"


def fit_names(plot: pg.PlotItem, count: int) -> None:
    """Projector-sized names under the bars when each has 110 px, smaller ones when not."""
    plot.getAxis("bottom").setTickFont(font(16 if plot.vb.width() / count > 110 else 13))


def block_chart(c: BlockComparison, presentation: bool = False) -> FittingChart:
    """MACs and parameters per block kind (bars labelled with the ratio to the normal conv),
    and under them each kind's whole-block MACs formula with this shape's numbers."""
    widget = FittingChart()
    widget.add_wrapped_label(f"Block kinds, {c.title()}", row=0, col=0, colspan=2,
                    size="20pt" if presentation else "13pt", color=INK)
    numbered = len(c.rows) > NAMED_BARS
    ticks = [[(i, str(i + 1) if numbered else short_label(r.label, r.kind))
              for i, r in enumerate(c.rows)]]
    widget.bar_items = {}
    for k, (metric, title) in enumerate((("macs", "MACs (M)"), ("params", "Parameters (k)"))):
        div = 1e6 if metric == "macs" else 1e3
        plot = widget.addPlot(row=1, col=k, title=title)
        heights = [getattr(r, metric) / div for r in c.rows]
        bars = pg.BarGraphItem(x=list(range(len(heights))), height=heights, width=0.7,
                               brushes=[colour(i) for i in range(len(heights))])
        plot.addItem(bars)
        widget.bar_items[metric] = bars
        for i, r in enumerate(c.rows):
            ratio = r.macs_ratio if metric == "macs" else r.params_ratio
            text = pg.TextItem(ratio_text(ratio), color=INK, anchor=(0.5, 1))
            text.setFont(font(15 if presentation else 9))
            text.setPos(i, heights[i])
            plot.addItem(text)
        plot.getAxis("bottom").setTicks(ticks)
        plot.setYRange(0, max(heights) * 1.15, padding=0)
        plot.setMouseEnabled(x=False, y=False)
        style_plot(plot, presentation)
        if presentation:  # five names under five bars in half a tab: smaller than the ticks
            plot.vb.sigResized.connect(lambda vb, p=plot: fit_names(p, len(c.rows)))
    lines = "<br>".join(
        f"<span style='color:{colour(i)}'>■</span> {f'{i + 1} ' if numbered else ''}"
        f"<b>{escape(r.label)}</b>: {escape(r.formula)}"
        for i, r in enumerate(c.rows))
    widget.add_wrapped_label(lines + "<br><i>Ratios (×) are to the normal conv. MACs: multiply-"
                    "accumulates of conv layers, bias excluded.<br>BatchNorm is off except in "
                             "the inverted residual and the ResNet blocks (parameters, no MACs)."
                             "</i>", row=2, col=0,
                             colspan=2, size="15pt" if presentation else "10pt", color=INK,
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
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addLayout(self.chart_box, 3)
        layout.addWidget(self.table, 1)
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
        self.error.setText("; ".join(f"Left out: {s}" for s in c.skipped))
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = block_chart(c, self.presentation.isChecked())
        self.chart_box.addWidget(self.chart)
        self.table.setRowCount(len(c.rows))
        for i, r in enumerate(c.rows):
            for j, v in enumerate([r.label, f"{r.params:,}", f"{r.macs:,}", f"{r.macs_ratio:.3f}",
                                   f"{r.params_ratio:.3f}", ";  ".join(r.formulas)]):
                item = QTableWidgetItem(v)
                item.setToolTip("\n".join(r.formulas) if j == 5 else r.formula)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def save_all(self, folder: Path) -> list[Path]:
        c, present = self.comparison, self.presentation.isChecked()
        return export_set(folder, {"blocks": (lambda: block_chart(c, present), SIZES[present])},
                          {"blocks": (c.to_csv(), c.to_markdown())})


def install(window) -> None:
    install_tab(window, BlockCompareView(), "block_view", "Block kinds", "Compare block kinds")
