"""Bars drawn one colour at a time: pyqtgraph's BarGraphItem records one QPicture command per
bar with its own brush and plays them all back, which on a thousand-block design took about a
third of an α tick's painting; here the bars of each colour are one ``drawRects`` call."""
from __future__ import annotations

import pyqtgraph as pg


class GroupedBars(pg.BarGraphItem):
    """A BarGraphItem (same options, same ``opts``) painted by colour groups. Bars never
    overlap, so the order they are drawn in does not show. Where two decimated bars touch at a
    fraction of a pixel the column between them may fall to the other one than in
    BarGraphItem, whose QPicture playback rounds edges its own way (as a direct ``fillRect``
    does too)."""

    def setOpts(self, **opts) -> None:
        if "brush" in opts or "brushes" in opts or not hasattr(self, "_colours"):
            self._colours = None                 # an α tick sets heights only: kept
        self._groups = None
        super().setOpts(**opts)

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
