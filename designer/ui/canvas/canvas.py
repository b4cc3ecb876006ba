"""The canvas: the design's blocks and wires in a QGraphicsScene, kept in step with the document.
Drop a palette block to add it (wired after the selected block or the nearest chain end), drag
from a block's bottom port to another block to wire it, drag blocks to move them. An expanded
block pushes the blocks below it down on screen only: the document's layout is untouched."""
from __future__ import annotations

import json

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
)

from blocks import fmt
from designer.core.change import DesignChange
from designer.core.commands import MoveNodes, RemoveEdge
from designer.core.design import INPUT, Edge
from designer.core.editing import add_block, wire
from designer.core.layout import auto_layout
from designer.core.receptive_field import field_text

from ..shell.document import DocumentModel
from ..shell.view_state import Guard
from ..style import SELECTED
from .node_item import NodeItem, describe

MIME = "application/x-convsketch-block"
SNAP_DISTANCE = 320.0


def edge_path(a: QPointF, b: QPointF) -> QPainterPath:
    path = QPainterPath(a)
    dy = max(30.0, abs(b.y() - a.y()) / 2)
    path.cubicTo(a + QPointF(0, dy), b - QPointF(0, dy), b)
    return path


class EdgeItem(QGraphicsPathItem):
    """One wire: selectable by a click anywhere within a few pixels of its line (the hit area is
    wider than the drawn line), drawn thicker in the selection colour while selected."""

    HIT_WIDTH = 12.0
    PEN = QPen(QColor("#6b7785"), 1.6)
    SELECTED_PEN = QPen(SELECTED, 3.0)

    def __init__(self, edge: Edge, path: QPainterPath):
        super().__init__(path)
        self.edge = edge
        self.setPen(self.PEN)
        self.setZValue(-1)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setToolTip("A wire: click to select, Delete or right-click to remove it")
        self.ends: tuple[QPointF, QPointF] | None = None

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(self.HIT_WIDTH)
        return stroker.createStroke(self.path())

    def boundingRect(self):
        pad = self.HIT_WIDTH / 2
        return self.path().boundingRect().adjusted(-pad, -pad, pad, pad)

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self.setPen(self.SELECTED_PEN if value else self.PEN)
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self.pen())
        painter.drawPath(self.path())


