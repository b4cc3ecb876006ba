"""Axes that make room for what they write. pyqtgraph draws a tick label only when it fits
inside the axis, and puts the axis title at the axis's outer edge: an axis given a fixed width
(five font sizes, say) silently drops "100 ms" and "200 ms" on a log latency axis and lets its
title run over the labels it keeps. Here the room comes from the text: the widest (or tallest)
tick label the axis will draw at its present range, length and ticks, measured in the axis's
own tick font (so presentation's larger font is measured as drawn), plus the tick, the gap
pyqtgraph keeps to the text, and the title's line beyond them.

The workshop's charts (compare, sweep, block kinds) and the Design tab's per-block chart use it."""
from __future__ import annotations

import math
from functools import lru_cache

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsWidget
from shiboken6 import Shiboken

from .axes import UnitAxis

NUDGE = 5
"""How far pyqtgraph's ``AxisItem.resizeEvent`` sets the title beyond the axis's outer edge."""
GAP = 4
"""Pixels kept between the title's line and the nearest tick label."""
SLACK = 2
"""A measured width is a fraction; the painter rounds a pixel either way."""


def tick_strings(axis: pg.AxisItem) -> list[str]:
    """The labels ``axis`` writes at its range and length now: its fixed ticks inside the range
    (``setTicks``) or the ones pyqtgraph picks, level by level as long as pyqtgraph would
    label that level (its ``textFillLimits``: finer levels only while the text leaves room)."""
    lo, hi = sorted(axis.range)
    vertical = axis.orientation in ("left", "right")
    length = max(1.0, axis.height() if vertical else axis.width())
    if axis._tickLevels is not None:
        levels = [[s for v, s in level if lo <= v <= hi] for level in axis._tickLevels]
    else:
        levels = [axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing)
                  for spacing, values in axis.tickValues(lo, hi, length)]
    key = _font_key(axis)
    shown: list[str] = []
    filled = 0.0
    for i, level in enumerate(levels[:axis.style["maxTextLevel"] + 1]):
        level = [s for s in level if s]
        if not level:
            continue
        filled += sum(_text_size(key, s)[1 if vertical else 0] for s in level)
        if i > 0 and any(len(shown) >= n and filled / length >= limit
                         for n, limit in axis.style["textFillLimits"]):
            break
        shown += level
    return shown


def _font_key(axis: pg.AxisItem) -> str:
    return (axis.style["tickFont"] or axis.font()).toString()


@lru_cache(maxsize=64)
def _metrics(font_key: str) -> QFontMetricsF:
    font = QFont()
    font.fromString(font_key)
    return QFontMetricsF(font)


@lru_cache(maxsize=16384)
def _text_size(font_key: str, text: str) -> tuple[float, float]:
    """``text``'s width and height as pyqtgraph measures a tick label (centred in a 100 px
    square; it counts four fifths of the height) in the font ``font_key`` names."""
    rect = _metrics(font_key).boundingRect(QRectF(0, 0, 100, 100), Qt.AlignCenter, text)
    return rect.width(), rect.height() * 0.8


def title_room(axis: pg.AxisItem) -> float:
    """How far the title's line reaches into the axis from its outer edge (0 without one)."""
    if axis.label is None or not axis.label.isVisible():
        return 0.0
    return max(0.0, axis.label.boundingRect().height() - NUDGE)


def needed_size(axis: pg.AxisItem) -> int:
    """The width (left or right axis) or height (top or bottom) that holds the tick, the gap,
    the largest tick label and, beyond it, the title."""
    vertical = axis.orientation in ("left", "right")
    key = _font_key(axis)
    sizes = [_text_size(key, s) for s in tick_strings(axis)]
    if vertical:
        text = max((w for w, _ in sizes), default=0.0)
    else:
        text = _metrics(key).height()      # the whole line, below the four fifths counted
    offset = axis.style["tickTextOffset"][0 if vertical else 1]
    size = max(0, axis.style["tickLength"]) + offset + text + SLACK
    room = title_room(axis)
    if room:
        size += GAP + room
    return math.ceil(size)


def fit_axis(axis: pg.AxisItem) -> None:
    """Give ``axis`` the room its labels and title need now (only when that changed: a new
    size lays the plot out again)."""
    if not _alive(axis.label):       # closed, or being torn down
        return
    size = needed_size(axis)
    if axis.orientation in ("left", "right"):
        if axis.fixedWidth != size:
            axis.setWidth(size)
    elif axis.fixedHeight != size:
        axis.setHeight(size)


def _alive(item) -> bool:
    return item is not None and Shiboken.isValid(item)


class RoomyAxis(pg.AxisItem):
    """An axis that fits itself (``fit_axis``) whenever what it writes can have changed: its
    range or length (a zoom, a resize), its ticks, its font, its title."""

    _ready = False

    def __init__(self, orientation: str, **kw):
        super().__init__(orientation, **kw)
        self._ready = True
        fit_axis(self)

    def _fit(self) -> None:
        if self._ready:
            fit_axis(self)

    def resizeEvent(self, ev=None) -> None:
        """A chart torn down resizes its axes after their titles are gone (the axis's new
        size limits not yet laid out): pyqtgraph would place a deleted title, an error
        inside Qt's teardown, which crashes the process."""
        if _alive(self.label):
            super().resizeEvent(ev)
        else:
            self.picture = None

    def setRange(self, mn: float, mx: float) -> None:
        super().setRange(mn, mx)
        self._fit()

    def setTicks(self, ticks=None) -> None:
        super().setTicks(ticks)
        self._fit()

    def setTickFont(self, font) -> None:
        super().setTickFont(font)
        self._fit()

    def setStyle(self, **kwargs) -> None:
        super().setStyle(**kwargs)
        self._fit()

    def setLabel(self, *args, **kwargs) -> None:
        super().setLabel(*args, **kwargs)
        self._fit()

    def showLabel(self, show: bool = True) -> None:
        super().showLabel(show)
        self._fit()


def use_roomy_axes(plot: pg.PlotItem) -> pg.PlotItem:
    """Give a new ``plot`` (before its axes are titled) a left and a bottom ``RoomyAxis``,
    in place of pyqtgraph's (deleted). Each is made with a parent, so that Qt owns it as it
    owns the axes pyqtgraph makes itself (the plot's layout then adopts it); the parent is a
    bare item outside any scene, as pyqtgraph refuses an axis already in one."""
    old = [plot.getAxis(side) for side in ("left", "bottom")]
    holder = QGraphicsWidget()
    plot.setAxisItems({side: RoomyAxis(side, parent=holder) for side in ("left", "bottom")})
    for axis in old:
        axis.deleteLater()
    return plot


class RoomyUnitAxis(RoomyAxis, UnitAxis):
    """A ``UnitAxis`` (ticks written in a unit picked from the values) that makes room for its
    labels; a new unit comes with a new title, so it refits then too."""
