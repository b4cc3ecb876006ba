"""The canvas: the design's blocks and wires in a QGraphicsScene, kept in step with the document.
Blocks stand where the layout puts them (core's layered layout, or where the user moved them);
wires follow core's routes, beside the blocks. Drop a palette block to add it (on a wire: spliced
into it; else wired after the selected block or the nearest chain end), drag from a block's
bottom port to another block to wire it, drag blocks to move them. An expanded block pushes the
blocks below it down on screen only, and a collapsed group (view state) pulls them up: the
document's layout is untouched."""
from __future__ import annotations

import json

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView, QMenu

from blocks import fmt
from designer.core.commands import MoveNodes, RemoveEdge
from designer.core.design import INPUT, Edge
from designer.core.editing import add_block, splice, wire
from designer.core.groups import GROUP_PREFIX, collapsed_names, design_groups, group_cost, shown_collapsed
from designer.core.layered import Box
from designer.core.layout import auto_layout
from designer.core.problems import problem_items
from designer.core.units import human

from ..shell.document import DocumentModel
from ..style import SELECTED
from .node_item import LOD_SCALE, NodeItem, describe
from .wires import EdgeItem, WireRouter, polyline_path

MIME = "application/x-convsketch-block"
SNAP_DISTANCE = 320.0


def edge_path(a: QPointF, b: QPointF) -> QPainterPath:
    """The wire being drawn by hand, from a port to the pointer."""
    path = QPainterPath(a)
    dy = max(30.0, abs(b.y() - a.y()) / 2)
    path.cubicTo(a + QPointF(0, dy), b - QPointF(0, dy), b)
    return path


