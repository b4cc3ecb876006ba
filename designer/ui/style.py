"""The theme: every colour the views draw with, named by what it is for, the fonts and the
scale factor, so that a projector (presentation mode) or a new look changes one file. Block
kinds are the exception: each declares its own colour at registration (``kind_colour``)."""
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from designer.core.diagram import kind_colour

# text and lines
INK = QColor("#1d232a")
"""Text, axes and the charts' foreground."""
INK_SOFT = QColor("#3b444d")
"""Second-rank text: a block's kind and shape, the slider's tick labels."""
MUTED = QColor("#5b6670")
"""Notes and hints, a block's badge, outline and ports."""
PAPER = QColor("#ffffff")
"""What everything is drawn on: a block's body, the charts' and the minimap's background."""
ICON_EDGE = QColor("#2b3138")
"""The outline of a palette icon."""

# states
SELECTED = QColor("#ff00c8")
"""Vivid magenta: far from every kind colour (the add block's gold was close to the old amber)."""
ERROR = QColor("#d32f2f")
"""A problem's root cause, a refused value, a failed save."""
WAITING = QColor("#8a939c")
"""A block that only waits on a problem elsewhere (its outline), the minimap's frame."""
WAITING_TEXT = QColor("#6b747d")
"""Text that waits or hints: the problems that only wait on another, the empty canvas's hint."""
HATCH = QColor("#cfd5db")
"""The hatching of what waits."""
GOOD = QColor("#2e6d3e")
"""A verdict in the block's favour: "0.127× the MACs of a normal conv"."""
NOTE = QColor("#7a4a12")
"""A caveat under the formulas."""

# wires
WIRE = QColor("#6b7785")
WIRE_HOVER = QColor("#2f3a45")

# charts
SERIES = tuple(QColor(c) for c in ("#4a78c2", "#d9822b", "#2e9d6e", "#8a5cc2", "#c2495e",
                                   "#3aa6a0", "#c9a227", "#5f6f7d"))
"""One colour per design, curve or runtime in a chart, in this order."""
GHOST = QColor("#9aa3ad")
"""The α = 1, ρ = 1 figures drawn faintly behind the bars and the memory curve."""
GHOST_FILL_ALPHA = 70
GHOST_FILL = QColor(228, 230, 233)
"""GHOST at GHOST_FILL_ALPHA over PAPER, opaque: a thousand ghost bars blend nothing per tick."""
COVER = QColor("#2e7d32")
"""The receptive field's input line and the first block that sees the whole image."""
PEAK = ERROR
"""The memory chart's peak."""
LATENCY = SERIES[0]
NOISY_LATENCY = QColor("#b7c9e8")
"""A latency whose runs spread too widely to trust (paler than LATENCY)."""
MACS = SERIES[1]
MEASURED, ESTIMATED = SERIES[0], COVER
"""Measured against estimated latency."""


def colour(name: QColor | str, alpha: int | None = None) -> QColor:
    """A fresh QColor (safe to change) of a theme colour (``style.MUTED``) or of a block kind's
    declared colour (``"conv"``), with ``alpha`` when given."""
    c = QColor(name) if isinstance(name, QColor) else QColor(kind_colour(name))
    if alpha is not None:
        c.setAlpha(alpha)
    return c


def series(i: int) -> QColor:
    """The ``i``-th series colour, repeating after the last."""
    return QColor(SERIES[i % len(SERIES)])


class Theme(QObject):
    """Tells the views when the scale changes (``changed(new, old)``): presentation mode sets
    it once, and every view redraws from it."""

    changed = Signal(float, float)


_theme: list[Theme] = []
_scale = [1.0]


def theme() -> Theme:
    if not _theme:
        _theme.append(Theme())
    return _theme[0]


def scale() -> float:
    """The theme's scale factor: 1 on a desk, larger in presentation mode."""
    return _scale[0]


def set_scale(factor: float) -> None:
    old, _scale[0] = _scale[0], factor
    if factor != old:
        theme().changed.emit(factor, old)


def presentation_scale(width: int, height: int) -> float:
    """How much larger everything is drawn on a projector of ``width``×``height``: 1.2 at
    1280×720, 1.28 at 1366×768, 1.8 at 1920×1080 (text a room can read, layouts that still
    fit)."""
    return max(1.2, min(1.8, width / 1066, height / 600))


def font(points: float | None = None, bold: bool = False, scaled: bool = True) -> QFont:
    """The theme's font of ``points`` (None: the application's own size), times the theme's
    scale unless ``scaled`` is False: for what has its own scale (the canvas, drawn in scene
    units and zoomed by the scale; a slide, sized for a projector by its own switch)."""
    f = QFont()
    size = f.pointSizeF() if points is None else points
    f.setPointSizeF(size * (scale() if scaled else 1.0))
    f.setBold(bold)
    return f


POINTS, BOLD = "theme_points", "theme_bold"


def use_font(widget: QWidget, points: float | None = None, bold: bool = False) -> None:
    """Give ``widget`` the theme's font now, and again whenever the scale changes
    (``refont``)."""
    widget.setProperty(POINTS, -1.0 if points is None else float(points))
    widget.setProperty(BOLD, bold)
    widget.setFont(font(points, bold))


def refont(root: QWidget) -> None:
    """Every widget under ``root`` (and ``root``) that took a theme font takes it again, at the
    theme's scale now."""
    for w in [root, *root.findChildren(QWidget)]:
        points = w.property(POINTS)
        if points is not None:
            w.setFont(font(None if points < 0 else points, bool(w.property(BOLD))))


GROUP_FRAME = QColor("#8fa3b8")
"""The line of the frame around an expanded group: light, behind the wires."""
GROUP_FRAME_FILL = QColor(143, 163, 184, 22)
GROUP_FRAME_TEXT = QColor("#4d5b69")
