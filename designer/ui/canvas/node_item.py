"""A block on the canvas: name, kind, output shape and a cost badge; ports to wire; red with its
error on hover when invalid (the root cause of a problem), grey and hatched when it only waits on
one ("waiting on conv3"); composite blocks can show their layers. Text that is too wide for the
node is set smaller, then elided: it never runs out of the node (the tooltip has it whole, with
long quoted values in an error cut as on the command line, and a name that looks like HTML shown
as typed). Zoomed out below LOD_SCALE, a block is a compact box in its kind's colour with its
name large enough to read. A collapsed group is drawn by the same item (kind ``group``)."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from blocks import fmt
from designer.core.design import INPUT
from designer.core.layout import LAYER_PAD, LAYER_ROW, NODE_HEIGHT, NODE_WIDTH
from designer.core.safe_text import safe_text
from designer.core.units import human

from .. import style
from ..shell.view_state import ViewState
from ..style import ERROR, INK, INK_SOFT, MUTED, PAPER, SELECTED, WAITING, colour, font

WIDTH, HEIGHT, PORT = NODE_WIDTH, NODE_HEIGHT, 7.0
TEXT_WIDTH = WIDTH - 24
TEXT_LEFT, LAYER_LEFT = 16.0, 22.0
TITLE, LINE, LAYER = (10.5, True), (9.0, False), (8.5, False)
"""The node's fonts (points, bold): its name, its kind and cost lines, its layers."""
PAD, ROW_GAP = 6.0, 6.0
"""Room above the first row and below the last, and between rows (scene units)."""
MIN_POINTS = 7.5
LOD_SCALE = 0.55
"""Below this zoom a block is drawn compact: its name, large, in a box of its kind's colour."""
HATCH = QBrush(style.HATCH, Qt.BDiagPattern)


@lru_cache(maxsize=1)
def row_tops() -> tuple[tuple[float, float, float], float, float]:
    """Where the name, kind and cost rows start and how tall the box and a layer row are, from
    the fonts' metrics (scene units: the canvas is zoomed by the theme's scale, so the box and
    its text grow together). The box is never shorter than core's NODE_HEIGHT, which the layout
    spaces blocks by; it grows past it only if the fonts need more."""
    heights = [QFontMetricsF(font(*f, scaled=False)).lineSpacing() for f in (TITLE, LINE, LINE)]
    tops = [PAD]
    for h in heights[:-1]:
        tops.append(tops[-1] + h + ROW_GAP)
    height = max(HEIGHT, tops[-1] + heights[-1] + PAD)
    layer_row = max(LAYER_ROW, QFontMetricsF(font(*LAYER, scaled=False)).lineSpacing())
    return (tops[0], tops[1], tops[2]), height, layer_row


@lru_cache(maxsize=8192)
def fitted(text: str, points: float, bold: bool = False, width: float = TEXT_WIDTH):
    """The font (shrunk down to MIN_POINTS) and the text (elided if still too wide) that fit
    ``width`` pixels."""
    size = points
    while True:
        f, metrics = _font_metrics(size, bold)
        if metrics.horizontalAdvance(text) <= width:
            return f, text                      # what elidedText gives a text that fits
        if size <= MIN_POINTS:
            break
        size -= 0.5
    return f, metrics.elidedText(text, Qt.ElideRight, width)


@lru_cache(maxsize=64)
def _font_metrics(points: float, bold: bool):
    """A node font and its metrics, made once (an α tick measures every changed line anew)."""
    f = font(points, bold, scaled=False)
    return f, QFontMetricsF(f)


