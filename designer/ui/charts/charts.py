"""Live cost charts (pyqtgraph): per-block bars of parameters, MACs or activation memory (on a
real log axis on demand), and live memory over the execution order with its peak marked. Hover
shows the exact value with its unit; clicking a bar selects its block, and the selected block's
bar is highlighted. Bar labels are thinned by their width in pixels so they never overlap."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from designer.core.units import human

from ..shell.document import DocumentModel
from ..style import SELECTED, kind_colour

METRICS = {"MACs": ("macs", "MAC", "MACs"), "Parameters": ("params", "", "parameters"),
           "Activation memory": ("activation_bytes", "B", "B of activations")}
LABEL_GAP = 12
pg.setConfigOptions(antialias=False, background="w", foreground="#1d232a")


class CostCharts(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.metric = QComboBox()
        self.metric.addItems(list(METRICS))
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
        key, unit, _ = METRICS[self.metric.currentText()]
        ok = [b for b in a.blocks if b.ok]
        self.ids = [b.node_id for b in ok]
        self.names = [b.name for b in ok]
        self.values = [getattr(b, key) for b in ok]
        log = self.log.isChecked()
        heights = [math.log10(v) if log and v >= 1 else (0 if log else v) for v in self.values]
        selected = set(self.document.selected)
        brushes = [SELECTED.name() if b.node_id in selected else kind_colour(b.kind)
                   for b in ok]
        self.bars.setOpts(x=list(range(len(ok))), height=heights, brushes=brushes, width=0.8)
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
        _, unit, label = METRICS[self.metric.currentText()]
        value = self.values[i]
        text = f"{self.names[i]}: {value:,} {label}"
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
