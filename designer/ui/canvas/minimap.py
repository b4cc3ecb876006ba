"""The overview: the whole network small in a strip beside the canvas, the part the canvas shows
as a frame. Click or drag in it to move the canvas there. The picture is every block as a box in its
kind's colour, drawn once into a pixmap and renewed (at most every REDRAW_MS) when the scene
changes, so scrolling the canvas only redraws the frame."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsView, QWidget

from ..style import PAPER, SELECTED, WAITING, colour

REDRAW_MS = 150


class Minimap(QWidget):
    def __init__(self, view: QGraphicsView, parent=None):
        super().__init__(parent or view)
        self.view = view
        self.pixmap = QPixmap()
        self.source = QRectF()
        self.wanted = True
        self.setFixedSize(200, 150)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Overview: click or drag to move the canvas")
        self._renew = QTimer(self, singleShot=True, interval=REDRAW_MS, timeout=self.render_scene)
        view.scene().changed.connect(self._scene_changed)
        view.horizontalScrollBar().valueChanged.connect(self.update)
        view.verticalScrollBar().valueChanged.connect(self.update)
        self._renew.start()

    def _scene_changed(self, *_) -> None:
        self._renew.start()

    def resize_to(self, width: int, height: int) -> None:
        if (width, height) != (self.width(), self.height()):
            self.setFixedSize(width, height)
            self._renew.start()

    def render_scene(self) -> None:
        scene = self.view.scene()
        rect = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.source = rect
        pixmap = QPixmap(self.size() * self.devicePixelRatioF())
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        pixmap.fill(colour(PAPER))  # opaque: the blocks under it must not show through
        if rect.width() > 0 and rect.height() > 0:
            painter = QPainter(pixmap)
            t = self._target()
            sx, sy = t.width() / rect.width(), t.height() / rect.height()
            items = [i for i in list(scene.items_by_id.values()) + list(scene.group_items.values())
                     if i.isVisible()]
            painter.setPen(Qt.NoPen)
            for item in items:
                box = item.sceneBoundingRect()
                painter.setBrush(colour(item.kind))
                painter.drawRect(QRectF(t.left() + (box.left() - rect.left()) * sx,
                                        t.top() + (box.top() - rect.top()) * sy,
                                        max(box.width() * sx, 1.0), max(box.height() * sy, 1.0)))
            painter.end()
        self.pixmap = pixmap
        self.update()
        self.view.place_minimap()  # a design grown past the canvas needs it, one in view not

    def _target(self) -> QRectF:
        """Where the scene lands in the widget: the scene's aspect kept, centred across, from
        the top (the strip is tall, and a design starts at its top)."""
        w, h = self.width(), self.height()
        if self.source.width() <= 0 or self.source.height() <= 0:
            return QRectF(0, 0, w, h)
        scale = min(w / self.source.width(), h / self.source.height())
        tw, th = self.source.width() * scale, self.source.height() * scale
        return QRectF((w - tw) / 2, 0, tw, th)

    def _to_widget(self, point: QPointF) -> QPointF:
        t = self._target()
        return QPointF(t.left() + (point.x() - self.source.left()) * t.width() / self.source.width(),
                       t.top() + (point.y() - self.source.top()) * t.height() / self.source.height())

    def to_scene(self, point: QPointF) -> QPointF:
        t = self._target()
        return QPointF(self.source.left() + (point.x() - t.left()) * self.source.width() / t.width(),
                       self.source.top() + (point.y() - t.top()) * self.source.height() / t.height())

    def shown_rect(self) -> QRectF:
        """The part of the scene the canvas shows, in minimap pixels."""
        seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        return QRectF(self._to_widget(seen.topLeft()), self._to_widget(seen.bottomRight()))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self.pixmap)
        painter.setPen(QPen(WAITING, 1))
        painter.drawRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1))
        if self.source.width() > 0:
            frame = self.shown_rect().intersected(QRectF(self.rect()))
            painter.setPen(QPen(SELECTED, 2))
            painter.setBrush(colour(SELECTED, 30))
            painter.drawRect(frame)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.view.unfit()
            self.view.centerOn(self.to_scene(event.position()))

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self.view.unfit()
            self.view.centerOn(self.to_scene(event.position()))