class CanvasScene(QGraphicsScene):
    def __init__(self, document: DocumentModel):
        super().__init__()
        self.document = document
        self.items_by_id: dict[str, NodeItem] = {}
        self.group_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self.router = WireRouter()
        self.collapsed: dict[str, list[str]] = {}
        self._syncing = False
        self._press_positions: dict[str, QPointF] = {}
        self._wire_from: str | None = None
        self._wire_line: QGraphicsPathItem | None = None
        self._edges_drawn: tuple = ()
        self._base_positions: dict[str, tuple[float, float]] = {}
        document.changed.connect(self.sync)
        document.selection_changed.connect(self._select_items)
        self.selectionChanged.connect(self._on_selection)
        self.sync()

    # -- document -> scene ------------------------------------------------------------------
    def sync(self) -> None:
        self._syncing = True
        design, analysis = self.document.design, self.document.analysis
        layout = design.layout
        missing = [n for n in design.nodes if n not in layout]
        auto = auto_layout(design) if missing else {}
        wanted = {INPUT, *design.nodes}
        for nid in list(self.items_by_id):
            if nid not in wanted:
                self.removeItem(self.items_by_id.pop(nid))
        for nid in wanted:
            kind = "input" if nid == INPUT else design.nodes[nid].kind
            item = self.items_by_id.get(nid)
            if item is None or item.kind != kind:
                if item is not None:
                    self.removeItem(item)
                item = NodeItem(nid, kind)
                self.addItem(item)
                self.items_by_id[nid] = item
        self._base_positions = {}
        for nid in wanted:
            pos = layout.get(nid) or auto.get(nid) or (0.0, 0.0)
            if nid == INPUT:
                first = min((p[1] for p in layout.values()), default=110.0)
                pos = layout.get(INPUT, (0.0, first - 110.0))
            self._base_positions[nid] = pos
        self._show_content()
        self._sync_groups()
        self._place_items()
        self._select_items(self.document.selected)
        self._syncing = False

    def _show_content(self) -> None:
        """Every block's texts from the analysis: root causes red with the whole problem as
        their tooltip, blocks only waiting on one grey with what they wait on."""
        design, analysis = self.document.design, self.document.analysis
        costs = {b.node_id: b for b in analysis.blocks}
        items = problem_items(design, analysis) if analysis.problems else []
        waiting = {i.node_id: ", ".join(i.waiting_on) for i in items if not i.root}
        whole = {i.node_id: f"{i.name}: waiting on "
                            + ", ".join(f"'{n}'" for n in i.waiting_on)
                            + " (it has no input shape until that is fixed)"
                 for i in items if not i.root}
        own: dict[str, str] = {}
        for i in items:
            if i.root and i.node_id:
                whole[i.node_id] = (whole[i.node_id] + "\n" if i.node_id in whole else "") + i.text
                own.setdefault(i.node_id, i.message)
        self.items_by_id[INPUT].set_content("input", f"image → {fmt(analysis.input_shape)}",
                                            f"ρ = {design.rho:.3g}", None, [])
        for nid, node in design.nodes.items():
            cost = costs.get(nid)
            title, subtitle, badge, error, layers = (
                describe(cost) if cost is not None
                else (node.name, node.kind, "", "not analysed", []))
            if error is None and nid in own:
                error = own[nid]
            self.items_by_id[nid].set_content(title, subtitle, badge, error, layers,
                                              waiting.get(nid), whole.get(nid))

    def _sync_groups(self) -> None:
        """A box for every collapsed group (view state); its members are hidden."""
        design, analysis = self.document.design, self.document.analysis
        self.collapsed = shown_collapsed(design)
        groups = design_groups(design) if self.collapsed else {}
        for gid in list(self.group_items):
            if gid not in self.collapsed:
                self.removeItem(self.group_items.pop(gid))
        hidden = {m for members in self.collapsed.values() for m in members}
        for nid, item in self.items_by_id.items():
            item.setVisible(nid not in hidden)
            if nid in hidden:
                item.setSelected(False)
        for gid, members in self.collapsed.items():
            item = self.group_items.get(gid)
            if item is None:
                item = NodeItem(gid, "group")
                item.setFlag(NodeItem.ItemIsMovable, False)
                self.addItem(item)
                self.group_items[gid] = item
            group = groups[gid[len(GROUP_PREFIX):]]
            cost = group_cost(group, analysis)
            left_out = f"{cost.invalid} of its blocks not counted" if cost.invalid else None
            item.set_content(f"▸ {group.name}", f"group of {len(members)} blocks",
                             f"{human(cost.params)} params · {human(cost.macs)} MACs", left_out,
                             [], tip=f"{group.name}: {len(members)} blocks, collapsed; "
                                     "double-click to open it")

    def set_group_collapsed(self, name: str, collapsed: bool) -> None:
        """Collapse or open a group: view state kept with the design (saved with the file), no
        edit of the network and no undo step."""
        names = [n for n in collapsed_names(self.document.design) if n != name]
        if collapsed:
            names.append(name)
        view = dict(self.document.design.view)
        if names:
            view["collapsed"] = names
        else:
            view.pop("collapsed", None)
        self.document.design.view = view
        self.sync()

    def _place_items(self) -> None:
        """Put every item at its layout position, moved down by the extra height of every
        expanded block above it (up, for collapsed groups), and redraw the wires."""
        expanded = self._expanded_extras()
        shifts = sorted(expanded.values())

        def shifted(y: float) -> float:
            return y + sum(extra for top, extra in shifts if top < y)

        for nid, item in self.items_by_id.items():
            x, y = self._base_positions.get(nid, (0.0, 0.0))
            item.setPos(QPointF(x, shifted(y)))
        for gid, item in self.group_items.items():
            xs = [self._base_positions[m][0] for m in self.collapsed[gid]]
            top = min(self._base_positions[m][1] for m in self.collapsed[gid])
            item.setPos(QPointF((min(xs) + max(xs)) / 2, shifted(top)))
        self._draw_edges()

    def _expanded_extras(self) -> dict[str, tuple[float, float]]:
        """For every expanded block: its layout top and the height it adds on screen; for every
        collapsed group: its lowest member's top and the height it takes away."""
        extras = {nid: (self._base_positions[nid][1], item.height() - item.collapsed_height())
                  for nid, item in self.items_by_id.items()
                  if item.expanded and item.isVisible() and nid in self._base_positions}
        for gid, members in self.collapsed.items():
            tops = [self._base_positions[m][1] for m in members if m in self._base_positions]
            if tops:
                extras[gid] = (max(tops), -(max(tops) - min(tops)))
        return extras

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

    def boxes(self) -> dict[str, Box]:
        """Every shown block's and collapsed group's box where it stands on screen."""
        shown = [(nid, i) for nid, i in self.items_by_id.items() if i.isVisible()]
        shown += list(self.group_items.items())
        return {nid: Box(i.pos().x() - i.body().width() / 2, i.pos().y(), i.body().width(),
                         i.height()) for nid, i in shown}

    def _draw_edges(self, force: bool = False) -> None:
        boxes = self.boxes()
        signature = (tuple(self.document.design.edges), tuple(boxes.items()))
        if signature == self._edges_drawn and not force:
            return
        self._edges_drawn = signature
        owner = {m: gid for gid, members in self.collapsed.items() for m in members}
        drawing = self.router.route(self.document.design, boxes, owner, self.collapsed)
        routes: dict[tuple, list] = {}
        for w in drawing.wires:
            routes.setdefault((w.src, w.dst, w.port), []).append(w.points)
        was, self._syncing = self._syncing, True
        selected = set(self.selected_edges())
        old = {item.edge: item for item in self.edge_items}
        self.edge_items = []
        for e in self.document.design.edges:
            key = (owner.get(e.src, e.src), owner.get(e.dst, e.dst), e.port)
            points = routes.get(key)
            if not points:
                continue
            route = points.pop(0)
            item = old.pop(e, None)
            if item is None:
                item = EdgeItem(e, polyline_path(route), self.document)
                self.addItem(item)
            elif item.points != route:
                item.setPath(polyline_path(route))
            item.points = route
            if item.isSelected() != (e in selected):
                item.setSelected(e in selected)
            self.edge_items.append(item)
        for item in old.values():
            self.removeItem(item)
        self._syncing = was

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.edge_items if i.isSelected()]

    def edge_at(self, pos: QPointF) -> EdgeItem | None:
        for item in self.items(pos):
            if isinstance(item, EdgeItem):
                return item
        return None

    def _select_items(self, node_ids: list[str]) -> None:
        was, self._syncing = self._syncing, True
        for nid, item in self.items_by_id.items():
            item.setSelected(nid in node_ids)
        self._syncing = was

    def _on_selection(self) -> None:
        if not self._syncing:
            self.document.select([i.node_id for i in self.selectedItems()
                                  if isinstance(i, NodeItem) and i.node_id != INPUT])

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
        self._draw_edges()

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
        if item is not None and item.toggle_expanded():
            self._place_items()
        super().mouseDoubleClickEvent(event)

    # -- dropping palette blocks -----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME))

    def dragMoveEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME))

    def dropEvent(self, event) -> None:
        """A palette block lands where it is dropped and is selected: dropped on a wire, it is
        spliced into it; else wired after ``wire_target``."""
        data = json.loads(bytes(event.mimeData().data(MIME)).decode())
        pos = event.scenePos()
        design = self.document.design
        on_wire = self.wire_near(pos) if self.node_at(pos) is None else None
        if on_wire is not None:
            command = splice(design, data["kind"], data.get("params"), on_wire.edge,
                             (pos.x(), pos.y()))
        else:
            command = add_block(design, data["kind"], data.get("params"), (pos.x(), pos.y()),
                                after=self.wire_target(pos))
        self.document.push(command)
        new = command.node.id if hasattr(command, "node") else command.commands[0].node.id
        self.document.select([new])
        event.acceptProposedAction()

    SPLICE_REACH = 10.0
    """How near a wire (in scene pixels) a dropped block must land to be spliced into it."""

    def wire_near(self, pos: QPointF) -> EdgeItem | None:
        r = self.SPLICE_REACH
        for item in self.items(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r)):
            if isinstance(item, EdgeItem) and item.isVisible():
                return item
        return None

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
    """Zoom with the wheel, pan with the middle button, rubber-band selection; an overview
    minimap in the corner; an empty design shows what to do."""

    EMPTY_HINT = "Drag a block here from the palette\n(or double-click one)"

    def __init__(self, scene: CanvasScene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self._pan_from = None
        from .minimap import Minimap
        self.minimap = Minimap(self)
        scene.document.selection_changed.connect(self.reveal)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_minimap()

    def place_minimap(self) -> None:
        """Bottom right, at most a quarter of the canvas's width and height."""
        margin = 10
        area = self.viewport().geometry()
        self.minimap.resize_to(max(80, min(200, area.width() // 4)),
                               max(60, min(150, area.height() // 4)))
        self.minimap.move(area.right() - self.minimap.width() - margin,
                          area.bottom() - self.minimap.height() - margin)
        self.minimap.setVisible(self.minimap.wanted and bool(self.scene().document.design.nodes))

    def drawForeground(self, painter: QPainter, rect) -> None:
        if self.scene().document.design.nodes:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(QColor("#6b747d"))
        f = painter.font()
        f.setPointSizeF(14)
        painter.setFont(f)
        painter.drawText(self.viewport().rect(), Qt.AlignCenter, self.EMPTY_HINT)
        painter.restore()

    def wheelEvent(self, event) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)

    MIN_FIT_SCALE = 0.25
    """Fitting goes no smaller: blocks are compact there, their names still about 10 points."""

    def fit(self) -> None:
        """Fit the whole design (zoomed out, blocks become compact boxes with their names); one
        too long for that stays readable, shown from its top, and scrolls."""
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > 1.2 or scale < self.MIN_FIT_SCALE:
            self.resetTransform()
            s = (1.2 if scale > 1.2 else
                 min(1.0, max(LOD_SCALE, self.viewport().width() / rect.width())))
            self.scale(s, s)
            self.centerOn(rect.center().x(), rect.top() + self.viewport().height() / (2 * s))
        self.place_minimap()

    def reveal(self, node_ids: list[str]) -> None:
        """Bring a block selected anywhere (a chart bar, the problems list) into view, zoomed in
        far enough to read it; one already in view stays put."""
        if len(node_ids) != 1:
            return
        item = self.scene().items_by_id.get(node_ids[0])
        if item is None or not item.isVisible():
            return
        if self.transform().m11() < LOD_SCALE:
            self.resetTransform()
            self.scale(1.0, 1.0)
            self.centerOn(item.sceneBoundingRect().center())
            return
        seen = self.mapToScene(self.viewport().rect()).boundingRect()
        if not seen.contains(item.sceneBoundingRect()):
            self.centerOn(item.sceneBoundingRect().center())

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
