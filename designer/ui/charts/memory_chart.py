"""Live activation memory over the execution order: the x axis names the blocks in the order
they run, the y axis starts at zero in a unit picked from the values, the peak is marked with a
label kept inside the plot, and the α = 1, ρ = 1 curve stays behind as a faint ghost. A curve
with more steps than the plot has pixels is drawn through each pixel's lowest and highest value
(core's ``envelope``), with a 1 px pen (at two points a pixel the curve is a band of strokes
either way; Qt strokes a 2 px pen segment by segment, 3 ms a tick at 1,000 blocks): the same
picture, a fraction of the points to stroke on every α tick. Such a ghost is kept as a pixmap
while it holds still.
When nothing can be counted the plot says why instead of showing empty axes."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from designer.core.analysis import Analysis
from designer.core.chart_text import scale_for
from designer.core.decimate import envelope
from designer.core.ghost import block_spans
from designer.core.units import human

from .. import style
from .axes import UnitAxis, fit_reason, name_ticks, settle_texts, show_reason
from .plot_menu import without_plot_options

HEADROOM = 1.18
"""The y axis reaches this far above the highest curve, so the peak's label fits above it."""


class MemoryPlot(pg.PlotWidget):
    def __init__(self, parent=None):
        self.value_axis = UnitAxis("left")
        super().__init__(parent, axisItems={"left": self.value_axis},
                         title="Live activation memory")  # the x axis says the order
        self.setMouseEnabled(x=False, y=False)
        without_plot_options(self.getPlotItem())
        self.setLabel("bottom", "blocks, in execution order")
        # a dashed pen wider than 1 px is stroked by Qt point by point: hundreds of ms a tick
        self.ghost_curve = self.plot([], [], pen=pg.mkPen(style.GHOST, width=1, style=Qt.DashLine))
        self.pens = {False: pg.mkPen(style.SERIES[0], width=2),
                     True: pg.mkPen(style.SERIES[0], width=1)}     # by: the curve is dense
        self.curve = self.plot([], [], pen=self.pens[False])
        self._dense = False
        self.peak = pg.ScatterPlotItem(size=12, brush=style.PEAK)
        self.peak_label = pg.TextItem(color=style.PEAK)
        self.addItem(self.peak)
        self.addItem(self.peak_label)
        self.empty = pg.TextItem(color=style.INK, anchor=(0.5, 0.5))
        self.addItem(self.empty, ignoreBounds=True)
        self.analysis: Analysis | None = None
        self._curves: tuple[list, tuple, int] = ([], (), 0)
        self._ghost_drawn: tuple[tuple, int] = ((), -1)
        self._shadow_top: tuple[tuple, int] = ((), 0)
        self._spans: list[tuple[tuple[str, ...], tuple]] = []
        self.getPlotItem().vb.sigResized.connect(self._name_blocks)

    def show_analysis(self, a: Analysis, ghost: Analysis | None = None,
                      reason: str | None = None) -> None:
        """Draw ``a``'s live memory (and ``ghost``'s behind it); ``reason``: why nothing can be
        counted, written across the plot."""
        self.analysis = a
        live = list(a.memory_live)
        shadow = ghost.memory_live if ghost is not None else ()
        if shadow is not self._shadow_top[0]:     # one ghost a drag
            self._shadow_top = (shadow, max(shadow, default=0))
        live_top = max(live, default=0)
        top = max(live_top, self._shadow_top[1])
        self.value_axis.set_scale(scale_for(top, "B"), "Live memory")
        self._curves = (live, shadow, 0)
        self._draw_curves()
        show_reason(self, self.empty, reason, top)
        self.setYRange(0, (top or 1) * HEADROOM, padding=0)
        if live:
            i = live.index(live_top)              # the first largest
            self.peak.setData([i], [live[i]])
            self.peak_label.setText(f"peak {human(a.peak_activation_bytes, 'B')} at "
                                    f"{a.memory_steps[0][i]}")
            # the label grows away from the nearer edge, so it never leaves the plot
            self.peak_label.setAnchor((1.0, 1.0) if i > len(live) / 2 else (0.0, 1.0))
            self.peak_label.setPos(i, live[i])
        else:
            self.peak.setData([], [])
            self.peak_label.setText("")
        self._name_blocks()

    def _draw_curves(self) -> None:
        """The curves through at most two points a pixel (again when the plot's width changed)."""
        live, shadow, drawn = self._curves
        room = max(1, int(self.getPlotItem().vb.width()))
        if room != drawn:
            if self._dense != (len(live) > room):
                self._dense = len(live) > room
                self.curve.setPen(self.pens[self._dense])
            self.curve.setData(*envelope(live, room))
            if (shadow, room) != self._ghost_drawn:   # one ghost a drag: drawn once
                self.ghost_curve.setData(*envelope(list(shadow), room))
                self._ghost_drawn = (shadow, room)
                # kept as a pixmap when dense (a sparse one is drawn sooner than copied)
                self.ghost_curve.curve.setCacheMode(
                    QGraphicsItem.DeviceCoordinateCache if len(shadow) > room
                    else QGraphicsItem.NoCache)
            self._curves = (live, shadow, room)

    def _name_blocks(self, *_) -> None:
        a = self.analysis
        if a is None:
            return
        self._draw_curves()
        fit_reason(self, self.empty)
        positions, names, slices = self._block_spans(a.memory_steps[0])
        live = a.memory_live
        n = len(live)
        name_ticks(self, positions, names, list(map(max, map(live.__getitem__, slices))), -0.5,
                   max(n - 0.5, 0.5))
        settle_texts(self, [self.peak_label, self.empty])

    def _block_spans(self, steps: tuple[str, ...]) -> tuple[list, list, list]:
        """Where each block's steps are centred, the blocks' names and their steps (as slices)
        for the x axis; remembered for the last few step orders (a drag can flip between two:
        an inverted residual's skip that comes and goes with α)."""
        for known, spans in self._spans:
            if known is steps or known == steps:
                return spans
        found = block_spans(steps)
        spans = ([(s + e - 1) / 2 for _, s, e in found], [b for b, _, _ in found],
                 [slice(s, e) for _, s, e in found])
        self._spans = [(steps, spans), *self._spans[:3]]
        return spans
