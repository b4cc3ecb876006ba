"""The canvas: the design's blocks and wires in a QGraphicsScene, kept in step with the document
(the view that shows it, with zoom, fit and minimap, is ``view.CanvasView``).
Blocks stand where the layout puts them (core's layered layout, or where the user moved them);
wires follow core's routes, beside the blocks. Drop a palette block to add it (on a wire: spliced
into it; else wired after the selected block or the nearest chain end), drag from a block's
bottom port to another block to wire it, drag blocks to move them. An expanded block pushes the
blocks below it down on screen only, and a collapsed group (view state) pulls them up: the
document's layout is untouched."""
from __future__ import annotations

import json

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QMenu

from blocks import fmt
from designer.core.change import DesignChange
from designer.core.commands import MoveNodes, RemoveEdge
from designer.core.design import INPUT, Edge
from designer.core.editing import add_block, splice, wire
from designer.core.frames import group_frames
from designer.core.groups import (
    GROUP_PREFIX,
    collapsed_names,
    design_groups,
    group_cost,
    shown_collapsed,
)
from designer.core.layered import Box
from designer.core.layout import auto_layout
from designer.core.problems import problem_items
from designer.core.receptive_field import field_text
from designer.core.units import human

from ..shell.document import DocumentModel
from ..shell.view_state import Guard
from ..style import SELECTED
from .group_frame import GroupFrameItem
from .node_item import NodeItem, describe
from .wires import EdgeItem, WireRouter, polyline_path

MIME = "application/x-convsketch-block"
BOXES = Qt.IntersectsItemBoundingRect
SNAP_DISTANCE = 320.0


def edge_path(a: QPointF, b: QPointF) -> QPainterPath:
    """The wire being drawn by hand, from a port to the pointer."""
    path = QPainterPath(a)
    dy = max(30.0, abs(b.y() - a.y()) / 2)
    path.cubicTo(a + QPointF(0, dy), b - QPointF(0, dy), b)
    return path


