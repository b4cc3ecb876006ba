"""Live cost charts (pyqtgraph): per-block bars of any metric core declares (parameters, MACs,
activation memory, receptive field with the input's size drawn across and the first block whose
field covers the image marked, estimated latency; on a real log axis on demand), and live memory over the execution order with its peak marked. Hover
shows the exact value with its unit; clicking a bar selects its block, and the selected block's
bar is highlighted. Bar labels are thinned by their width in pixels so they never overlap."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from designer.core.block_metrics import BLOCK_METRICS, block_values
from designer.core.units import human

from ..shell.document import DocumentModel
from ..style import SELECTED, kind_colour

COVER_COLOUR = "#2e7d32"
LABEL_GAP = 12
pg.setConfigOptions(antialias=False, background="w", foreground="#1d232a")


class CostCharts(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.metric = QComboBox()
        self.metric.addItems(list(BLOCK_METRICS))
        self.log = QCheckBox("log scale")
        self.info = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Per block:"))
        top.addWidget(self.metric)
        top.addWidget(self.log)
        top.addStretch(1)
        top.addWidget(self.info)
        self.bars_plot = pg.PlotWidget()
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brushes=[])
        self.bars_plot.addItem(self.bars)
        self.reference = pg.InfiniteLine(angle=0, pen=pg.mkPen(COVER_COLOUR, style=Qt.DashLine))
        self.cover = pg.InfiniteLine(angle=90, pen=pg.mkPen(COVER_COLOUR, width=2))
        self.cover_label = pg.TextItem(color=COVER_COLOUR, anchor=(1, 1))
        for item in (self.reference, self.cover, self.cover_label):
            self.bars_plot.addItem(item, ignoreBounds=True)
        self.memory_plot = pg.PlotWidget(title="Live activation memory over the execution order")
        self.memory_plot.setLabel("left", "MB")
        self.memory_curve = self.memory_plot.plot([], [], pen=pg.mkPen("#4a78c2", width=2))
        self.peak = pg.ScatterPlotItem(size=12, brush="#d32f2f")
        self.peak_label = pg.TextItem(color="#d32f2f", anchor=(-0.05, 0.5))
        self.memory_plot.addItem(self.peak)
        self.memory_plot.addItem(self.peak_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bars_plot, 3)
        layout.addWidget(self.memory_plot, 2)
        self.values: list[float] = []
        self.ids: list[str] = []
        self.names: list[str] = []
        self.metric.currentTextChanged.connect(self.refresh)
        self.log.toggled.connect(self.refresh)
        self.bars_plot.scene().sigMouseMoved.connect(self._hover)
        self.bars_plot.scene().sigMouseClicked.connect(self._click)
        self.memory_plot.scene().sigMouseMoved.connect(self._hover_memory)
        self.bars_plot.getPlotItem().vb.sigResized.connect(self._label_bars)
        document.analysis_changed.connect(self.refresh)
        document.selection_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_) -> None:
        a = self.document.analysis
        metric = BLOCK_METRICS[self.metric.currentText()]
        unit = metric.unit
        shown = block_values(metric, a, self.document.estimate)
        self.ids, self.names, self.values = shown.ids, shown.names, shown.values
        log = self.log.isChecked()
        heights = [math.log10(v) if log and v >= 1 else (0 if log else v) for v in self.values]
        selected = set(self.document.selected)
        brushes = [SELECTED.name() if nid in selected else kind_colour(kind)
                   for nid, kind in zip(shown.ids, shown.kinds)]
        self.bars.setOpts(x=list(range(len(self.ids))), height=heights, brushes=brushes,
                          width=0.8)
        self._mark_coverage(shown, log)
        if self.bars_plot.getAxis("left").logMode != log:
            self.bars_plot.setYRange(0, max(heights, default=1) or 1)
            self.bars_plot.setLogMode(y=log)
            self.bars_plot.enableAutoRange(axis="y")
        if log:
            self.bars_plot.setLabel("left", f"{self.metric.currentText()}"
                                    + (f" ({unit})" if unit else ""), units=None)
        else:
            self.bars_plot.setLabel("left", self.metric.currentText(), units=unit or None)
        self._label_bars()
        live = a.memory_live
        self.memory_curve.setData(list(range(len(live))), [v / 1e6 for v in live])
        if live:
            i = max(range(len(live)), key=live.__getitem__)
            self.peak.setData([i], [live[i] / 1e6])
            self.peak_label.setText(f"peak {human(a.peak_activation_bytes, 'B')} at {a.peak_at}")
            self.peak_label.setPos(i, live[i] / 1e6)
        else:
            self.peak.setData([], [])
            self.peak_label.setText("")

    def _mark_coverage(self, shown, log: bool) -> None:
        """For the receptive field: the input's size across the chart and a line at the first
        block that sees the whole image (or a note that none does)."""
        self.estimate_note = self.coverage_text = ""
        metric = BLOCK_METRICS[self.metric.currentText()]
        if metric.key == "latency_ms" and self.document.estimate is None:
            self.estimate_note = ("No device profile for this machine yet: Tools ▸ Calibrate "
                                  "this machine measures one (about 20 s).")
        on = shown.reference is not None
        self.reference.setVisible(on)
        self.cover.setVisible(on and shown.covers_from is not None)
        self.cover_label.setVisible(on)
        if not on:
            self.info.setText(self.estimate_note)
            return
        self.reference.setValue(math.log10(shown.reference) if log else shown.reference)
        at = math.log10(shown.reference) if log else shown.reference
        if shown.covers_from is None:
            text = f"input {shown.reference:g} px: no block sees all of it"
            self.cover_label.setPos(len(self.ids) - 0.5, at)
        else:
            text = (f"input {shown.reference:g} px: from {self.names[shown.covers_from]} on, "
                    f"one output sees all of it")
            self.cover.setValue(shown.covers_from - 0.5)
            self.cover_label.setPos(shown.covers_from - 0.55, at)
        self.cover_label.setText(text)
        self.coverage_text = text

    def _label_bars(self, *_) -> None:
        """Label every ``step``-th bar, ``step`` chosen so the widest label fits in its share of
        the plot's pixels; the range reaches left far enough for the first label to show."""
        axis = self.bars_plot.getAxis("bottom")
        metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
        n = max(len(self.names), 1)
        pixels = max(self.bars_plot.getPlotItem().vb.width(), 1.0)
        widest = max((metrics.horizontalAdvance(s) for s in self.names), default=0) + LABEL_GAP
        left = max(0.6, (metrics.horizontalAdvance(self.names[0]) / 2 + 4) * (n + 0.6) / pixels
                   if self.names else 0.6)
        per_bar = pixels / (n - 0.4 + left)
        step = max(1, math.ceil(widest / per_bar))
        axis.setTicks([[(i, s) for i, s in enumerate(self.names) if i % step == 0]])
        self.bars_plot.setXRange(-left, n - 0.4, padding=0)
        self.label_step = step

    def bar_at(self, scene_pos) -> int | None:
        if not self.bars_plot.sceneBoundingRect().contains(scene_pos):
            return None
        x = self.bars_plot.getPlotItem().vb.mapSceneToView(scene_pos).x()
        i = round(x)
        return i if 0 <= i < len(self.ids) and abs(x - i) <= 0.4 else None

    def _hover(self, scene_pos) -> None:
        i = self.bar_at(scene_pos)
        if i is None:
            self.info.setText("")
            return
        metric = BLOCK_METRICS[self.metric.currentText()]
        unit, label = metric.unit, metric.noun
        value = self.values[i]
        text = (f"{self.names[i]}: {value:.3f} {label}" if isinstance(value, float)
                else f"{self.names[i]}: {value:,} {label}")
        if metric.key == "latency_ms" or unit == "px":
            unit = ""
        if unit:
            text += f" ({human(value, unit)})"
        self.info.setText(text)
        self.bars_plot.setToolTip(text)

    def memory_at(self, scene_pos) -> int | None:
        """The execution step under the pointer on the memory chart."""
        live = self.document.analysis.memory_live
        if not live or not self.memory_plot.sceneBoundingRect().contains(scene_pos):
            return None
        x = self.memory_plot.getPlotItem().vb.mapSceneToView(scene_pos).x()
        i = round(x)
        return i if 0 <= i < len(live) else None

    def _hover_memory(self, scene_pos) -> None:
        i = self.memory_at(scene_pos)
        if i is None:
            self.memory_plot.setToolTip("")
            return
        step, live = self.document.analysis.memory_timeline[i]
        text = f"{step}: {live:,} B live ({human(live, 'B')})"
        self.info.setText(text)
        self.memory_plot.setToolTip(text)

    def _click(self, event) -> None:
        i = self.bar_at(event.scenePos())
        if i is not None and event.button() == Qt.LeftButton:
            self.document.select([self.ids[i]])
