"""Axes that read at a glance: a value axis whose unit is picked from the values (core's
``scale_for``: "kB", never pyqtgraph's "MB (x0.001)"), and a category axis that names the bars
core's ``labelled_bars`` chooses (the largest always), measured in this axis's own font."""
from __future__ import annotations

import math
from functools import lru_cache

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

from designer.core.chart_text import Scale, labelled_bars

from ..style import font, scale

LABEL_GAP = 12


class UnitAxis(pg.AxisItem):
    """Ticks at the plotted (raw) values, written in ``scale``'s unit; the axis title carries it."""

    def __init__(self, orientation: str = "left", **kw):
        super().__init__(orientation, **kw)
        self.scale_ = Scale(1.0, "")
        self.unit_title: str | None = None
        self.enableAutoSIPrefix(False)

    def set_scale(self, scale: Scale, title: str) -> None:
        """Redrawn only when the unit or title changed (an α tick keeps the ghost's axis)."""
        if (scale, title) == (self.scale_, self.unit_title):
            return
        self.scale_, self.unit_title = scale, title
        self.setLabel(f"{title} ({scale.unit})" if scale.unit else title)
        self.picture = None
        self.update()

    def tickStrings(self, values, scale, spacing):
        """In the axis' unit. Never in pyqtgraph's log mode: no plot offers it (.plot_menu)."""
        step = spacing / self.scale_.divisor
        decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
        return [f"{v / self.scale_.divisor:,.{decimals}f}" for v in values]


def name_ticks(plot: pg.PlotWidget, positions: list[float], names: list[str],
               values: list[float], lo: float, hi: float) -> list[int]:
    """Show ``lo`` to ``hi`` on ``plot``'s x axis, widened just enough for the names at either
    end, and name the categories at ``positions`` that core chooses: the largest always, no two
    names touching. Returns the indices named."""
    axis = plot.getAxis("bottom")
    font_key = (axis.style["tickFont"] or axis.font()).toString()
    pixels = max(plot.getPlotItem().vb.width(), 1.0)
    px = _widths(font_key, names)
    left = right = 0.0
    for _ in range(3):
        per_unit = pixels / (hi - lo + left + right)
        if positions:
            left = max(0.0, px[0] / 2 / per_unit - (positions[0] - lo))
            right = max(0.0, px[-1] / 2 / per_unit - (hi - positions[-1]))
    per_unit = pixels / (hi - lo + left + right)
    if plot.getPlotItem().vb.viewRange()[0] != [lo - left, hi + right]:
        plot.setXRange(lo - left, hi + right, padding=0)
    chosen = labelled_bars(values, [w / per_unit for w in px], positions=positions)
    ticks = [[(positions[i], names[i]) for i in chosen], []]
    if ticks != axis._tickLevels:
        axis.setTicks(ticks)
    return chosen


def settle_texts(plot: pg.PlotWidget, texts: list[pg.TextItem]) -> None:
    """Bring the view's new range into its transform and ``texts`` (which keep their size on
    screen) into line with it now. pyqtgraph defers both to the paint, and when a text
    settles before the view does, the plot is painted a second time: on every α tick of a
    1,000-block design, whose number of steps, and so the memory chart's x range, changes."""
    plot.getPlotItem().vb.updateMatrix()
    for text in texts:
        text.updateTransform()


_measured: list[tuple[str, list[str], list[int]]] = []
"""The last few fonts, names and widths ``_widths`` gave (an α tick names the same blocks on
each chart)."""


def _widths(font_key: str, names: list[str]) -> list[int]:
    """Each name's width in pixels in the font ``font_key`` names, plus the gap kept between
    names."""
    for key, known, widths in _measured:
        if key == font_key and known == names:
            return widths
    widths = [_advance(font_key, n) + LABEL_GAP for n in names]
    _measured[:] = [(font_key, list(names), widths), *_measured[:3]]
    return widths


@lru_cache(maxsize=16384)
def _advance(font_key: str, text: str) -> int:
    """``text``'s width in pixels in the font ``font_key`` names (measured once per name)."""
    f = QFont()
    f.fromString(font_key)
    return QFontMetrics(f).horizontalAdvance(text)


MIN_CHART_HEIGHT = 180
"""In presentation no chart is drawn shorter than this: a tab shows fewer charts instead."""


def scale_plot(plot: pg.PlotWidget, texts=()) -> None:
    """Ticks, axis titles, the title and ``texts`` in the theme's current scale."""
    item = plot.getPlotItem()
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setTickFont(font(9))
        axis.label.setFont(font(10))
        axis.picture = None
        axis.update()
    if item.titleLabel.text:
        item.setTitle(item.titleLabel.text, size=f"{11 * scale():.0f}pt")
    for text in texts:
        text.setFont(font(10))


def show_reason(plot: pg.PlotWidget, text: pg.TextItem, reason: str | None, top: float,
                bottom: float = 0.0) -> None:
    """Write core's reason why nothing can be counted across the middle of ``plot`` (from
    ``bottom`` to ``top``, wrapped to nine tenths of its width) in place of its axes, which
    have nothing to measure; or show the axes when there is no reason."""
    item = plot.getPlotItem()
    for side in ("left", "bottom"):
        if item.getAxis(side).isVisible() != (not reason):
            item.showAxis(side, not reason)
    text.setText(reason or "")
    fit_reason(plot, text)
    text.setPos(0, bottom + ((top - bottom) or 1) / 2)


def fit_reason(plot: pg.PlotWidget, text: pg.TextItem) -> None:
    """Wrap the reason to the plot's width (again when the plot is resized)."""
    shown = bool(text.textItem.toPlainText())
    text.setTextWidth(max(120.0, plot.getPlotItem().vb.width() * 0.9) if shown else -1)
