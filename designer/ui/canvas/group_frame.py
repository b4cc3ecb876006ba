"""The frame around an expanded group on the canvas: a light rounded rectangle where core's
``group_frames`` puts it, behind the wires and blocks, its name at the top left after a ▾ that
collapses the group when clicked. Only the name and control take clicks: a drag or click
anywhere else inside the frame reaches the canvas (rubber band, blocks) as if it were not there.
A frame holding frames (``layer1`` around ``layer1.0``) has its name on its top line at the right,
as a legend, since the band above its boxes is where the inner frame's name is."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsObject

from designer.core.frames import Frame

from ..style import GROUP_FRAME, GROUP_FRAME_FILL, GROUP_FRAME_TEXT, PAPER, font

LABEL_POINTS = 9.0
"""The label's size on screen; zoomed out it grows in the scene up to what its room holds."""


def label_font(zoom: float, room: float):
    """The label's font at ``zoom``: LABEL_POINTS on screen, at most as tall as ``room``
    (scene pixels; a point is 4/3 of a pixel) allows."""
    return font(max(4.0, min(LABEL_POINTS / max(zoom, 0.05), (room - 6) * 0.75)), True,
                scaled=False)


class GroupFrameItem(QGraphicsObject):
    def __init__(self, frame: Frame, collapse):
        super().__init__()
        self.frame = frame
        self.collapse = collapse
        self.setAcceptedMouseButtons(Qt.LeftButton)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip(f"Group {frame.name}: click ▾ to collapse it into one box")
        # a large antialiased rounded fill: repainted on every α tick under the blocks that
        # change, it cost a millisecond a frame; cached, it is a copy
        self.setCacheMode(QGraphicsObject.DeviceCoordinateCache)
        self.set_frame(frame)

    @property
    def label(self) -> str:
        return f"▾ {self.frame.name}"

    def set_frame(self, frame: Frame) -> None:
        self.prepareGeometryChange()
        self.frame = frame
        self.setZValue(-2 + frame.depth * 0.01)   # behind the wires, inner frames over outer
        self.update()

    def frame_rect(self) -> QRectF:
        """The frame as drawn (the legend of an outer frame stands out above it)."""
        f = self.frame
        return QRectF(f.x, f.y, f.width, f.height)

    LEGEND = 20.0
    """The height of an outer frame's legend, in scene pixels, centred on its top line."""

    def boundingRect(self) -> QRectF:
        f = self.frame
        return QRectF(f.x - 1, f.y - self.LEGEND / 2 - 1, f.width + 2,
                      f.height + self.LEGEND / 2 + 2)

    def control_rect(self) -> QRectF:
        """Where the ▾ and the name are drawn, the part of the frame that takes clicks: top left,
        or top right for a frame holding frames (the left is where theirs are)."""
        f = self.frame
        # room to spare: text drawn at a zoom's scale can run wider than measured at 1
        largest = label_font(0.05, self.room())
        width = min(QFontMetricsF(largest).horizontalAdvance(self.label) * 1.15 + 14,
                    f.width - 24)
        if f.holds:
            return QRectF(f.x + f.width - 12 - width, f.y - self.LEGEND / 2, width, self.LEGEND)
        return QRectF(f.x + 2, f.y + 1, width, max(f.band - 2, 8.0))

    def room(self) -> float:
        """The height the label's text may take (scene pixels)."""
        return self.LEGEND + 4 if self.frame.holds else self.frame.band

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.control_rect())
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        f = self.frame
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(GROUP_FRAME, 1.2))
        painter.setBrush(QBrush(GROUP_FRAME_FILL))
        painter.drawRoundedRect(self.frame_rect(), 10, 10)
        painter.setFont(label_font(abs(painter.worldTransform().m11()), self.room()))
        if f.holds:
            painter.setPen(Qt.NoPen)
            painter.setBrush(QBrush(PAPER))
            painter.drawRoundedRect(self.control_rect(), 4, 4)
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
