"""A curve with more steps than its plot has pixels, drawn as the band it fills: each pixel
column a rectangle from its lowest to its highest value (core's ``band``), at least a pixel
high, reaching to the next column. At a thousand blocks the live memory curve is such a band:
stroked through two points a pixel it cost Qt about 2 ms a tick, filled as a polygon of its
zigzag edges 30 ms; as rectangles it is one ``drawRects`` call of half a millisecond."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QRectF, Qt


class BandItem(pg.GraphicsObject):
    def __init__(self, brush):
        super().__init__()
        self.brush = pg.mkBrush(brush)
        self.drawn: tuple[list, list, list] = ([], [], [])
        self._rects = internals.PrimitiveArray(QRectF, 4)
        self._arrays: tuple[np.ndarray, ...] = ()
        self._bounds = QRectF()

    def setData(self, xs: list[float], lows: list[float], highs: list[float],
                width: float = 1.0) -> None:
        """Columns ``width`` wide centred at ``xs`` (ascending), each reaching to the next."""
        self.prepareGeometryChange()
        self.drawn = (xs, lows, highs)
        if xs:
            x = np.asarray(xs, dtype=float)
            left = x - width / 2
            right = np.append(left[1:], x[-1] + width / 2)
            low, high = np.asarray(lows, dtype=float), np.asarray(highs, dtype=float)
            self._arrays = (left, right - left, low, high - low)
            self._bounds = QRectF(left[0], low.min(), right[-1] - left[0],
                                  high.max() - low.min())
        else:
            self._arrays, self._bounds = (), QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p, *_) -> None:
        if not self._arrays:
            return
        left, widths, low, heights = self._arrays
        pixel = 1 / (abs(p.transform().m22()) or 1.0)     # a flat column is a pixel high
        self._rects.resize(len(left))
        rects = self._rects.ndarray()
        rects[:, 0], rects[:, 1], rects[:, 2] = left, low, widths
        rects[:, 3] = np.maximum(heights, pixel)
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setPen(Qt.NoPen)
        p.setBrush(self.brush)
        p.drawRects(*self._rects.drawargs())