class NodeItem(QGraphicsObject):
    """Shows one node. ``node_id`` is the design's id (``input`` for the image input). Whether it
    shows its layers is view state (``view.expanded``); the item only reads it."""

    def __init__(self, node_id: str, kind: str, view: ViewState | None = None):
        super().__init__()
        self.node_id, self.kind = node_id, kind
        self.view = view or ViewState()
        self._title, self._subtitle, self._badge, self._error = "", "", "", None
        self._waiting: str | None = None
        self._layer_lines: list[str] = []
        self.pending: Callable[[NodeItem], None] | None = None
        self.setFlags(QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsMovable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.OpenHandCursor)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # repaints of an unchanged block are a copy

    def fresh(self) -> None:
        """Bring the texts up to date if the canvas left them for later (``pending``: it sets
        them; an α tick rewrites at once only the blocks in view, and the rest when anything
        reads them: painting, a tooltip, a test)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending(self)

    title = property(lambda self: (self.fresh(), self._title)[1])
    subtitle = property(lambda self: (self.fresh(), self._subtitle)[1])
    badge = property(lambda self: (self.fresh(), self._badge)[1])
    error = property(lambda self: (self.fresh(), self._error)[1])
    waiting = property(lambda self: (self.fresh(), self._waiting)[1])
    layer_lines = property(lambda self: (self.fresh(), self._layer_lines)[1])

    def toolTip(self) -> str:
        self.fresh()
        return super().toolTip()

    @property
    def expanded(self) -> bool:
        return self.node_id in self.view.expanded and bool(self._layer_lines)

    def height(self) -> float:
        _, box, layer_row = row_tops()
        return box + (len(self.layer_lines) * layer_row + LAYER_PAD if self.expanded else 0)

    def collapsed_height(self) -> float:
        return row_tops()[1]

    def boundingRect(self) -> QRectF:
        return QRectF(-WIDTH / 2 - PORT, -PORT, WIDTH + 2 * PORT, self.height() + 2 * PORT)

    def body(self) -> QRectF:
        return QRectF(-WIDTH / 2, 0, WIDTH, self.height())

    def input_port(self) -> QPointF:
        return self.mapToScene(QPointF(0, 0))

    def output_port(self) -> QPointF:
        return self.mapToScene(QPointF(0, self.height()))

    def near_output_port(self, scene_pos: QPointF) -> bool:
        d = self.output_port() - scene_pos
        return d.x() ** 2 + d.y() ** 2 <= (PORT * 2.2) ** 2

    def set_content(self, title: str, subtitle: str, badge: str, error: str | None,
                    layer_lines: list[str], waiting: str | None = None,
                    tip: str | None = None) -> None:
        """What the node shows; ``waiting``: the root causes it waits on (drawn grey, not red);
        ``tip``: the whole problem text for the tooltip."""
        self.pending = None
        if self.node_id in self.view.expanded:  # the only case in which the layers add height
            self.prepareGeometryChange()
        self._title, self._subtitle, self._badge, self._error = title, subtitle, badge, error
        self._waiting = waiting
        self._layer_lines = layer_lines
        if tip is None:
            tip = f"{title}: {error}" if error else f"{title}\n{subtitle}\n{badge}"
        tip = safe_text(tip)
        self.setToolTip(Qt.convertFromPlainText(tip) if Qt.mightBeRichText(tip) else tip)
        self.update()

    def set_expanded(self, on: bool) -> bool:
        """Show or hide the layers; False if the block has none to show."""
        if not self.layer_lines:
            return False
        self.prepareGeometryChange()
        self.view.set_expanded(self.node_id, on)
        self.update()
        return True

    def texts(self) -> list[tuple[str, float, bool, float]]:
        """(text, points, bold, width) of every line the node draws."""
        second = (f"⋯ waiting on {self.waiting}" if self.waiting
                  else "⚠ " + self.error if self.error else self.subtitle)
        lines = [(self.title, *TITLE, TEXT_WIDTH),
                 (second, *LINE, TEXT_WIDTH),
                 (self.badge, *LINE, TEXT_WIDTH)]
        if self.expanded:
            lines += [(line, *LAYER, WIDTH - 30) for line in self.layer_lines]
        return lines

    def rows(self) -> list[tuple[str, QRectF]]:
        """Each line the node draws and the rectangle it is drawn in (item coordinates), one
        font's line spacing tall."""
        tops, box, layer_row = row_tops()
        out = []
        for i, (text, points, bold, width) in enumerate(self.texts()):
            height = QFontMetricsF(font(points, bold, scaled=False)).lineSpacing()
            if i < 3:
                out.append((text, QRectF(-WIDTH / 2 + TEXT_LEFT, tops[i], width, height)))
            else:
                out.append((text, QRectF(-WIDTH / 2 + LAYER_LEFT, box + (i - 3) * layer_row,
                                         width, layer_row)))
        return out

    def outline(self) -> tuple[QColor, float]:
        if self.isSelected():
            return SELECTED, 3.0
        if self.waiting:
            return WAITING, 1.6
        if self.error:
            return ERROR, 3.0
        return MUTED, 1.2

    def paint(self, painter: QPainter, option, widget=None) -> None:
        lod = abs(painter.worldTransform().m11())  # the view's zoom, alike for every item
        if lod < LOD_SCALE:
            self._paint_compact(painter, lod)
            return
        painter.setRenderHint(QPainter.Antialiasing)
        rect = self.body()
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        painter.fillPath(path, QBrush(PAPER))
        if self.waiting:
            painter.fillPath(path, HATCH)
        band = QRectF(rect.left(), rect.top(), 8, rect.height())
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(band, colour(self.kind))
        painter.restore()
        pen_colour, pen_width = self.outline()
        pen = QPen(pen_colour, pen_width, Qt.DashLine if self.waiting and not self.isSelected()
                   else Qt.SolidLine)
        painter.setPen(pen)
        painter.drawPath(path)
        second = WAITING if self.waiting else ERROR if self.error else INK_SOFT
        pens = [INK, second, MUTED]
        for i, ((text, points, bold, width), (_, box)) in enumerate(zip(self.texts(),
                                                                          self.rows())):
            f, shown = fitted(text, points, bold, width)
            painter.setFont(f)
            painter.setPen(pens[min(i, 2)])
            if i >= 3 and shown == text and " " in text.strip():
                name, shape = text.split()[0], text.split()[-1]
                painter.drawText(box, Qt.AlignLeft, name)
                painter.drawText(box, Qt.AlignRight, shape)
                continue
            painter.drawText(box, Qt.AlignLeft, shown)
        painter.setPen(QPen(MUTED, 1.2))
        painter.setBrush(PAPER)
        if self.node_id != INPUT:
            painter.drawEllipse(QPointF(0, 0), PORT, PORT)
        painter.setBrush(colour(self.kind))
        painter.drawEllipse(QPointF(0, self.height()), PORT, PORT)

    def _paint_compact(self, painter: QPainter, lod: float) -> None:
        """Zoomed out: a box in the kind's colour (hatched grey while waiting) and the name at
        about 10 points on screen; a long dotted name keeps its last part."""
        rect = self.body()
        fill = colour(WAITING if self.waiting else self.kind)
        fill.setAlpha(70)
        painter.setBrush(QBrush(PAPER))
        pen_colour, pen_width = self.outline()
        painter.setPen(QPen(pen_colour, max(pen_width, 1.5) / max(lod, 0.05)))
        painter.drawRoundedRect(rect, 8, 8)
        painter.fillRect(rect.adjusted(2, 2, -2, -2), fill)
        if self.waiting:
            painter.fillRect(rect.adjusted(2, 2, -2, -2), HATCH)
        f, shown = compact_label(self.title, lod, rect.width() - 12)
        painter.setFont(f)
        painter.setPen(INK)
        painter.drawText(rect.adjusted(6, 0, -6, 0), Qt.AlignCenter, shown)


