"""The memory chart's peak: one dot of a fixed size on screen. A pyqtgraph scatter of one point
cost about half a millisecond to paint, on every α tick of a long design (its plot is painted
anew as the curve moves); this draws one circle."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem


class PeakMarker(pg.GraphicsObject):
    def __init__(self, size: float, brush, pen):
        super().__init__()
        self.radius = size / 2
        self.brush, self.pen = pg.mkBrush(brush), pg.mkPen(pen)
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)   # pixels, at any range
        self._data: tuple[list, list] = ([], [])
        self.setVisible(False)

    def setData(self, xs: list[float], ys: list[float]) -> None:
        """At most one point: ``(xs[0], ys[0])``; none hides the marker."""
        self._data = (list(xs[:1]), list(ys[:1]))
        if self._data[0]:
            self.setPos(self._data[0][0], self._data[1][0])
        self.setVisible(bool(self._data[0]))

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self._data[0], dtype=float), np.array(self._data[1], dtype=float)

    def boundingRect(self) -> QRectF:
        r = self.radius + 1
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, p: QPainter, *_) -> None:
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(self.pen)
        p.setBrush(self.brush)
        p.drawEllipse(QPointF(0, 0), self.radius, self.radius)
