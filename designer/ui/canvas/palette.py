"""The palette: every block kind (and grouped conv, a conv with groups preset), with its formula as
a tooltip. Drag an entry onto the canvas, or double-click it to append it to the chain."""
from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

import blocks

from ..style import ICON_EDGE, PAPER, colour, font, use_font
from .canvas import MIME


def entries() -> list[tuple[str, str, dict]]:
    """(label, kind, preset parameters) of every palette entry, as the block kinds declare them
    at registration (``blocks.register``), in registration order."""
    return [(e.label, kind, dict(e.params)) for kind, e in blocks.palette_entries()]


def icon_labels() -> dict[str, str]:
    """The short text on each entry's icon, by label: one distinct text per entry (two letters cut
    from the key would read "CO" for conv, grouped conv and concat alike)."""
    return {e.label: e.icon for _, e in blocks.palette_entries()}


def icon(kind: str, label: str) -> QIcon:
    pix = QPixmap(22, 22)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setBrush(colour(kind))
    p.setPen(ICON_EDGE)
    p.drawRoundedRect(2, 2, 18, 18, 4, 4)
    p.setPen(PAPER)
    p.setFont(font(6.5 if len(label) > 2 else 7.5, bold=True, scaled=False))
    p.drawText(pix.rect(), Qt.AlignCenter, label)
    p.end()
    return QIcon(pix)


class Palette(QListWidget):
    append_requested = Signal(str, dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setIconSize(QSize(22, 22))
        use_font(self, 10.5)
        labels = icon_labels()
        for title, kind, params in entries():
            item = QListWidgetItem(icon(kind, labels[title]), title)
            item.setData(Qt.UserRole, (kind, params))
            cls = blocks.get(kind)
            item.setToolTip(f"<b>{title}</b><br>{cls.summary.replace(chr(10), '<br>')}")
            self.addItem(item)
        self.itemDoubleClicked.connect(
            lambda item: self.append_requested.emit(*item.data(Qt.UserRole)))

    def mimeData(self, items) -> QMimeData:
        kind, params = items[0].data(Qt.UserRole)
        return mime_for(kind, params)


def mime_for(kind: str, params: dict) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, json.dumps({"kind": kind, "params": params}).encode())
    return data
