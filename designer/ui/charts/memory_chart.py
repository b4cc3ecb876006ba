"""Live activation memory over the execution order: the x axis is the per-block chart's, one
unit a block in the order they run (core's ``step_axis``: a block's steps share its unit), so the
two charts line up, the α = 1, ρ = 1 ghost lines up block by block, and the axis holds still while
α is dragged. The y axis starts at zero in a unit picked from the values, the peak is marked with
a label kept inside the plot. A curve with more steps than the plot has pixels is drawn as the
band it fills (core's ``band``: each pixel column from its lowest to its highest value), the
ghost as a faint band behind it, kept as a pixmap while it holds still.
When nothing can be counted the plot says why instead of showing empty axes."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from designer.core.analysis import Analysis
from designer.core.chart_text import scale_for
from designer.core.step_axis import StepAxis, band, columns, step_at, step_axis
from designer.core.units import human

from .. import style
from .band_item import BandItem
from .peak_marker import PeakMarker
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
        self.ghost_band = BandItem(style.GHOST_FILL)
        self.ghost_band.setCacheMode(QGraphicsItem.DeviceCoordinateCache)   # it holds still
        self.addItem(self.ghost_band)
        self.curve = self.plot([], [], pen=pg.mkPen(style.SERIES[0], width=2))
        self.band = BandItem(style.SERIES[0])
        self.addItem(self.band)
        self.peak = PeakMarker(12, style.PEAK, style.INK)
        self.peak_label = pg.TextItem(color=style.PEAK)
        self.addItem(self.peak)
        self.addItem(self.peak_label)
        self.empty = pg.TextItem(color=style.INK, anchor=(0.5, 0.5))
        self.addItem(self.empty, ignoreBounds=True)
        self.analysis: Analysis | None = None
        self.ghost: Analysis | None = None
        self.axis: StepAxis = step_axis(())
        self.ghost_axis: StepAxis = self.axis
        self._drawn: dict[str, tuple] = {}
        self._shadow_top: tuple[tuple, int] = ((), 0)
        self._axes: list[tuple[tuple[str, ...], StepAxis]] = []
        self._columns: list[tuple[StepAxis, int, list]] = []
        self._peak_drawn: tuple = ()
        self.getPlotItem().vb.sigResized.connect(self._name_blocks)

    def show_analysis(self, a: Analysis, ghost: Analysis | None = None,
                      reason: str | None = None) -> None:
        """Draw ``a``'s live memory (and ``ghost``'s behind it); ``reason``: why nothing can be
        counted, written across the plot."""
        self.analysis, self.ghost = a, ghost
        live = a.memory_live
        shadow = ghost.memory_live if ghost is not None else ()
        if shadow is not self._shadow_top[0]:     # one ghost a drag
            self._shadow_top = (shadow, max(shadow, default=0))
        live_top = max(live, default=0)
        top = max(live_top, self._shadow_top[1])
        self.value_axis.set_scale(scale_for(top, "B"), "Live memory")
        self.axis = self._axis_of(a.memory_steps[0])
        self.ghost_axis = self._axis_of(ghost.memory_steps[0] if ghost is not None else ())
        self._draw_curves()
        show_reason(self, self.empty, reason, top)
        self.setYRange(0, (top or 1) * HEADROOM, padding=0)
        if live:
            i = live.index(live_top)              # the first largest
            x = self.axis.positions[i]
            text = f"peak {human(a.peak_activation_bytes, 'B')} at {a.memory_steps[0][i]}"
            # the label grows away from the nearer edge, so it never leaves the plot
            anchor = (1.0, 1.0) if x > len(self.axis.names) / 2 - 0.5 else (0.0, 1.0)
            self._mark_peak(x, live[i], text, anchor)
        else:
            self._mark_peak(None, None, "", (0.0, 1.0))
        self._name_blocks()

    def _mark_peak(self, x: float | None, y: float | None, text: str, anchor: tuple) -> None:
        """The peak's marker and label, set only when they move (an α tick on a long design
        mostly leaves the peak where it was, and setting a scatter point costs)."""
        if (x, y, text, anchor) == self._peak_drawn:
            return
        self._peak_drawn = (x, y, text, anchor)
        self.peak.setData([] if x is None else [x], [] if y is None else [y])
        self.peak_label.setText(text)
        if x is not None:
            self.peak_label.setAnchor(anchor)
            self.peak_label.setPos(x, y)

    def step_at(self, x: float) -> int | None:
        """The execution step drawn at ``x`` (in the plot's coordinates)."""
        return step_at(self.axis, x)

    def _draw_curves(self) -> None:
        """The curve and the ghost's, each as a line through its steps or, with more steps than
        the plot has pixels, as the band it fills (again when the plot's width changed)."""
        room = max(1, int(self.getPlotItem().vb.width()))
        live = self.analysis.memory_live if self.analysis is not None else ()
        shadow = self._shadow_top[0]
        self._draw("live", self.curve, self.band, live, self.axis, room)
        self._draw("ghost", self.ghost_curve, self.ghost_band, shadow, self.ghost_axis, room)

    def _draw(self, key: str, curve, band_item: BandItem, values: tuple, axis: StepAxis,
              room: int) -> None:
        if self._drawn.get(key) == (values, axis, room):
            return
        self._drawn[key] = (values, axis, room)
        dense = len(values) > room
        if dense:
            band_item.setData(*band(values, self._columns_of(axis, room)),
                              width=len(axis.names) / room)
        elif band_item.drawn[0]:
            band_item.setData([], [], [])
        if not dense:
            curve.setData(axis.positions, list(values))
        elif curve.xData is not None and len(curve.xData):
            curve.setData([], [])

    def _columns_of(self, axis: StepAxis, room: int) -> list:
        """The plot's pixel columns over ``axis``, kept for the last few step orders."""
        for known, width, cols in self._columns:
            if known is axis and width == room:
                return cols
        cols = columns(axis.positions, -0.5, len(axis.names) - 0.5, room)
        self._columns = [(axis, room, cols), *self._columns[:3]]
        return cols

    def _name_blocks(self, *_) -> None:
        a = self.analysis
        if a is None:
            return
        self._draw_curves()
        fit_reason(self, self.empty)
        live, names = a.memory_live, self.axis.names
        name_ticks(self, list(range(len(names))), names,
                   [max(live[s:e]) for s, e in self.axis.spans], -0.5, max(len(names) - 0.5, 0.5))
        settle_texts(self, [self.peak_label, self.empty])

    def _axis_of(self, steps: tuple[str, ...]) -> StepAxis:
        """``step_axis(steps)``, remembered for the last few step orders (a drag can flip
        between two: an inverted residual's skip that comes and goes with α)."""
        for known, axis in self._axes:
            if known is steps or known == steps:
                return axis
        axis = step_axis(steps)
        self._axes = [(steps, axis), *self._axes[:3]]
        return axis
