"""The frame around an expanded group on the canvas: a light rounded rectangle where core's
``group_frames`` puts it, behind the wires and blocks, its name at the top left after a ▾ that
collapses the group when clicked. Only the name and control take clicks: a drag or click
anywhere else inside the frame reaches the canvas (rubber band, blocks) as if it were not there."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsObject

from designer.core.frames import LABEL, Frame

from ..style import GROUP_FRAME, GROUP_FRAME_FILL, GROUP_FRAME_TEXT, font


class GroupFrameItem(QGraphicsObject):
    def __init__(self, frame: Frame, collapse):
        super().__init__()
        self.frame = frame
        self.collapse = collapse
        self.setZValue(-2 + frame.depth * 0.01)
        self.setAcceptedMouseButtons(Qt.LeftButton)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip(f"Group {frame.name}: click ▾ to collapse it into one box")
        self.set_frame(frame)

    @property
    def label(self) -> str:
        return f"▾ {self.frame.name}"

    def set_frame(self, frame: Frame) -> None:
        self.prepareGeometryChange()
        self.frame = frame
        self.update()

    def boundingRect(self) -> QRectF:
        f = self.frame
        return QRectF(f.x - 1, f.y - 1, f.width + 2, f.height + 2)

    def control_rect(self) -> QRectF:
        """Where the ▾ and the name are drawn, the part of the frame that takes clicks: top left,
        or top right for a frame holding frames (the left is where theirs are)."""
        f = self.frame
        width = min(QFontMetricsF(font(8.5, True)).horizontalAdvance(self.label) + 10,
                    f.width - 4)
        x = f.x + f.width - 2 - width if f.holds else f.x + 2
        return QRectF(x, f.y + 1, width, LABEL - 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.control_rect())
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        f = self.frame
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(GROUP_FRAME, 1.2))
        painter.setBrush(QBrush(GROUP_FRAME_FILL))
        painter.drawRoundedRect(QRectF(f.x, f.y, f.width, f.height), 10, 10)
        painter.setFont(font(8.5, True))
        painter.setPen(GROUP_FRAME_TEXT)
        room = self.control_rect().adjusted(6, 0, 0, 0)
        shown = QFontMetricsF(painter.font()).elidedText(self.label, Qt.ElideRight, room.width())
        painter.drawText(room, Qt.AlignLeft | Qt.AlignVCenter, shown)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        """Collapse once the click is over: done inside it, the blocks that collapsing moves up
        would read to the scene as blocks dragged there."""
        if self.control_rect().contains(event.pos()):
            QTimer.singleShot(0, lambda name=self.frame.name: self.collapse(name))
