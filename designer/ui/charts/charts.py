"""Live cost charts (pyqtgraph): per-block bars of the figures core declares (parameters, MACs,
activation memory, receptive field with the input's size drawn across and the first block whose
field covers the image marked, estimated latency), and live memory over the execution order with
its peak marked. On the log scale bars rise from a floor under the least value, so a value under 1
stands at its true height, and a value of 0, which has no place there, is not drawn and the chart
says so. Hover shows the exact value with its unit; clicking a bar selects its block, and the
selected block's bar is highlighted. Bar labels are thinned by their width in pixels so they
never overlap."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from designer.core.block_metrics import BLOCK_METRICS, block_values
from designer.core.chart_text import Scale, log_floor, log_heights, scale_for
from designer.core.decimate import decimate
from designer.core.ghost import Ghost
from designer.core.latency import estimate
from designer.core.metrics import ESTIMATED_LATENCY
from designer.core.problems import uncounted_reason
from designer.core.units import human

from ..elided_label import ElidedLabel
from ..shell.document import DocumentModel
from ..style import COVER, GHOST_FILL, INK, PAPER, SELECTED, kind_colour, scale, theme
from .axes import MIN_CHART_HEIGHT, fit_reason, name_ticks, scale_plot, show_reason
from .axis_room import RoomyAxis, RoomyUnitAxis
from .bar_item import GroupedBars
from .log_axis import set_log_ticks
from .memory_chart import MemoryPlot
from .plot_menu import without_plot_options

METRICS = BLOCK_METRICS
CHOICES = ["per-block chart", "memory chart"]
ZERO_MARK = 9
"""The size in pixels (at the desk's scale) of the mark where a bar of 0 would stand on a log
scale."""
pg.setConfigOptions(antialias=False, background=PAPER, foreground=INK)


class CostCharts(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.metric_box = QComboBox()  # not "metric": shiboken takes that for QPaintDevice.metric
        # and crashes when the widget's font changes (presentation mode, a system font change)
        self.metric_box.addItems(list(METRICS))
        self.log = QCheckBox("log scale")
        self.info = ElidedLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Per block:"))
        top.addWidget(self.metric_box)
        top.addWidget(self.log)
        self.choice = QComboBox()
        self.choice.addItems(CHOICES)
        self.choice.setToolTip("Too little room for both charts at a readable height: "
                               "choose one")
        self.choice.setVisible(False)
        self.choice.currentIndexChanged.connect(self._fit_charts)
        top.addWidget(self.choice)
        top.addWidget(self.info, 1)
        self.value_axis = RoomyUnitAxis("left")
        self.bars_plot = pg.PlotWidget(axisItems={"left": self.value_axis,
                                                  "bottom": RoomyAxis("bottom")})
        self.bars_plot.setMouseEnabled(x=False, y=False)
        without_plot_options(self.bars_plot.getPlotItem())
        # opaque and without the dashed outline: blending and a stroker pass per bar cost
        # tens of milliseconds on every α tick with a thousand bars
        self.ghost_bars = GroupedBars(x=[], height=[], width=0.8, brush=GHOST_FILL, pen=None,
                                      cached_from=200)
        self.bars = GroupedBars(x=[], height=[], width=0.8, brushes=[])
        self.bar_pen = self.bars.opts["pen"]
        self.bars_plot.addItem(self.ghost_bars)
        self.bars_plot.addItem(self.bars)
        self.zero_marks = pg.ScatterPlotItem(symbol="t", size=ZERO_MARK * scale(),
                                             pen=pg.mkPen(INK), brush=None)
        self.bars_plot.addItem(self.zero_marks)
        self.empty = pg.TextItem(color=INK, anchor=(0.5, 0.5))
        self.bars_plot.addItem(self.empty, ignoreBounds=True)
        self.reference = pg.InfiniteLine(angle=0, pen=pg.mkPen(COVER, style=Qt.DashLine))
        self.cover = pg.InfiniteLine(angle=90, pen=pg.mkPen(COVER, width=2))
        self.cover_label = pg.TextItem(color=COVER, anchor=(1, 1))
        for item in (self.reference, self.cover, self.cover_label):
            self.bars_plot.addItem(item, ignoreBounds=True)
        self.ghost = Ghost()
        self.memory_plot = MemoryPlot()
        self.peak, self.peak_label = self.memory_plot.peak, self.memory_plot.peak_label
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bars_plot, 3)
        layout.addWidget(self.memory_plot, 2)
        self.values: list[float] = []
        self.ids: list[str] = []
        self.names: list[str] = []
        self.kinds: list[str] = []
        self.heights: list[float] = []
        self.ghost_values: list[float] = []
        self.ghost_heights: list[float] = []
        self.base = 0.0
        self.top = 0.0
        self.zero_note = ""
        self.unmeasured = False
        self._zeros_drawn: tuple = ()
        self.buckets = []
        self._drawn: tuple | None = None
        self._ghost_key: tuple | None = None
        self._ghost_drawn: tuple = (None, None, None)
        self._coloured: tuple = (None, None, None, [])
        self._places: tuple = (None, ([], [], True))
        self._bars_look: dict = {}
        self.metric_box.currentTextChanged.connect(self.refresh)
        self.log.toggled.connect(self.refresh)
        self.bars_plot.scene().sigMouseMoved.connect(self._hover)
        self.bars_plot.scene().sigMouseClicked.connect(self._click)
        self.memory_plot.scene().sigMouseMoved.connect(self._hover_memory)
        self.bars_plot.getPlotItem().vb.sigResized.connect(self._label_bars)
        self.bars_plot.getPlotItem().vb.sigResized.connect(self._log_ticks)
        document.analysis_changed.connect(self.refresh)
        document.selection_changed.connect(self.refresh)
        self.presenting = False
        theme().changed.connect(self._on_theme_changed)
        self.refresh()

    def _on_theme_changed(self, *_) -> None:
        """Ticks, titles and labels at the theme's new scale."""
        scale_plot(self.bars_plot, [self.empty])
        scale_plot(self.memory_plot, [self.memory_plot.peak_label])
        self.zero_marks.setSize(ZERO_MARK * scale())
        self._drawn = None
        self.refresh()

    def set_presentation(self, on: bool) -> None:
        """Charts never under MIN_CHART_HEIGHT in presentation: when both do not fit one is
        shown, and the chooser picks which."""
        self.presenting = on
        for plot in (self.bars_plot, self.memory_plot):
            plot.setMinimumHeight(MIN_CHART_HEIGHT if on else 0)
        self._fit_charts()
        self._drawn = None
        self.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_charts()

    def _fit_charts(self, *_) -> None:
        room = self.height() - self.metric_box.sizeHint().height() - 30
        both = not self.presenting or room >= 2 * MIN_CHART_HEIGHT
        self.choice.setVisible(not both)
        pick = self.choice.currentIndex()
        self.bars_plot.setVisible(both or pick == 0)
        self.memory_plot.setVisible(both or pick == 1)

    def refresh(self, *_) -> None:
        """Draw the document's analysis; nothing when every figure the charts show reads as
        drawn (an α tick that leaves the rounded widths as they were): no bar, curve or label
        is set again, so the plots are not repainted."""
        a = self.document.analysis
        metric = METRICS[self.metric_box.currentText()]
        shown = block_values(metric, a, self.document.estimate)
        log = self.log.isChecked()
        ghost = self.ghost.of(self.document.design)
        reason = uncounted_reason(self.document.design, a)
        self.memory_plot.analysis = a
        drawn = (metric, log, shown, _Same(ghost), tuple(self.document.selected), reason,
                 self.document.estimate is None, a.memory_live, a.memory_steps,
                 a.peak_activation_bytes)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.ids, self.names, self.values = shown.ids, shown.names, shown.values
        self.kinds = shown.kinds
        self.unmeasured = metric is ESTIMATED_LATENCY and self.document.estimate is None
        self._ghost_values(ghost, metric)
        if log:
            self.base = log_floor(self.values + self.ghost_values)
            self.heights = log_heights(self.values, self.base)
            self.ghost_heights = log_heights(self.ghost_values, self.base)
        else:
            self.base = 0.0
            self.heights, self.ghost_heights = self.values, self.ghost_values
        self.top = self.base + (max(self.heights + self.ghost_heights, default=0) or 1)
        self._draw_bars()
        self.bars_plot.setYRange(self.base, self.base + (self.top - self.base) * 1.04,
                                 padding=0)
        title = self.metric_box.currentText()
        unit = metric.unit
        if log:       # the ticks carry the unit: "0.5 ms", "10M"
            self.value_axis.set_scale(Scale(1.0, ""), f"{title} (log)")
        else:
            self.value_axis.set_scale(
                scale_for(max(self.values + self.ghost_values, default=0), unit), title)
        self._log_ticks()
        show_reason(self.bars_plot, self.empty, reason, self.top, self.base)
        self._mark_coverage(shown, log)
        self._note_zeros(metric, log)
        self.memory_plot.show_analysis(a, ghost, reason)

    def _bar_room(self) -> int:
        """How many bars the plot has pixels for: one a pixel at the least."""
        return max(1, int(self.bars_plot.getPlotItem().vb.width()))

    def _draw_bars(self) -> None:
        """The bars, decimated by core when there are more than the plot has pixels (each bar
        then shows the largest block of its run, and names it); on a resize, drawn again only
        when the number of bars the plot has room for changed. What holds still while α is
        dragged (the runs' places, the colours when the same blocks peak, the ghost) is kept."""
        buckets = decimate(self.heights, self._bar_room())
        self.buckets = buckets
        xs, widths, whole = self._bar_places(buckets)
        selected = tuple(self.document.selected)
        peaks = [b.peak for b in buckets]
        if (peaks, selected, self.kinds) != self._coloured[:3]:
            chosen = set(selected)
            before = [0]                              # selected blocks before each index
            for nid in self.ids:
                before.append(before[-1] + (nid in chosen))
            self._coloured = (peaks, selected, self.kinds, [
                SELECTED.name() if before[b.stop] > before[b.start]
                else kind_colour(self.kinds[b.peak]) for b in buckets])
        # decimated bars touch: no outline to stroke (and none to see at a pixel or two wide)
        look = {"x": xs, "brushes": self._coloured[3], "width": widths,
                "pen": self.bar_pen if whole else None, "y0": self.base}
        if look == self._bars_look:   # an α tick: only the heights change
            look = {}
        else:
            self._bars_look = look
        heights = self.heights
        self.bars.setOpts(height=[heights[p] for p in peaks], **look)
        if (self.ghost_heights, xs, self.base) != self._ghost_drawn[:3]:
            ghost = self.ghost_heights
            tops = [max(ghost[b.start:b.stop]) for b in buckets] if ghost else []
            self.ghost_bars.setOpts(x=xs[:len(tops)], height=tops, width=widths[:len(tops)],
                                    y0=self.base)
            self._ghost_drawn = (ghost, xs, self.base)   # it holds still while α is dragged
        self.ghost_bars.setVisible(bool(self.ghost_heights))
        self._mark_zeros(xs, buckets)
        self._label_bars()

    def _bar_places(self, buckets) -> tuple[list[float], list[float], bool]:
        """Each bar's centre and width, and whether every block has a bar of its own, kept
        while the number of blocks and of bars hold."""
        key = (len(self.heights), len(buckets))
        if self._places[0] != key:
            whole = len(buckets) == len(self.heights)
            self._places = (key, ([(b.start + b.stop - 1) / 2 for b in buckets],
                                  [0.8 if whole else float(b.stop - b.start) for b in buckets],
                                  whole))
        return self._places[1]

    def _mark_zeros(self, xs, buckets) -> None:
        """On the log scale, a small downward triangle just above the floor where a bar of 0
        would stand (0 has no place on a log axis: no bar is drawn for it)."""
        at = [x for x, b in zip(xs, buckets) if self.values[b.peak] <= 0] \
            if self.log.isChecked() and not self.unmeasured else []
        lift = self.base + (self.top - self.base) * 0.03
        if (at, lift) != self._zeros_drawn:
            self.zero_marks.setData(x=at, y=[lift] * len(at))
            self.zero_marks.setVisible(bool(at))      # none: nothing to paint on a tick
            self._zeros_drawn = (at, lift)

    def _mark_coverage(self, shown, log: bool) -> None:
        """For the receptive field: the input's size across the chart and a line at the first
        block that sees the whole image (or a note that none does)."""
        self.estimate_note = self.coverage_text = ""
        metric = METRICS[self.metric_box.currentText()]
        if metric is ESTIMATED_LATENCY and self.document.estimate is None:
            self.estimate_note = ("No device profile for this machine yet: Tools ▸ Calibrate "
                                  "this machine measures one (about 20 s).")
        on = shown.reference is not None
        self.reference.setVisible(on)
        self.cover.setVisible(on and shown.covers_from is not None)
        self.cover_label.setVisible(on)
        if not on:
            return
        at = math.log10(shown.reference) if log else shown.reference
        self.reference.setValue(at)
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

    def _log_ticks(self, *_) -> None:
        """On the log scale, ticks at 1, 2 and 5 × 10^k in the metric's unit ("500 ms",
        "0.2 ms", "10M"), powers of ten as many as the axis has room for; pyqtgraph's own
        linear ticks otherwise."""
        axis = self.value_axis
        if not self.log.isChecked():
            if axis._tickLevels is not None:
                axis.setTicks(None)
            return
        metric = METRICS[self.metric_box.currentText()]
        set_log_ticks(axis, self.bars_plot.getPlotItem().vb.height(), self.base, self.top,
                      metric.unit)

    def _note_zeros(self, metric, log: bool) -> None:
        """On the log scale, which blocks are not drawn because their value is 0 (it has no
        place on a log axis): said beside the menu and in the plot's tooltip."""
        zeros = [n for n, v in zip(self.names, self.values) if v <= 0] \
            if log and not self.unmeasured else []
        self.zero_note = ""
        if zeros:
            listed = ", ".join(zeros[:3]) + (f" and {len(zeros) - 3} more" if len(zeros) > 3
                                            else "")
            self.zero_note = f"{metric.zero} {metric.noun}, not drawn on a log scale: {listed}"
        self._standing_note()

    def _standing_note(self) -> None:
        """What the line beside the menu says when the pointer is over no bar."""
        note = self.estimate_note or self.zero_note
        self.info.setText(note)
        self.bars_plot.setToolTip(self.zero_note)

    def _ghost_values(self, ghost, metric) -> None:
        """The α = 1, ρ = 1 values, drawn faint behind the bars (none when the design is at 1
        and 1): the y axis holds them, so dragging α shrinks the bars against a fixed axis.
        Worked out once a drag: the ghost holds still while α or ρ moves."""
        key = (_Same(ghost), metric, self.ids, _Same(self.document.profile))
        if key == self._ghost_key:
            return
        self._ghost_key = key
        by_id = {}
        if ghost is not None:
            profile = self.document.profile
            unscaled = block_values(metric, ghost, estimate(ghost, profile)
                                    if profile is not None and metric is ESTIMATED_LATENCY
                                    else None)
            by_id = dict(zip(unscaled.ids, unscaled.values))
        self.ghost_values = [by_id.get(i, 0) for i in self.ids] if ghost else []

    def _label_bars(self, *_) -> None:
        """Name the bars core chooses (the largest always, no two names touching); the others
        show their name on hover. More blocks than pixels: the bars are decimated anew."""
        n = len(self.names)
        if self.buckets and len(self.buckets) != min(n, self._bar_room()):
            self._draw_bars()
            return
        peaks = [b.peak for b in self.buckets]
        self.named = [peaks[i] for i in name_ticks(
            self.bars_plot, [(b.start + b.stop - 1) / 2 for b in self.buckets],
            [self.names[i] for i in peaks], [self.values[i] for i in peaks],
            -0.6, max(n - 0.4, 0.6))]
        if not n:
            self.empty.setPos(0, self.empty.pos().y())
            fit_reason(self.bars_plot, self.empty)

    def bar_at(self, scene_pos) -> int | None:
        """The block whose bar is under the pointer (of a decimated bar: its largest block)."""
        if not self.bars_plot.sceneBoundingRect().contains(scene_pos):
            return None
        x = self.bars_plot.getPlotItem().vb.mapSceneToView(scene_pos).x()
        i = round(x)
        if not 0 <= i < len(self.ids):
            return None
        if len(self.buckets) == len(self.ids):
            return i if abs(x - i) <= 0.4 else None
        return next((b.peak for b in self.buckets if b.start <= i < b.stop), None)

    def _hover(self, scene_pos) -> None:
        i = self.bar_at(scene_pos)
        if i is None:
            self._standing_note()
            return
        metric = METRICS[self.metric_box.currentText()]
        value = self.values[i]
        text = (f"{self.names[i]}: {value:.3f} {metric.noun}" if isinstance(value, float)
                else f"{self.names[i]}: {value:,} {metric.noun}")
        if metric.tip_symbol and metric.prefixed:
            text += f" ({human(value, metric.tip_symbol)})"
        if value <= 0 and self.log.isChecked():
            text += ", not drawn on a log scale"
        self.info.setText(text)
        self.bars_plot.setToolTip(text)

    def memory_at(self, scene_pos) -> int | None:
        """The execution step under the pointer on the memory chart."""
        live = self.document.analysis.memory_live
        if not live or not self.memory_plot.sceneBoundingRect().contains(scene_pos):
            return None
        return self.memory_plot.step_at(
            self.memory_plot.getPlotItem().vb.mapSceneToView(scene_pos).x())

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


class _Same:
    """Equal only to a wrapper of the very same object (an analysis compared by identity, not
    field by field)."""

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj
