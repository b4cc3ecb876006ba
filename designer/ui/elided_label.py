"""A one-line label that never widens its layout: text longer than the room it is given ends in
"…", and its tooltip holds it whole (a long note or hover text beside a chart's menu would
otherwise push the canvas beside it to a sliver)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text if self.shown() != text else "")

    def shown(self) -> str:
        """The text as painted: whole, or cut to the label's width with "…"."""
        return self.fontMetrics().elidedText(self.text(), Qt.ElideRight, self.width())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.setToolTip(self.text() if self.shown() != self.text() else "")

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown())
