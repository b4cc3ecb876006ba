"""Colours and fonts shared by the views, sized for a projector as much as a laptop."""
from PySide6.QtGui import QColor, QFont

from designer.core.diagram import kind_colour

ERROR = QColor("#d32f2f")
SELECTED = QColor("#ff00c8")
"""Vivid magenta: far from every kind colour (the add block's gold was close to the old amber)."""


def colour(kind: str) -> QColor:
    return QColor(kind_colour(kind))


def font(points: float = 10, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f
