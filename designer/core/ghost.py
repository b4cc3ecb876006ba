"""The design at α = 1, ρ = 1, drawn as a faint ghost behind the bars while α or ρ moves, so a
room sees everything shrink against a y axis that stays put. Cached per structure: dragging a
slider changes only α and ρ, so the ghost is analysed once per drag, not once per tick; while the
design's ``structure_revision`` holds, not even its key is built (a walk of every node). Every
edit, undo, redo and load bumps it (see ``Design.structure_revision``); the cache is also keyed on
the design object, so a design built anew is never taken for one seen before."""
from __future__ import annotations

import copy

from .analysis import Analysis, analyze
from .design import Design


def structure_key(design: Design) -> tuple:
    """Everything the unscaled analysis reads, and nothing α or ρ changes."""
    return (design.input_shape, design.rounding, design.dtype,
            tuple((n.id, n.kind, n.name, n.width, tuple(sorted(n.params.items(), key=str)))
                  for n in design.nodes.values()),
            tuple((e.src, e.dst, e.port) for e in design.edges))


class Ghost:
    """``of(design)``: the analysis at α = 1, ρ = 1, or None when the design is already there."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._analysis: Analysis | None = None
        self._seen: tuple[Design | None, int] = (None, -1)

    def of(self, design: Design) -> Analysis | None:
        if design.alpha == 1 and design.rho == 1:
            return None
        if self._seen[0] is design and self._seen[1] == design.structure_revision:
            return self._analysis
        self._seen = (design, design.structure_revision)
        key = structure_key(design)
        if key != self._key:
            unscaled = copy.copy(design)
            unscaled.alpha, unscaled.rho = 1.0, 1.0
            self._key, self._analysis = key, analyze(unscaled)
        return self._analysis
