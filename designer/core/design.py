"""The design document: what the user drew, at base widths, with a layout analysis never reads.

Every change goes through a mutator here; commands (``designer.core.commands``) call these
mutators so each change can be undone. Subscribers hear once per step (``batch``) what changed,
as a ``DesignChange``. What the wiring decides (which linear layers are hidden, so α scales
them: :mod:`.hidden_linears`) is brought into line at the end of each step that touched nodes
or wires, and told as part of it.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .change import DesignChange
from .hidden_linears import sync_hidden_linears

INPUT = "input"
ROUNDINGS = ("floor", "divisible8")
DTYPES = {"fp32": 4, "fp16": 2, "int8": 1}
WIDTH_RULES = ("scale", "fixed", "min_base")
SETTINGS = ("name", "input_shape", "alpha", "rho", "rounding", "dtype")


@dataclass
class Node:
    """A block placed in the design: its kind's short key, its parameters at base width, a name.

    ``width`` says how α treats it: ``scale`` (default), ``fixed`` (never scaled, e.g. a classifier
    conv) or ``min_base`` (scaled by max(1, α), as MobileNetV2's last 1280-channel conv).
    """

    id: str
    kind: str
    params: dict[str, Any]
    name: str
    width: str = "scale"


@dataclass(frozen=True)
class Edge:
    """The output of ``src`` (a node id or ``INPUT``) feeds input ``port`` of node ``dst``."""

    src: str
    dst: str
    port: int = 0


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def name_fault(name: str, taken: set[str]) -> str | None:
    """The one rule for block names, kept by analysis, the edits and the inspector alike: a name
    is needed and unique, as a name is how files, the command line (screenshot --select) and the
    exported code's attributes find a block. ``taken``: the other blocks' names."""
    if not isinstance(name, str) or not name.strip():
        return "a block needs a name"
    if name in taken:
        return f"another block is already named '{name}': names must be unique"
    return None


@dataclass
class Design:
    """A network: input shape, scaling settings, nodes and edges forming a DAG, and a layout.

    ``groups`` names sets of blocks explicitly (block ids; groups from dotted names need no
    entry, see :mod:`designer.core.groups`). ``view`` is view state saved with the file (which
    groups are collapsed): like the layout, analysis never reads it and it is no edit.
    """

    name: str = "Untitled"
    input_shape: tuple[int, int, int] = (3, 224, 224)
    alpha: float = 1.0
    rho: float = 1.0
    rounding: str = "divisible8"
    dtype: str = "fp32"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    layout: dict[str, tuple[float, float]] = field(default_factory=dict)
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    view: dict[str, Any] = field(default_factory=dict)
    _listeners: list[Callable[[DesignChange], None]] = field(default_factory=list, repr=False,
                                                             compare=False)
    _pending: DesignChange | None = field(default=None, repr=False, compare=False)
    _depth: int = field(default=0, repr=False, compare=False)
    structure_revision: int = field(default=0, repr=False, compare=False)
    """Counts the events that can change the design at α = 1, ρ = 1 (all but α, ρ and moves):
    what caches of the unscaled analysis compare instead of walking every node. Every mutator
    bumps it through ``_emit`` (and ``_settle`` for each flag the wiring flips); only code
    building a new design (file reading, ``Builder``, importers) touches ``nodes``, ``edges``
    or ``params`` directly, before anything has seen it (tests/core/test_ghost_fresh.py)."""

    # -- events -------------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[DesignChange], None]) -> None:
        """``listener(change)`` once per step: after each batch, or each mutation outside one."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[DesignChange], None]) -> None:
        self._listeners.remove(listener)

    @contextmanager
    def batch(self) -> Iterator[DesignChange]:
        """Gather the mutations inside into one change, told when the outermost batch ends (even
        if an error ends it: the subscribers then see what did change)."""
        if self._depth == 0:
            self._pending = DesignChange()
        self._depth += 1
        change = self._pending
        try:
            yield change
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._pending = None
                self._settle(change)
                if change:
                    self._tell(change)

    def _emit(self, event: str, subject: Any = None) -> None:
        if event != "layout_changed" and not (event == "setting_changed"
                                              and subject in ("alpha", "rho")):
            self.structure_revision += 1
        if self._pending is not None:
            self._pending.record(event, subject)
            return
        change = DesignChange()
        change.record(event, subject)
        self._settle(change)
        self._tell(change)

    def _settle(self, change: DesignChange) -> None:
        """After a step that touched nodes or wires: the linear layers' ``hidden`` flags as the
        wiring now says, each one that flips told as a changed node."""
        if change.reset or change.nodes_touched or change.edges_touched:
            for nid in sync_hidden_linears(self):
                self.structure_revision += 1
                change.record("node_changed", nid)

    def _tell(self, change: DesignChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- queries ------------------------------------------------------------------------------
    def inputs_of(self, node_id: str) -> list[Edge]:
        return sorted((e for e in self.edges if e.dst == node_id), key=lambda e: e.port)

    def consumers_of(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.src == node_id]

    def node_by_name(self, name: str) -> Node | None:
        return next((n for n in self.nodes.values() if n.name == name), None)

    def unique_name(self, base: str, taken: set[str] | None = None, sep: str = "") -> str:
        """``base``, or ``base``, ``sep`` and the first number from 2 that no block (nor any name
        in ``taken``) has. Without ``sep``, a base that ends in a number counts on from it
        (``conv1`` taken gives ``conv2``, not ``conv12``)."""
        names = {n.name for n in self.nodes.values()} | (taken or set())
        if base not in names:
            return base
        numbered = None if sep else re.fullmatch(r"(.*\D)(\d+)", base)
        stem, i = (numbered[1], int(numbered[2]) + 1) if numbered else (base + sep, 2)
        while f"{stem}{i}" in names:
            i += 1
        return f"{stem}{i}"

    def name_fault(self, node_id: str | None, name: str) -> str | None:
        """Why block ``node_id`` (None for a new block) cannot be called ``name``, or None."""
        return name_fault(name, {n.name for n in self.nodes.values() if n.id != node_id})

    # -- mutators (each records one event) --------------------------------------------------------
    def add_node(self, node: Node, position: tuple[float, float] | None = None) -> None:
        if node.id in self.nodes or node.id == INPUT:
            raise ValueError(f"node id {node.id!r} is taken")
        self.nodes[node.id] = node
        if position is not None:
            self.layout[node.id] = position
        self._emit("node_added", node.id)

    def insert_node(self, node: Node, index: int, position: tuple[float, float] | None) -> None:
        """Put a node back at its old place in the order (undo of a removal)."""
        items = list(self.nodes.items())
        items.insert(index, (node.id, node))
        self.nodes = dict(items)
        if position is not None:
            self.layout[node.id] = position
        self._emit("node_added", node.id)

    def remove_node(self, node_id: str) -> Node:
        node = self.nodes.pop(node_id)
        self.layout.pop(node_id, None)
        self._emit("node_removed", node_id)
        return node

    def set_param(self, node_id: str, key: str, value: Any) -> Any:
        """Set one parameter (``None`` removes it, restoring the default); returns the old value."""
        params = self.nodes[node_id].params
        old = params.get(key)
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
        self._emit("node_changed", node_id)
        return old

    def replace_params(self, node_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """Put a whole parameter set in place (undo keeps the key order); returns the old one."""
        old = self.nodes[node_id].params
        self.nodes[node_id].params = dict(params)
        self._emit("node_changed", node_id)
        return old

    def set_node_attr(self, node_id: str, attr: str, value: Any) -> Any:
        """Set ``name``, ``kind`` or ``width`` of a node; returns the old value."""
        if attr not in ("name", "kind", "width"):
            raise ValueError(f"not a node attribute: {attr}")
        node = self.nodes[node_id]
        old = getattr(node, attr)
        setattr(node, attr, value)
        self._emit("node_changed", node_id)
        return old

    def add_edge(self, edge: Edge, index: int | None = None) -> None:
        if edge in self.edges:
            raise ValueError(f"{edge.src} is already wired to {edge.dst} port {edge.port}")
        self.edges.insert(len(self.edges) if index is None else index, edge)
        self._emit("edge_added", edge)

    def remove_edge(self, edge: Edge) -> int:
        index = self.edges.index(edge)
        del self.edges[index]
        self._emit("edge_removed", edge)
        return index

    def set_setting(self, key: str, value: Any) -> Any:
        if key not in SETTINGS:
            raise ValueError(f"not a design setting: {key}")
        old = getattr(self, key)
        setattr(self, key, value)
        self._emit("setting_changed", key)
        return old

    def set_extra(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Replace the free-form data kept with the design (timings); returns the old dict."""
        old, self.extra = self.extra, extra
        self._emit("extra_changed")
        return old

    def move_node(self, node_id: str, position: tuple[float, float] | None) -> Any:
        old = self.layout.get(node_id)
        if position is None:
            self.layout.pop(node_id, None)
        else:
            self.layout[node_id] = position
        self._emit("layout_changed", node_id)
        return old

    def replace_with(self, other: Design) -> None:
        """Take over another design's content (open a file into this document), keeping listeners."""
        for name in ("name", "input_shape", "alpha", "rho", "rounding", "dtype", "nodes", "edges",
                     "layout", "description", "extra", "groups", "view"):
            setattr(self, name, getattr(other, name))
        self._emit("reset")
