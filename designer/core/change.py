"""What one step changed in a design, told to the views once.

A step is one command done or undone (a compound command too: a paste of 50 blocks, an
auto-layout), or another design loaded. ``Design.batch()`` gathers every mutation inside it into
one ``DesignChange``, handed to the subscribers when the outermost batch ends; a mutation outside
any batch is a step of its own. Views update the items a change names instead of redrawing all
(orange-canvas-core's node_added / node_removed signals, napari's ``events.blocker()``).

A node or edge may be named in more than one set (removed and put back within one step): a
view reconciles each named item with the design as it is after the step.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DesignChange:
    nodes_added: set[str] = field(default_factory=set)
    nodes_removed: set[str] = field(default_factory=set)
    nodes_changed: set[str] = field(default_factory=set)
    """Parameters, name, kind or width rule of these nodes changed."""
    edges_added: set = field(default_factory=set)
    edges_removed: set = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    """Design settings changed (``alpha``, ``rho``, ``input_shape`` ...)."""
    moved: set[str] = field(default_factory=set)
    """Nodes whose layout position changed (analysis never reads it)."""
    extra: bool = False
    """The free-form data kept with the design (timings) was replaced."""
    reset: bool = False
    """Another design was loaded into the document: everything may differ."""

    def record(self, event: str, subject: Any = None) -> None:
        """Add one mutation, as ``Design`` reports it."""
        if event == "node_added":
            self.nodes_added.add(subject)
        elif event == "node_removed":
            self.nodes_removed.add(subject)
        elif event == "node_changed":
            self.nodes_changed.add(subject)
        elif event == "edge_added":
            self.edges_added.add(subject)
        elif event == "edge_removed":
            self.edges_removed.add(subject)
        elif event == "setting_changed":
            self.settings.add(subject)
        elif event == "layout_changed":
            self.moved.add(subject)
        elif event == "extra_changed":
            self.extra = True
        elif event == "reset":
            self.reset = True
        else:
            raise ValueError(f"not a design event: {event}")

    @property
    def nodes_touched(self) -> set[str]:
        return self.nodes_added | self.nodes_removed | self.nodes_changed

    @property
    def edges_touched(self) -> set:
        return self.edges_added | self.edges_removed

    @property
    def structural(self) -> bool:
        """Whether the analysis may differ: anything but moves (and the kept timings)."""
        return bool(self.reset or self.nodes_touched or self.edges_touched or self.settings)

    def __bool__(self) -> bool:
        return bool(self.structural or self.moved or self.extra)