@lru_cache(maxsize=8192)
def compact_label(title: str, lod: float, width: float):
    """The name for a compact box at zoom ``lod``: about 10 points on screen, down to 7; the
    last dotted part of a name that does not fit, elided only as a last resort."""
    lod = round(max(lod, 0.05), 2)
    for text in dict.fromkeys((title, title.rsplit(".", 1)[-1])):
        for points in (10.0, 8.5, 7.0):
            f = font(points / lod, bold=True, scaled=False)
            if QFontMetricsF(f).horizontalAdvance(text) <= width:
                return f, text
    f = font(7.0 / lod, bold=True, scaled=False)
    text = title.rsplit(".", 1)[-1]
    return f, QFontMetricsF(f).elidedText(text, Qt.ElideRight, width)


def describe(cost) -> tuple[str, str, str, str | None, list[str]]:
    """The texts a node shows for its BlockCost (formatting only; the numbers come from it)."""
    if not cost.ok:
        badge = f"not counted · output {fmt(cost.output_shape)}" if cost.output_shape else ""
        return cost.name, cost.kind, badge, cost.error, []
    badge = f"{human(cost.params)} params · {human(cost.macs)} MACs"
    layers = [f"{la.name} {fmt(la.output)}" for la in cost.layers
              if la.op not in ("act", "bn")]
    return cost.name, f"{cost.kind} → {fmt(cost.output_shape)}", badge, None, layers
