"""How the document is being looked at, apart from what it is: the selected blocks and wires,
the blocks shown expanded to their layers, and slots for the collapsed groups, the zoom and the
viewport centre. One object beside the DocumentModel holds it, so that graphics items only draw
it and every view (canvas, inspector, charts) reads the same selection.

``Guard`` is the one feedback guard of the views: a view that writes the model's state into its
widgets does it ``with self.guard:`` and its widget handlers return at once ``if self.guard``,
so that showing a value never pushes it back as an edit.
"""
from __future__ import annotations

from typing import Self

from PySide6.QtCore import QObject, Signal

from designer.core.design import Edge


class Guard:
    """True while a view is showing the model (nested uses count)."""

    def __init__(self) -> None:
        self._depth = 0

    def __enter__(self) -> Self:
        self._depth += 1
        return self

    def __exit__(self, *_) -> None:
        self._depth -= 1

    def __bool__(self) -> bool:
        return self._depth > 0


class ViewState(QObject):
    selection_changed = Signal(list)
    """The selected block ids (in the order given)."""
    edge_selection_changed = Signal(list)
    expanded_changed = Signal(set)
    """The ids of the blocks shown with their layers."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.selected: list[str] = []
        self.selected_edges: list[Edge] = []
        self.expanded: set[str] = set()
        self.collapsed_groups: set[str] = set()
        """Slot for the layered canvas: groups drawn as one box."""
        self.zoom: float = 1.0
        """Slot for the canvas: its scale, and the scene point at the viewport's centre."""
        self.center: tuple[float, float] | None = None

    def select(self, node_ids: list[str]) -> None:
        if node_ids != self.selected:
            self.selected = list(node_ids)
            self.selection_changed.emit(self.selected)

    def select_edges(self, edges: list[Edge]) -> None:
        if edges != self.selected_edges:
            self.selected_edges = list(edges)
            self.edge_selection_changed.emit(self.selected_edges)

    def set_expanded(self, node_id: str, on: bool) -> None:
        if (node_id in self.expanded) != on:
            (self.expanded.add if on else self.expanded.discard)(node_id)
            self.expanded_changed.emit(set(self.expanded))

    def forget(self, present) -> None:
        """Drop what names blocks or wires no longer in the design (``present``: a Design)."""
        self.select([n for n in self.selected if n in present.nodes])
        edges = set(present.edges)
        self.select_edges([e for e in self.selected_edges if e in edges])
        gone = {n for n in self.expanded if n not in present.nodes}
        if gone:
            self.expanded -= gone
            self.expanded_changed.emit(set(self.expanded))

    def clear(self) -> None:
        """Another design is shown: nothing of the old one stays selected or expanded."""
        self.select([])
        self.select_edges([])
        if self.expanded:
            self.expanded = set()
            self.expanded_changed.emit(set())
        self.collapsed_groups = set()
        self.zoom, self.center = 1.0, None
