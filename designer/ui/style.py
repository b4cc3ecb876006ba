"""Colours and fonts shared by the views, sized for a projector as much as a laptop."""
from PySide6.QtGui import QColor, QFont

from designer.core.diagram import kind_colour

ERROR = QColor("#d32f2f")
SELECTED = QColor("#ff00c8")
"""Vivid magenta: far from every kind colour (the add block's gold was close to the old amber)."""


def colour(kind: str) -> QColor:
    return QColor(kind_colour(kind))


_scale = [1.0]


def scale() -> float:
    """The theme's scale factor: 1 on a desk, larger in presentation mode."""
    return _scale[0]


def set_scale(factor: float) -> None:
    _scale[0] = factor


def scaled_font(points: float = 10, bold: bool = False) -> QFont:
    """A font of ``points`` at the theme's scale: for what presentation mode redraws itself
    (charts). Widgets are scaled by presentation mode; the canvas by its zoom."""
    return font(points * scale(), bold)


def presentation_scale(width: int, height: int) -> float:
    """How much larger everything is drawn on a projector of ``width``×``height``: 1.2 at
    1280×720, 1.28 at 1366×768, 1.8 at 1920×1080 (text a room can read, layouts that still fit)."""
    return max(1.2, min(1.8, width / 1066, height / 600))


def font(points: float = 10, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


GROUP_FRAME = QColor("#8fa3b8")
"""The line of the frame around an expanded group: light, behind the wires."""
GROUP_FRAME_FILL = QColor(143, 163, 184, 22)
GROUP_FRAME_TEXT = QColor("#4d5b69")
