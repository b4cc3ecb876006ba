"""The canvas's wires: each one a polyline from core (the layered layout's route, or a route
around the boxes once blocks were moved by hand), drawn as given. A wire is selectable by a click
within a few pixels of its line; hovering it shows the shape it carries."""
from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from blocks import fmt
from designer.core.design import INPUT, Edge
from designer.core.layered import Box, Drawing
from designer.core.layout import design_drawing
from designer.core.routing import drawing_at, moved

from ..style import SELECTED, WIRE, WIRE_HOVER


def polyline_path(points) -> QPainterPath:
    path = QPainterPath(QPointF(*points[0]))
    for x, y in points[1:]:
        path.lineTo(x, y)
    return path


class EdgeItem(QGraphicsPathItem):
    """One wire: selectable by a click anywhere within a few pixels of its line (the hit area is
    wider than the drawn line), drawn thicker in the selection colour while selected and a
    little thicker under the pointer, whose tooltip names the shape the wire carries."""

    HIT_WIDTH = 12.0
    PEN = QPen(WIRE, 1.6)
    HOVER_PEN = QPen(WIRE_HOVER, 2.6)
    SELECTED_PEN = QPen(SELECTED, 3.0)

    def __init__(self, edge: Edge, path: QPainterPath, document=None):
        super().__init__(path)
        self.edge, self.document = edge, document
        self.points: tuple = ()
        self.setPen(self.PEN)
        self.setZValue(-1)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setAcceptHoverEvents(True)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(self.HIT_WIDTH)
        return stroker.createStroke(self.path())

    def boundingRect(self):
        pad = self.HIT_WIDTH / 2
        return self.path().boundingRect().adjusted(-pad, -pad, pad, pad)

    def shape_text(self) -> str:
        """``conv1 → maxpool: 64×112×112``, from the current analysis."""
        if self.document is None:
            return ""
        design, analysis = self.document.design, self.document.analysis
        if self.edge.src == INPUT:
            src_name, shape = "input", analysis.input_shape
        else:
            node = design.nodes.get(self.edge.src)
            src_name = node.name if node is not None else self.edge.src
            cost = next((b for b in analysis.blocks if b.node_id == self.edge.src), None)
            shape = cost.output_shape if cost is not None else None
        dst = design.nodes.get(self.edge.dst)
        dst_name = dst.name if dst is not None else self.edge.dst
        port = f" (input {self.edge.port})" if self.edge.port else ""
        carried = fmt(shape) if shape else "no shape (the block before it has an error)"
        return f"{src_name} → {dst_name}{port}: {carried}"

    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(f"{self.shape_text()}\nClick to select; Delete or right-click removes it")
        if not self.isSelected():
            self.setPen(self.HOVER_PEN)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.setPen(self.SELECTED_PEN if self.isSelected() else self.PEN)
        super().hoverLeaveEvent(event)

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self.setPen(self.SELECTED_PEN if value else self.PEN)
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self.pen())
        painter.drawPath(self.path())


class WireRouter:
    """Which route each wire takes: the layered layout's when the boxes stand where it puts
    them (checked when many boxes move at once: opening a design, Ctrl+L, undo; computed once
    per structure of blocks, wires, heights and collapsed groups), the last route drawn while
    neither end moved, else a new route from core around the boxes."""

    def __init__(self):
        self.drawing: Drawing | None = None
        self._layered: Drawing | None = None
        self._layered_key: tuple = ()

    def route(self, design, boxes: dict[str, Box], owner: dict[str, str],
              collapsed: dict[str, list[str]]) -> Drawing:
        key = (tuple(design.edges), tuple(sorted(boxes)),
               tuple(sorted((n, b.height) for n, b in boxes.items())), tuple(sorted(owner.items())))
        moved_count = (len(boxes) if self.drawing is None else
                       sum(moved(b, self.drawing.boxes.get(n)) for n, b in boxes.items()))
        reference = self.drawing
        if moved_count > 1:
            layered = self._layered_for(design, boxes, collapsed, key)
            if not any(moved(b, layered.boxes.get(n)) for n, b in boxes.items()):
                self.drawing = Drawing(boxes, layered.wires)
                return self.drawing
            reference = reference or layered
        self.drawing = drawing_at(design, boxes, reference, owner)
        return self.drawing

    def _layered_for(self, design, boxes, collapsed, key) -> Drawing:
        if key != self._layered_key or self._layered is None:
            heights = {n: b.height for n, b in boxes.items()}
            self._layered = design_drawing(design, heights, collapsed)
            self._layered_key = key
        return self._layered