class CanvasScene(QGraphicsScene):
    """The design drawn. It follows the document one step at a time: ``apply(change)`` adds,
    removes and updates the items a ``DesignChange`` names (and the text of the blocks whose
    analysis changed), and leaves every other item as it is; ``rebuild()`` draws everything
    anew (at start and when another design is loaded)."""

    def __init__(self, document: DocumentModel):
        super().__init__()
        self.document = document
        self.items_by_id: dict[str, NodeItem] = {}
        self.group_items: dict[str, NodeItem] = {}
        self.frame_items: dict[str, GroupFrameItem] = {}
        self.collapsed: dict[str, list[str]] = {}
        self.router = WireRouter()
        self._edges_drawn: tuple = ()
        self._edge_items: dict[Edge, EdgeItem] = {}
        self._shown: dict[str, tuple] = {}
        self._costs: dict = {}
        self._hidden: set[str] = set()
        self._own: dict[str, str] = {}
        self._tips: dict[str, str] = {}
        self._waiting: dict[str, str] = {}
        self.view_state = document.view
        self.guard = Guard()
        self._press_positions: dict[str, QPointF] = {}
        self._wire_from: str | None = None
        self._wire_line: QGraphicsPathItem | None = None
        self._base_positions: dict[str, tuple[float, float]] = {}
        document.changed.connect(self.apply)
        document.selection_changed.connect(self._select_items)
        self.view_state.edge_selection_changed.connect(self._select_edge_items)
        self.view_state.expanded_changed.connect(self._on_expanded)
        self.selectionChanged.connect(self._on_selection)
        self.rebuild()

    def _on_expanded(self, expanded: set[str]) -> None:
        for nid in expanded:
            if nid in self.items_by_id:
                self.items_by_id[nid].fresh()
        self._place_items()

    @property
    def edge_items(self) -> list[EdgeItem]:
        return list(self._edge_items.values())

    # -- document -> scene ------------------------------------------------------------------
    def rebuild(self) -> None:
        design = self.document.design
        self.view_state.collapsed_groups = set(collapsed_names(design))
        self._apply(set(self.items_by_id) | set(design.nodes), set(self._edge_items)
                    | set(design.edges), contents=True)

    def apply(self, change: DesignChange) -> None:
        if change.reset:
            self.rebuild()
        else:
            self._apply(change.nodes_touched, change.edges_touched, contents=change.structural,
                        moved=bool(change.moved))

    def _apply(self, nodes: set[str], edges: set[Edge], contents: bool,
               moved: bool = True) -> None:
        """Reconcile the named items; blocks are placed and wires routed again only when
        something can have moved or changed height (not on an α tick, which only rewrites the
        texts that read differently)."""
        with self.guard:
            self._update_nodes(nodes)
            geometry = bool(nodes or edges or moved)
            if geometry:
                self._update_base_positions()
            if contents:
                geometry |= self._update_contents()
                self._update_groups()
            if geometry:
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
        """Every item's layout position (auto-laid-out where the layout has none); the input,
        unless placed, sits above the topmost block, over the first block it feeds."""
        design = self.document.design
        layout = design.layout
        missing = [n for n in design.nodes if n not in layout]
        auto = auto_layout(design) if missing else {}
        first = min((p[1] for p in layout.values()), default=110.0)
        self._base_positions = {nid: layout.get(nid) or auto.get(nid) or (0.0, 0.0)
                                for nid in self.items_by_id}
        fed = next((e.dst for e in design.consumers_of(INPUT)
                    if e.dst in self._base_positions), None)
        x = self._base_positions[fed][0] if fed is not None else 0.0
        self._base_positions[INPUT] = layout.get(INPUT, (x, first - 110.0))

    def _update_contents(self) -> bool:
        """Set the texts of every block whose analysis reads differently from what it shows:
        root causes red with the whole problem as tooltip, blocks only waiting on one grey with
        what they wait on. The blocks in view and the expanded ones are set at once; the others
        when they are next painted or read (``NodeItem.fresh``), so that an α tick on a
        1,000-block design formats the few blocks on screen, not all. True if a block's height
        changed (an expanded block's layers)."""
        design, analysis = self.document.design, self.document.analysis
        self._costs = {b.node_id: b for b in analysis.blocks}
        items = problem_items(design, analysis) if analysis.problems else []
        self._own, self._tips, self._waiting = {}, {}, {}
        for i in items:
            if not i.root:
                self._waiting[i.node_id] = ", ".join(i.waiting_on)
                self._tips[i.node_id] = (f"{i.name}: waiting on "
                                         + ", ".join(f"'{n}'" for n in i.waiting_on)
                                         + " (it has no input shape until that is fixed)")
            elif i.node_id:
                self._own.setdefault(i.node_id, i.message)
                self._tips[i.node_id] = (self._tips[i.node_id] + "\n" if i.node_id in self._tips
                                         else "") + i.text
        now = self.in_view() | self.view_state.expanded | {INPUT}
        resized = False
        refresh = self._refresh
        for nid, item in self.items_by_id.items():
            if nid in now:
                height = item.height()
                item.pending = None
                refresh(item)
                resized |= item.height() != height
                if not item._layer_lines:
                    self.view_state.set_expanded(nid, False)  # none to show: collapsed for good
            elif item.pending is None:   # (setting it costs ten times reading it)
                item.pending = refresh
        return resized

    def _refresh(self, item: NodeItem) -> None:
        """Set one block's texts from the current analysis, if they read differently."""
        nid, design, analysis = item.node_id, self.document.design, self.document.analysis
        if nid == INPUT:
            content = ("input", f"image → {fmt(analysis.input_shape)}", f"ρ = {design.rho:.3g}",
                       None, [], None, None)
        else:
            node, cost = design.nodes.get(nid), self._costs.get(nid)
            if node is None:
                return
            content = (describe(cost) if cost is not None
                       else (node.name, node.kind, "", "not analysed", []))
            if content[3] is None and nid in self._own:
                content = (*content[:3], self._own[nid], content[4])
            tip = self._tips.get(nid)
            if tip is None and content[3] is None and cost is not None and cost.ok:
                tip = (f"{content[0]}\n{content[1]}\n{content[2]}\n"
                       f"{field_text(cost.field, analysis.input_shape)}")
            content = (*content, self._waiting.get(nid), tip)
        if self._shown.get(nid) != content:
            self._shown[nid] = content
            item.set_content(*content)

    def in_view(self) -> set[str]:
        """The blocks any view of the scene shows now."""
        shown: set[str] = set()
        for view in self.views():
            rect = view.mapToScene(view.viewport().rect()).boundingRect()
            shown.update(i.node_id for i in self.items(rect, BOXES) if isinstance(i, NodeItem))
        return shown

    def refresh_in(self, rect: QRectF) -> None:
        """Bring the texts of the blocks in ``rect`` up to date before they are painted."""
        for i in self.items(rect, BOXES):  # by box: a wire's shape is a costly stroke
            if isinstance(i, NodeItem) and i.pending is not None:
                i.fresh()

    def _update_groups(self) -> None:
        """A box for every collapsed group (view state); its members are hidden."""
        design, analysis = self.document.design, self.document.analysis
        self.collapsed = shown_collapsed(design, sorted(self.view_state.collapsed_groups))
        groups = design_groups(design) if self.collapsed else {}
        for gid in list(self.group_items):
            if gid not in self.collapsed:
                self.removeItem(self.group_items.pop(gid))
        hidden = {m for members in self.collapsed.values() for m in members}
        if hidden or self._hidden:  # none hidden now or before: every block is shown already
            for nid, item in self.items_by_id.items():
                if item.isVisible() == (nid in hidden):
                    item.setVisible(nid not in hidden)
        self._hidden = hidden
        for gid, members in self.collapsed.items():
            item = self.group_items.get(gid)
            if item is None:
                item = NodeItem(gid, "group", self.view_state)
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
        """Collapse or open a group: view state, kept with the design so that it is saved with
        the file, and no edit of the network (no undo step)."""
        names = [n for n in collapsed_names(self.document.design) if n != name]
        if collapsed:
            names.append(name)
        view = dict(self.document.design.view)
        if names:
            view["collapsed"] = names
        else:
            view.pop("collapsed", None)
        self.document.design.view = view
        self.view_state.collapsed_groups = set(names)
        with self.guard:
            self._update_groups()
            self._place_items()

    def _place_items(self, edges: set[Edge] = frozenset()) -> None:
        """Put every item at its layout position, moved down by the extra height of every
        expanded block above it (up, for collapsed groups), and bring the wires in step (the
        named ones added or removed, every wire routed as core says)."""
        shifts = sorted(self._expanded_extras().values())

        def shifted(y: float) -> float:
            return y + sum(extra for top, extra in shifts if top < y)

        for nid, item in self.items_by_id.items():
            x, y = self._base_positions.get(nid, (0.0, 0.0))
            item.setPos(QPointF(x, shifted(y)))
        for gid, item in self.group_items.items():
            members = [m for m in self.collapsed[gid] if m in self._base_positions]
            xs = [self._base_positions[m][0] for m in members]
            top = min(self._base_positions[m][1] for m in members)
            item.setPos(QPointF((min(xs) + max(xs)) / 2, shifted(top)))
        self._update_edges(edges)
        self._update_frames()

    def _update_frames(self) -> None:
        """A frame around every expanded group, where core puts it around the boxes as they
        stand now; frames of groups gone or collapsed go."""
        frames = {f.name: f for f in group_frames(self.document.design, self.boxes(),
                                                  self.collapsed)}
        for name in list(self.frame_items):
            if name not in frames:
                self.removeItem(self.frame_items.pop(name))
        for name, frame in frames.items():
            item = self.frame_items.get(name)
            if item is None:
                item = GroupFrameItem(frame, lambda n: self.set_group_collapsed(n, True))
                self.addItem(item)
                self.frame_items[name] = item
            elif item.frame != frame:
                item.set_frame(frame)

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

    def _update_edges(self, named: set[Edge] = frozenset()) -> None:
        """Wires as core routes them: the items of wires added or removed come and go, and a
        wire whose route changed is redrawn (nothing is done while no box moved and no wire
        changed, as on an α tick)."""
        boxes = self.boxes()
        design = self.document.design
        signature = (tuple(design.edges), tuple(boxes.items()))
        if signature == self._edges_drawn and not named:
            return
        self._edges_drawn = signature
        owner = {m: gid for gid, members in self.collapsed.items() for m in members}
        drawing = self.router.route(design, boxes, owner, self.collapsed)
        routes: dict[tuple, list] = {}
        for w in drawing.wires:
            routes.setdefault((w.src, w.dst, w.port), []).append(w.points)
        old = dict(self._edge_items)
        self._edge_items = {}
        for e in design.edges:
            points = routes.get((owner.get(e.src, e.src), owner.get(e.dst, e.dst), e.port))
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
            self._edge_items[e] = item
        for item in old.values():
            self.removeItem(item)

    def selected_edges(self) -> list[Edge]:
        return list(self.view_state.selected_edges)

    def edge_at(self, pos: QPointF) -> EdgeItem | None:
        for item in self.items(pos):
            if isinstance(item, EdgeItem):
                return item
        return None

    def _select_items(self, node_ids: list[str]) -> None:
        self._select(node_ids, self.items_by_id, NodeItem, lambda item: item.node_id)

    def _select_edge_items(self, edges: list[Edge]) -> None:
        self._select(edges, self._edge_items, EdgeItem, lambda item: item.edge)

    def _select(self, keys, items: dict, cls: type, key_of) -> None:
        """Select the items (of ``cls``, found in ``items`` by key) of ``keys`` and only those,
        touching only the items whose state changes: a tick on a 1,000-block design need not
        visit every item."""
        chosen = set(keys)
        with self.guard:
            for item in self.selectedItems():
                if isinstance(item, cls) and key_of(item) not in chosen \
                        and items.get(key_of(item)) is item:
                    item.setSelected(False)
            for key in chosen:
                item = items.get(key)
                if item is not None and not item.isSelected():
                    item.setSelected(True)

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
        """Right-click on a wire: "Remove wire" (undoable like every edit); on a block: collapse
        one of the groups it is in."""
        block = self.node_at(event.scenePos())
        if block is not None:
            self._group_menu(block, event)
            return
        item = self.edge_at(event.scenePos())
        if item is None:
            return super().contextMenuEvent(event)
        menu = QMenu()
        remove = menu.addAction("Remove wire")
        if self.exec_menu(menu, event.screenPos()) is remove:
            self.document.push(RemoveEdge(item.edge))
        event.accept()

    def _group_menu(self, block: NodeItem, event) -> None:
        groups = [g for g in design_groups(self.document.design).values()
                  if block.node_id in g.members]
        if not groups:
            return
        menu = QMenu()
        actions = {menu.addAction(f"Collapse group '{g.name}' ({len(g.members)} blocks)"): g.name
                   for g in sorted(groups, key=lambda g: len(g.members))}
        chosen = self.exec_menu(menu, event.screenPos())
        if chosen in actions:
            self.set_group_collapsed(actions[chosen], True)
        event.accept()

    def exec_menu(self, menu: QMenu, screen_pos):
        """Show a context menu and return the chosen action (a seam tests replace, as a modal
        menu blocks offscreen)."""
        return menu.exec(screen_pos)

    def mouseDoubleClickEvent(self, event) -> None:
        """On a block: show or hide its layers; on a collapsed group: open it."""
        item = self.node_at(event.scenePos())
        if item is not None and item.kind == "group":
            self.set_group_collapsed(item.node_id[len(GROUP_PREFIX):], False)
            return
        if item is not None:
            item.set_expanded(not item.expanded)
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
