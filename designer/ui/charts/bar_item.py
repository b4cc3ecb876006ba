"""Bars drawn one colour at a time: pyqtgraph's BarGraphItem records one QPicture command per
bar with its own brush and plays them all back, which on a thousand-block design took about a
third of an α tick's painting; here the bars of each colour are one ``drawRects`` call."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

CacheMode = QGraphicsItem.CacheMode


class GroupedBars(pg.BarGraphItem):
    """A BarGraphItem (same options, same ``opts``) painted by colour groups. Bars never
    overlap, so the order they are drawn in does not show. Where two decimated bars touch at a
    fraction of a pixel the column between them may fall to the other one than in
    BarGraphItem, whose QPicture playback rounds edges its own way (as a direct ``fillRect``
    does too). ``cached_from``: bars that hold still while others move (a ghost) are kept as
    a pixmap of the screen when there are at least this many (fewer are drawn sooner than a
    pixmap of the plot's size is copied)."""

    def __init__(self, *args, cached_from: int | None = None, **opts):
        self.cached_from = cached_from
        super().__init__(*args, **opts)

    def setOpts(self, **opts) -> None:
        if "brush" in opts or "brushes" in opts or not hasattr(self, "_colours"):
            self._colours = None                 # an α tick sets heights only: kept
        self._groups = None
        super().setOpts(**opts)
        if self.cached_from is not None:
            many = len(self.opts.get("height") or ()) >= self.cached_from
            mode = CacheMode.DeviceCoordinateCache if many else CacheMode.NoCache
            if self.cacheMode() != mode:
                self.setCacheMode(mode)

    def groups(self) -> list:
        """(brush, its bars' rectangles) for every colour, in the order colours first occur."""
        if self._groups is None:
            rects = self._rectarray.instances()
            if self._colours is None:
                by_colour: dict[int, tuple] = {}
                for i, brush in enumerate(self._brushes or ()):
                    by_colour.setdefault(brush.color().rgba(), (brush, []))[1].append(i)
                self._colours = list(by_colour.values())
            if self._brushes is None:
                self._groups = [(self._sharedBrush, list(rects))] if rects else []
            else:
                self._groups = [(brush, [rects[i] for i in bars if i < len(rects)])
                                for brush, bars in self._colours]
        return self._groups

    def paint(self, p, *args) -> None:
        if self._pens is not None:                  # a pen a bar: drawn bar by bar
            super().paint(p, *args)
            return
        p.setPen(self._sharedPen)
        for brush, rects in self.groups():
            p.setBrush(brush)
            p.drawRects(rects)