class CanvasScene(QGraphicsScene):
    """The design drawn. It follows the document one step at a time: ``apply(change)`` adds,
    removes and updates the items a ``DesignChange`` names (and the text of the blocks whose
    analysis changed), and leaves every other item as it is; ``rebuild()`` draws everything
    anew (at start and when another design is loaded)."""

    def __init__(self, document: DocumentModel):
        super().__init__()
        self.document = document
        self.items_by_id: dict[str, NodeItem] = {}
        self._edge_items: dict[Edge, EdgeItem] = {}
        self._shown: dict[str, tuple] = {}
        self.view_state = document.view
        self.guard = Guard()
        self._press_positions: dict[str, QPointF] = {}
        self._wire_from: str | None = None
        self._wire_line: QGraphicsPathItem | None = None
        self._base_positions: dict[str, tuple[float, float]] = {}
        document.changed.connect(self.apply)
        document.selection_changed.connect(self._select_items)
        self.view_state.edge_selection_changed.connect(self._select_edge_items)
        self.view_state.expanded_changed.connect(lambda _: self._place_items())
        self.selectionChanged.connect(self._on_selection)
        self.rebuild()

    @property
    def edge_items(self) -> list[EdgeItem]:
        return list(self._edge_items.values())

    # -- document -> scene ------------------------------------------------------------------
    def rebuild(self) -> None:
        design = self.document.design
        self._apply(set(self.items_by_id) | set(design.nodes), set(self._edge_items)
                    | set(design.edges), contents=True)

    def apply(self, change: DesignChange) -> None:
        if change.reset:
            self.rebuild()
        else:
            self._apply(change.nodes_touched, change.edges_touched, contents=change.structural)

    def _apply(self, nodes: set[str], edges: set[Edge], contents: bool) -> None:
        with self.guard:
            self._update_nodes(nodes)
            self._update_base_positions()
            if contents:
                self._update_contents()
            self._place_items(edges)
            self._select_items(self.document.selected)
            self._select_edge_items(self.view_state.selected_edges)

    def _update_nodes(self, named: set[str]) -> None:
        """Add, replace (kind changed) or remove the items of the named nodes."""
        design = self.document.design
        for nid in {*named, INPUT}:
            node = design.nodes.get(nid)
            item = self.items_by_id.get(nid)
            kind = INPUT if nid == INPUT else node.kind if node is not None else None
            if item is not None and item.kind != kind:
                self.removeItem(self.items_by_id.pop(nid))
                self._shown.pop(nid, None)
                item = None
            if item is None and kind is not None:
                item = NodeItem(nid, kind, self.view_state)
                self.addItem(item)
                self.items_by_id[nid] = item

    def _update_base_positions(self) -> None:
        """Every item's layout position (auto-laid-out where the layout has none); the input
        sits above the topmost block unless placed."""
        layout = self.document.design.layout
        missing = [n for n in self.document.design.nodes if n not in layout]
        auto = auto_layout(self.document.design) if missing else {}
        first = min((p[1] for p in layout.values()), default=110.0)
        self._base_positions = {nid: layout.get(nid) or auto.get(nid) or (0.0, 0.0)
                                for nid in self.items_by_id}
        self._base_positions[INPUT] = layout.get(INPUT, (0.0, first - 110.0))

    def _update_contents(self) -> None:
        """Set the texts of every block whose analysis reads differently from what it shows."""
        design, analysis = self.document.design, self.document.analysis
        costs = {b.node_id: b for b in analysis.blocks}
        problems = {p.node_id: str(p).split(": ", 1)[-1] for p in analysis.problems if p.node_id}
        wanted = {INPUT: ("input", f"image → {fmt(analysis.input_shape)}",
                          f"ρ = {design.rho:.3g}", None, [])}
        for nid, node in design.nodes.items():
            cost = costs.get(nid)
            content = (describe(cost) if cost is not None
                       else (node.name, node.kind, "", "not analysed", []))
            if content[3] is None and nid in problems:
                content = (*content[:3], problems[nid], content[4])
            detail = (field_text(cost.field, analysis.input_shape)
                      if cost is not None and cost.ok else "")
            wanted[nid] = (*content, detail)
        for nid, content in wanted.items():
            if self._shown.get(nid) != content:
                self._shown[nid] = content
                item = self.items_by_id[nid]
                item.set_content(*content)
                if not item.layer_lines:
                    self.view_state.set_expanded(nid, False)  # none to show: collapsed for good

    def _place_items(self, edges: set[Edge] = frozenset()) -> None:
        """Put every item at its layout position, moved down by the extra height of every
        expanded block above it, and bring the wires in step (the named ones added or removed,
        every wire whose ends moved redrawn)."""
        expanded = self._expanded_extras()
        for nid, item in self.items_by_id.items():
            x, y = self._base_positions.get(nid, (0.0, 0.0))
            item.setPos(QPointF(x, y + sum(extra for top, extra in expanded.values() if top < y)))
        self._update_edges(edges)

    def _expanded_extras(self) -> dict[str, tuple[float, float]]:
        """For every expanded block: its layout top and the height it adds on screen."""
        return {nid: (self._base_positions[nid][1], item.height() - item.collapsed_height())
                for nid, item in self.items_by_id.items()
                if item.expanded and nid in self._base_positions}

    def _layout_positions(self, dropped: dict[str, QPointF]) -> dict[str, tuple[float, float]]:
        """The layout positions that ``_place_items`` shows exactly where the items were dropped:
        each drop point less the extra height of the expanded blocks that end up above it.
        Solved top-down, so a moved expanded block counts for the moved blocks below it. A block
        dropped onto the layer rows of an expanded block goes below that block."""
        extras = {nid: v for nid, v in self._expanded_extras().items() if nid not in dropped}
        positions = {}
        for nid, pos in sorted(dropped.items(), key=lambda kv: kv[1].y()):
            shift = 0.0
            for top, extra in sorted(extras.values()):
                if pos.y() - shift - extra <= top:
                    break
                shift += extra
            positions[nid] = (pos.x(), pos.y() - shift)
            item = self.items_by_id[nid]
            if item.expanded:
                extras[nid] = (positions[nid][1], item.height() - item.collapsed_height())
        return positions

    def _update_edges(self, named: set[Edge] = frozenset()) -> None:
        """Add or remove the items of the named wires, and redraw every wire whose ends moved."""
        present = set(self.document.design.edges) if named else set()
        for e in named:
            ends = (self.items_by_id.get(e.src), self.items_by_id.get(e.dst))
            if e in present and None not in ends:
                if e not in self._edge_items:
                    item = EdgeItem(e, QPainterPath())
                    self.addItem(item)
                    self._edge_items[e] = item
            elif e in self._edge_items:
                self.removeItem(self._edge_items.pop(e))
        for e, item in list(self._edge_items.items()):
            a, b = self.items_by_id.get(e.src), self.items_by_id.get(e.dst)
            if a is None or b is None:
                self.removeItem(self._edge_items.pop(e))
                continue
            ends = (a.output_port(), b.input_port())
            if item.ends != ends:
                item.ends = ends
                item.setPath(edge_path(*ends))

    def selected_edges(self) -> list[Edge]:
        return list(self.view_state.selected_edges)

    def edge_at(self, pos: QPointF) -> EdgeItem | None:
        for item in self.items(pos):
            if isinstance(item, EdgeItem):
                return item
        return None

    def _select_items(self, node_ids: list[str]) -> None:
        with self.guard:
            for nid, item in self.items_by_id.items():
                item.setSelected(nid in node_ids)

    def _select_edge_items(self, edges: list[Edge]) -> None:
        with self.guard:
            chosen = set(edges)
            for edge, item in self._edge_items.items():
                item.setSelected(edge in chosen)

    def _on_selection(self) -> None:
        """A click or a rubber band selected items: the view state takes the selection."""
        if self.guard:
            return
        chosen = self.selectedItems()
        self.document.select([i.node_id for i in chosen
                              if isinstance(i, NodeItem) and i.node_id != INPUT])
        self.view_state.select_edges([i.edge for i in chosen if isinstance(i, EdgeItem)])

    # -- moving and wiring --------------------------------------------------------------------
    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event) -> None:
        item = self.node_at(event.scenePos())
        if item is not None and item.near_output_port(event.scenePos()):
            self._wire_from = item.node_id
            self._wire_line = self.addPath(QPainterPath(), QPen(SELECTED, 2, Qt.DashLine))
            event.accept()
            return
        self._press_positions = {i.node_id: i.pos() for i in self.items_by_id.values()}
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._wire_from is not None:
            start = self.items_by_id[self._wire_from].output_port()
            self._wire_line.setPath(edge_path(start, event.scenePos()))
            return
        super().mouseMoveEvent(event)
        self._update_edges()

    def mouseReleaseEvent(self, event) -> None:
        if self._wire_from is not None:
            self.removeItem(self._wire_line)
            target = self.node_at(event.scenePos())
            src, self._wire_from, self._wire_line = self._wire_from, None, None
            if target is not None:
                command = wire(self.document.design, src, target.node_id)
                if command is not None:
                    self.document.push(command)
            return
        super().mouseReleaseEvent(event)
        dropped = {nid: item.pos() for nid, item in self.items_by_id.items()
                   if nid in self._press_positions and item.pos() != self._press_positions[nid]}
        self._press_positions = {}
        if dropped:
            self.document.push(MoveNodes(self._layout_positions(dropped)))

    def contextMenuEvent(self, event) -> None:
        """Right-click on a wire: "Remove wire" (undoable like every edit)."""
        if self.node_at(event.scenePos()) is not None:
            return super().contextMenuEvent(event)
        item = self.edge_at(event.scenePos())
        if item is None:
            return super().contextMenuEvent(event)
        menu = QMenu()
        remove = menu.addAction("Remove wire")
        if self.exec_menu(menu, event.screenPos()) is remove:
            self.document.push(RemoveEdge(item.edge))
        event.accept()

    def exec_menu(self, menu: QMenu, screen_pos):
        """Show a context menu and return the chosen action (a seam tests replace, as a modal
        menu blocks offscreen)."""
        return menu.exec(screen_pos)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.node_at(event.scenePos())
        if item is not None:
            item.set_expanded(not item.expanded)
        super().mouseDoubleClickEvent(event)

    # -- dropping palette blocks -----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME))

    def dragMoveEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME))

    def dropEvent(self, event) -> None:
        data = json.loads(bytes(event.mimeData().data(MIME)).decode())
        pos = event.scenePos()
        self.document.push(add_block(self.document.design, data["kind"], data.get("params"),
                                     (pos.x(), pos.y()), after=self.wire_target(pos)))
        event.acceptProposedAction()

    def wire_target(self, pos: QPointF) -> str | None:
        """The selected block, else the nearest chain end within reach, else the input of an
        empty design; None leaves the new block unwired."""
        design = self.document.design
        if len(self.document.selected) == 1:
            return self.document.selected[0]
        if not design.nodes:
            return INPUT
        consumed = {e.src for e in design.edges}
        ends = [self.items_by_id[n] for n in design.nodes if n not in consumed]
        best = min(ends, key=lambda i: (i.output_port() - pos).manhattanLength(), default=None)
        if best is not None and (best.output_port() - pos).manhattanLength() <= SNAP_DISTANCE:
            return best.node_id
        return None


class CanvasView(QGraphicsView):
    """Zoom with the wheel, pan with the middle button, rubber-band selection."""

    def __init__(self, scene: CanvasScene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._pan_from = None

    def wheelEvent(self, event) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)

    MIN_FIT_SCALE = 0.6

    def fit(self) -> None:
        """Fit the design; a long one stays readable, shown from its top, and scrolls."""
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > 1.2 or scale < self.MIN_FIT_SCALE:
            self.resetTransform()
            s = min(1.2, max(self.MIN_FIT_SCALE, self.viewport().width() / rect.width()))
            self.scale(s, s)
            self.centerOn(rect.center().x(), rect.top() + self.viewport().height() / (2 * s))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton:
            self._pan_from = event.position()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(d.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(d.y()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton:
            self._pan_from = None
            return
        super().mouseReleaseEvent(event)
