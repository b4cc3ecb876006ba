"""The canvas's view: zoom with the wheel, pan with the middle button, rubber-band selection, fit
the whole design on open, bring a block selected elsewhere into view, an overview minimap in a
strip beside it, and a hint in an empty design.

A fitted view stays fitted while the window settles around it (entering presentation, with its
larger scale and narrower canvas, included) until the user zooms, pans or scrolls it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsView

from designer.core.design import INPUT

from .. import style
from ..style import WAITING_TEXT, font
from .canvas import CanvasScene
from .node_item import LOD_SCALE, WIDTH


class CanvasView(QGraphicsView):
    """Zoom with the wheel, pan with the middle button, rubber-band selection; an overview
    minimap beside the blocks; an empty design shows what to do."""

    EMPTY_HINT = "Drag a block here from the palette\n(or double-click one)"

    def __init__(self, scene: CanvasScene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._pan_from = None
        self.fitted = False
        """The view is as the last fit left it (the user has not zoomed, panned or scrolled)."""
        self._fitting = False
        self._fit_scale = 0.0
        from .minimap import Minimap
        self.minimap = Minimap(self)
        scene.document.selection_changed.connect(self.reveal)
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.actionTriggered.connect(self.unfit)  # the user's scrolling, never the program's

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fitted and not self._fitting and self.transform().m11() == self._fit_scale:
            self.fit()  # (a zoom set by code, not through zoom(), is kept too)
        self.place_minimap()

    MINIMAP_MARGIN = 8

    def place_minimap(self) -> None:
        """The overview gets a strip of its own at the canvas's right, never over a block: an
        overlay in a corner covered a block's text on a narrow canvas (presentation at
        1366×768), where no scrolling could bring the block out from under it. The strip is
        there only when part of the design is out of view (else there is nowhere to go) and
        the canvas keeps room for a block, as wide as it is drawn now, beside it (at 1366×768
        MobileNetV2's canvas shows four blocks of 22: the overview is how to see the rest)."""
        margin = self.MINIMAP_MARGIN
        full = self.viewport().width() + self.viewportMargins().right()
        width = max(70, min(140, full // 6))
        strip = width + 2 * margin
        shown = (self.minimap.wanted and bool(self.scene().document.design.nodes)
                 and full - strip >= (WIDTH + 2 * margin) * self.transform().m11()
                 and not self._all_in_view(full))
        if self.viewportMargins().right() != (strip if shown else 0):
            self.setViewportMargins(0, 0, strip if shown else 0, 0)
        area = self.viewport().geometry()
        self.minimap.resize_to(width, max(60, area.height() - 2 * margin))
        self.minimap.move(area.right() + 1 + margin, area.top() + margin)
        self.minimap.setVisible(shown)

    def _all_in_view(self, width: int) -> bool:
        """Whether the whole design fits a canvas ``width`` pixels wide at this zoom (the
        strip's own width left out of the question, so that showing it never decides it)."""
        rect, s = self.scene().itemsBoundingRect(), self.transform().m11()
        return rect.width() * s <= width and rect.height() * s <= self.viewport().height()

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
            self.unfit()
            self.scale(factor, factor)
            self.place_minimap()

    def rescale(self, factor: float) -> None:
        """The theme's scale changed (presentation): the canvas zooms by as much, or a view
        still as fit left it is fitted again at the new scale."""
        if self.fitted:
            self.fit()
            return
        self.scale(factor, factor)
        self.place_minimap()

    def unfit(self, *_) -> None:
        self.fitted = False

    MIN_FIT_SCALE = 0.25
    """Fitting goes no smaller: blocks are compact there, their names still about 10 points."""

    def fit(self) -> None:
        """Fit the whole design (zoomed out, blocks become compact boxes with their names); one
        too long for that stays readable, shown from its input's top, and scrolls. In
        presentation the limits grow with the theme's scale, as everything drawn does."""
        self._fitting = True
        try:
            k = style.scale()
            rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
            self.fitInView(rect, Qt.KeepAspectRatio)
            scale = self.transform().m11()
            if scale > 1.2 * k or scale < self.MIN_FIT_SCALE * k:
                self.resetTransform()
                s = (1.2 * k if scale > 1.2 * k else
                     min(k, max((LOD_SCALE + 0.05) * k, self.viewport().width() / rect.width())))
                self.scale(s, s)
            s, area = self.transform().m11(), self.viewport().rect()
            x = rect.center().x()
            start = self.scene().items_by_id.get(INPUT)
            if rect.width() * s > area.width() and start is not None:
                x = start.pos().x()
            self.centerOn(x, min(rect.center().y(), rect.top() + area.height() / (2 * s)))
        finally:
            self._fitting = False
        self.fitted, self._fit_scale = True, self.transform().m11()
        self.place_minimap()

    def reveal(self, node_ids: list[str]) -> None:
        """Bring a block selected anywhere (a chart bar, the problems list) into view, zoomed in
        far enough to read it; one already in view stays put. A block inside a collapsed group
        brings the group's box."""
        if len(node_ids) != 1:
            return
        scene = self.scene()
        item = scene.items_by_id.get(node_ids[0])
        if item is not None and not item.isVisible():
            item = next((scene.group_items[gid] for gid, members in scene.collapsed.items()
                         if node_ids[0] in members), None)
        if item is None or not item.isVisible():
            return
        if self.transform().m11() < LOD_SCALE:
            self.unfit()
            self.resetTransform()
            self.scale(1.0, 1.0)
            self.centerOn(item.sceneBoundingRect().center())
            self.place_minimap()
            return
        seen = self.mapToScene(self.viewport().rect()).boundingRect()
        if not seen.contains(item.sceneBoundingRect()):
            self.unfit()
            self.centerOn(item.sceneBoundingRect().center())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton:
            self.unfit()
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
