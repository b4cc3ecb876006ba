"""Colours and fonts shared by the views, sized for a projector as much as a laptop."""
from PySide6.QtGui import QColor, QFont

KIND_COLOURS = {
    "conv": "#4a78c2", "dwconv": "#3aa6a0", "pwconv": "#6a8fd8", "sepconv": "#2e9d6e",
    "fire": "#d9822b", "ir": "#8a5cc2", "maxpool": "#7a8b99", "avgpool": "#7a8b99",
    "gap": "#5f6f7d", "flatten": "#9aa5b1", "linear": "#c2495e", "dropout": "#b3b9c0",
    "add": "#c9a227", "concat": "#b07d2b", "input": "#444c56",
}
ERROR = QColor("#d32f2f")
SELECTED = QColor("#ff00c8")
"""Vivid magenta: far from every kind colour (the add block's gold was close to the old amber)."""


def colour(kind: str) -> QColor:
    return QColor(KIND_COLOURS.get(kind, "#888888"))


def font(points: float = 10, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f
