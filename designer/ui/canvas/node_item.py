"""A block on the canvas: name, kind, output shape and a cost badge; ports to wire; red with its
error on hover when invalid; composite blocks can show their layers. Text that is too wide for the
node is set smaller, then elided: it never runs out of the node (the tooltip has it whole, with
long quoted values in an error cut as on the command line, and a name that looks like HTML shown
as typed)."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from blocks import fmt
from designer.core.design import INPUT
from designer.core.safe_text import safe_text
from designer.core.units import human

from ..shell.view_state import ViewState
from ..style import ERROR, SELECTED, colour, font

WIDTH, HEIGHT, PORT = 210.0, 74.0, 7.0
LAYER_ROW = 16.0
TEXT_WIDTH = WIDTH - 24
MIN_POINTS = 7.5


@lru_cache(maxsize=8192)
def fitted(text: str, points: float, bold: bool = False, width: float = TEXT_WIDTH):
    """The font (shrunk down to MIN_POINTS) and the text (elided if still too wide) that fit
    ``width`` pixels."""
    size = points
    while True:
        f = font(size, bold)
        metrics = QFontMetricsF(f)
        if metrics.horizontalAdvance(text) <= width or size <= MIN_POINTS:
            break
        size -= 0.5
    return f, metrics.elidedText(text, Qt.ElideRight, width)


class NodeItem(QGraphicsObject):
    """Shows one node. ``node_id`` is the design's id (``input`` for the image input). Whether it
    shows its layers is view state (``view.expanded``); the item only reads it."""

    def __init__(self, node_id: str, kind: str, view: ViewState | None = None):
        super().__init__()
        self.node_id, self.kind = node_id, kind
        self.view = view or ViewState()
        self.title, self.subtitle, self.badge, self.error = "", "", "", None
        self.layer_lines: list[str] = []
        self.setFlags(QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsMovable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.OpenHandCursor)

    @property
    def expanded(self) -> bool:
        return self.node_id in self.view.expanded and bool(self.layer_lines)

    def height(self) -> float:
        return HEIGHT + (len(self.layer_lines) * LAYER_ROW + 6 if self.expanded else 0)

    def collapsed_height(self) -> float:
        return HEIGHT

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
                    layer_lines: list[str], detail: str = "") -> None:
        """``detail`` goes in the tooltip only (the receptive field)."""
        self.prepareGeometryChange()
        self.title, self.subtitle, self.badge, self.error = title, subtitle, badge, error
        self.layer_lines = layer_lines
        tip = safe_text(f"{title}: {error}" if error else
                        f"{title}\n{subtitle}\n{badge}" + (f"\n{detail}" if detail else ""))
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
        lines = [(self.title, 10.5, True, TEXT_WIDTH),
                 (self.subtitle if not self.error else "⚠ " + self.error, 9, False, TEXT_WIDTH),
                 (self.badge, 9, False, TEXT_WIDTH)]
        if self.expanded:
            lines += [(line, 8.5, False, WIDTH - 30) for line in self.layer_lines]
        return lines

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        rect = self.body()
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        painter.fillPath(path, QBrush(QColor("#ffffff")))
        band = QRectF(rect.left(), rect.top(), 8, rect.height())
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(band, colour(self.kind))
        painter.restore()
        pen = QPen(ERROR if self.error else (SELECTED if self.isSelected() else QColor("#5b6670")))
        pen.setWidthF(3.0 if self.error or self.isSelected() else 1.2)
        painter.setPen(pen)
        painter.drawPath(path)
        pens = [QColor("#1d232a"), ERROR if self.error else QColor("#3b444d"), QColor("#5b6670")]
        for i, (text, points, bold, width) in enumerate(self.texts()):
            f, shown = fitted(text, points, bold, width)
            painter.setFont(f)
            painter.setPen(pens[min(i, 2)])
            if i < 3:
                box = QRectF(rect.left() + 16, (6, 27, 48)[i], width, 20 if i == 0 else 18)
            else:
                box = QRectF(rect.left() + 22, HEIGHT + (i - 3) * LAYER_ROW, width, LAYER_ROW)
                if shown == text and " " in text.strip():
                    name, shape = text.split()[0], text.split()[-1]
                    painter.drawText(box, Qt.AlignLeft, name)
                    painter.drawText(box, Qt.AlignRight, shape)
                    continue
            painter.drawText(box, Qt.AlignLeft, shown)
        painter.setPen(QPen(QColor("#5b6670"), 1.2))
        painter.setBrush(QColor("#ffffff"))
        if self.node_id != INPUT:
            painter.drawEllipse(QPointF(0, 0), PORT, PORT)
        painter.setBrush(colour(self.kind))
        painter.drawEllipse(QPointF(0, self.height()), PORT, PORT)


def describe(cost) -> tuple[str, str, str, str | None, list[str]]:
    """The texts a node shows for its BlockCost (formatting only; the numbers come from it)."""
    if not cost.ok:
        badge = f"not counted · output {fmt(cost.output_shape)}" if cost.output_shape else ""
        return cost.name, cost.kind, badge, cost.error, []
    badge = f"{human(cost.params)} params · {human(cost.macs)} MACs"
    layers = [f"{la.name} {fmt(la.output)}" for la in cost.layers
              if la.op not in ("act", "bn")]
    return cost.name, f"{cost.kind} → {fmt(cost.output_shape)}", badge, None, layers
