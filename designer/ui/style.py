"""Colours and fonts shared by the views, sized for a projector as much as a laptop."""
from PySide6.QtGui import QColor, QFont

import blocks
from designer.core.design import INPUT

INPUT_COLOUR = "#444c56"
UNKNOWN_COLOUR = "#888888"
"""A kind no longer registered (a file from a newer version) still draws, in grey."""


def kind_colour(kind: str) -> str:
    """The '#rrggbb' a block kind declared at registration (``blocks.register``)."""
    if kind == INPUT:
        return INPUT_COLOUR
    cls = blocks.BLOCKS.get(kind)
    return cls.colour if cls is not None else UNKNOWN_COLOUR


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
