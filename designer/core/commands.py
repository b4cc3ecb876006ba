"""Undoable edits of a design, Qt-free. Each command touches only the document; views hear of the
change through the document's events, once per step: whoever runs a command (``History`` here,
the UI's QUndoCommand adapter) runs it inside ``Design.batch()``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .design import Design, Edge, Node


class Command:
    """``do`` applies the edit (again, after an undo); ``undo`` reverts it exactly."""

    text: str = "edit"

    def do(self, design: Design) -> None:
        raise NotImplementedError

    def undo(self, design: Design) -> None:
        raise NotImplementedError

    def merge_key(self) -> Any:
        """Commands with equal non-None keys pushed one after another merge into one step."""
        return None

    def merge(self, later: Command) -> None:
        raise NotImplementedError


@dataclass
class AddNode(Command):
    node: Node
    position: tuple[float, float] | None = None
    edges: list[Edge] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"add {self.node.name}"

    def do(self, design: Design) -> None:
        design.add_node(self.node, self.position)
        for e in self.edges:
            design.add_edge(e)

    def undo(self, design: Design) -> None:
        for e in reversed(self.edges):
            design.remove_edge(e)
        design.remove_node(self.node.id)


@dataclass
class RemoveNodes(Command):
    """Remove nodes with every edge that touches them; undo puts all back in place and order."""

    node_ids: list[str]
    _nodes: list[tuple[int, Node, Any]] = field(default_factory=list, repr=False)
    _edges: list[tuple[int, Edge]] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return f"delete {len(self.node_ids)} block{'s' * (len(self.node_ids) != 1)}"

    def do(self, design: Design) -> None:
        ids = set(self.node_ids)
        self._edges = [(i, e) for i, e in enumerate(design.edges) if e.src in ids or e.dst in ids]
        for _, e in reversed(self._edges):
            design.remove_edge(e)
        order = list(design.nodes)
        self._nodes = [(order.index(n), design.nodes[n], design.layout.get(n))
                       for n in sorted(ids, key=order.index)]
        for _, node, _ in reversed(self._nodes):
            design.remove_node(node.id)

    def undo(self, design: Design) -> None:
        for index, node, pos in self._nodes:
            design.insert_node(node, index, pos)
        for index, e in self._edges:
            design.add_edge(e, index)


@dataclass
class AddEdge(Command):
    edge: Edge
    text: str = "connect"

    def do(self, design: Design) -> None:
        design.add_edge(self.edge)

    def undo(self, design: Design) -> None:
        design.remove_edge(self.edge)


@dataclass
class RemoveEdge(Command):
    edge: Edge
    text: str = "disconnect"
    _index: int = 0

    def do(self, design: Design) -> None:
        self._index = design.remove_edge(self.edge)

    def undo(self, design: Design) -> None:
        design.add_edge(self.edge, self._index)


@dataclass
class SetParam(Command):
    """Set one block parameter; ``None`` restores the kind's default."""

    node_id: str
    key: str
    value: Any
    _old: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"set {self.key}"

    def do(self, design: Design) -> None:
        self._old = dict(design.nodes[self.node_id].params)
        design.set_param(self.node_id, self.key, self.value)

    def undo(self, design: Design) -> None:
        design.replace_params(self.node_id, self._old)


@dataclass
class SetNodeAttr(Command):
    """Rename a node, or change its width rule."""

    node_id: str
    attr: str
    value: Any
    _old: Any = None

    @property
    def text(self) -> str:
        return f"set {self.attr}"

    def do(self, design: Design) -> None:
        self._old = design.set_node_attr(self.node_id, self.attr, self.value)

    def undo(self, design: Design) -> None:
        design.set_node_attr(self.node_id, self.attr, self._old)


@dataclass
class SetSetting(Command):
    """Change α, ρ, rounding, dtype, input shape or name. Settings pushed with the same
    ``gesture`` (one slider drag: the view numbers each press) merge into one undo step; without
    a gesture every change is its own step."""

    key: str
    value: Any
    gesture: int | None = None
    _old: Any = None
    _has_old: bool = False

    @property
    def text(self) -> str:
        return f"set {self.key}"

    def do(self, design: Design) -> None:
        old = design.set_setting(self.key, self.value)
        if not self._has_old:
            self._old, self._has_old = old, True

    def undo(self, design: Design) -> None:
        design.set_setting(self.key, self._old)

    def merge_key(self) -> Any:
        return None if self.gesture is None else ("setting", self.key, self.gesture)

    def merge(self, later: Command) -> None:
        self.value = later.value


@dataclass
class MoveNodes(Command):
    positions: dict[str, tuple[float, float]]
    text: str = "move"
    _old: dict[str, Any] = field(default_factory=dict)

    def do(self, design: Design) -> None:
        self._old = {n: design.move_node(n, p) for n, p in self.positions.items()}

    def undo(self, design: Design) -> None:
        for n, p in self._old.items():
            design.move_node(n, p)


@dataclass
class Macro(Command):
    """Several commands as one undo step (paste, auto-wire on drop, auto-layout)."""

    commands: list[Command]
    text: str = "edit"

    def do(self, design: Design) -> None:
        for c in self.commands:
            c.do(design)

    def undo(self, design: Design) -> None:
        for c in reversed(self.commands):
            c.undo(design)


class History:
    """A plain undo stack for the core and the command line (the app uses QUndoStack)."""

    def __init__(self, design: Design):
        self.design = design
        self.done: list[Command] = []
        self.undone: list[Command] = []

    def push(self, command: Command) -> None:
        with self.design.batch():
            command.do(self.design)
        last = self.done[-1] if self.done else None
        key = command.merge_key()
        if last is not None and key is not None and last.merge_key() == key:
            last.merge(command)
        else:
            self.done.append(command)
        self.undone.clear()

    def undo(self) -> bool:
        if not self.done:
            return False
        c = self.done.pop()
        with self.design.batch():
            c.undo(self.design)
        self.undone.append(c)
        return True

    def redo(self) -> bool:
        if not self.undone:
            return False
        c = self.undone.pop()
        with self.design.batch():
            c.do(self.design)
        self.done.append(c)
        return True
