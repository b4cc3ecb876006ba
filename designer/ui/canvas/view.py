"""The canvas's view: zoom with the wheel, pan with the middle button, rubber-band selection, fit
the whole design on open, bring a block selected elsewhere into view, an overview minimap in the
corner, and a hint in an empty design."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsView

from designer.core.design import INPUT

from ..style import WAITING_TEXT, font
from .canvas import CanvasScene
from .node_item import LOD_SCALE


class CanvasView(QGraphicsView):
    """Zoom with the wheel, pan with the middle button, rubber-band selection; an overview
    minimap in the corner; an empty design shows what to do."""

    EMPTY_HINT = "Drag a block here from the palette\n(or double-click one)"

    def __init__(self, scene: CanvasScene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._pan_from = None
        from .minimap import Minimap
        self.minimap = Minimap(self)
        scene.document.selection_changed.connect(self.reveal)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_minimap()

    def place_minimap(self) -> None:
        """Bottom right, at most a quarter of the canvas's width and height."""
        margin = 10
        area = self.viewport().geometry()
        self.minimap.resize_to(max(80, min(200, area.width() // 4)),
                               max(60, min(150, area.height() // 4)))
        self.minimap.move(area.right() - self.minimap.width() - margin,
                          area.bottom() - self.minimap.height() - margin)
        self.minimap.setVisible(self.minimap.wanted and bool(self.scene().document.design.nodes))

    def paintEvent(self, event) -> None:
        """Blocks whose texts an α tick left for later are brought up to date as they come
        into view (see CanvasScene._update_contents)."""
        self.scene().refresh_in(self.mapToScene(self.viewport().rect()).boundingRect())
        super().paintEvent(event)

    def drawForeground(self, painter: QPainter, rect) -> None:
        if self.scene().document.design.nodes:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(WAITING_TEXT)
        painter.setFont(font(14))
        painter.drawText(self.viewport().rect(), Qt.AlignCenter, self.EMPTY_HINT)
        painter.restore()

    def wheelEvent(self, event) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)

    MIN_FIT_SCALE = 0.25
    """Fitting goes no smaller: blocks are compact there, their names still about 10 points."""

    def fit(self) -> None:
        """Fit the whole design (zoomed out, blocks become compact boxes with their names); one
        too long for that stays readable, shown from its top, and scrolls."""
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > 1.2 or scale < self.MIN_FIT_SCALE:
            self.resetTransform()
            s = (1.2 if scale > 1.2 else
                 min(1.0, max(LOD_SCALE + 0.05, self.viewport().width() / rect.width())))
            self.scale(s, s)
            start = self.scene().items_by_id.get(INPUT)
            x = (start.pos().x() if start is not None and scale < self.MIN_FIT_SCALE
                 else rect.center().x())
            self.centerOn(x, rect.top() + self.viewport().height() / (2 * s))
        self.place_minimap()

    def reveal(self, node_ids: list[str]) -> None:
        """Bring a block selected anywhere (a chart bar, the problems list) into view, zoomed in
        far enough to read it; one already in view stays put."""
        if len(node_ids) != 1:
            return
        item = self.scene().items_by_id.get(node_ids[0])
        if item is None or not item.isVisible():
            return
        if self.transform().m11() < LOD_SCALE:
            self.resetTransform()
            self.scale(1.0, 1.0)
            self.centerOn(item.sceneBoundingRect().center())
            return
        seen = self.mapToScene(self.viewport().rect()).boundingRect()
        if not seen.contains(item.sceneBoundingRect()):
            self.centerOn(item.sceneBoundingRect().center())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton:
            self._pan_from = event.position()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(d.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(d.y()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton:
            self._pan_from = None
            return
        super().mouseReleaseEvent(event)
