"""Every problem of a design as a list a person can work through: each located by block and
field, the root causes (a block whose own check failed) told apart from the blocks that only
wait on one ("waiting on conv3"), and each message whole, with the shapes of the block's inputs
and where they come from, so a shape mismatch can be traced to the wire that brings it.
"""
from __future__ import annotations

from dataclasses import dataclass

from blocks import fmt

from .analysis import Analysis
from .design import INPUT, Design


@dataclass(frozen=True)
class ProblemItem:
    """One line of the problems list. ``root``: the block's (or the design's) own fault;
    otherwise it only waits on the blocks named in ``waiting_on``."""

    node_id: str | None
    name: str | None
    field: str | None
    message: str
    root: bool
    waiting_on: tuple[str, ...] = ()
    inputs: str = ""

    @property
    def place(self) -> str:
        where = f"{self.name}" if self.node_id else "design"
        return f"{where}.{self.field}" if self.field else where

    @property
    def text(self) -> str:
        """The whole message: place, message, and the inputs it saw."""
        if not self.root:
            return f"{self.place}: waiting on {', '.join(self.waiting_on)}"
        tail = f" (inputs: {self.inputs})" if self.inputs else ""
        return f"{self.place}: {self.message}{tail}"


def waiting_roots(design: Design, analysis: Analysis) -> dict[str, tuple[str, ...]]:
    """For every block that is not counted only because an input has no shape: the ids of the
    root causes upstream of it (blocks with a problem of their own), in execution order."""
    if all(b.ok for b in analysis.blocks):
        return {}
    own = {p.node_id for p in analysis.problems if p.node_id}
    cost = {b.node_id: b for b in analysis.blocks}
    inputs: dict[str, list[str]] = {}
    for e in design.edges:
        inputs.setdefault(e.dst, []).append(e.src)
    roots: dict[str, tuple[str, ...]] = {}
    for b in analysis.blocks:
        if b.ok or b.node_id in own:
            continue
        found: dict[str, None] = {}
        for src in inputs.get(b.node_id, []):
            upstream = cost.get(src)
            if upstream is None or upstream.output_shape is not None:
                continue
            if src in own:
                found[src] = None
            else:
                found.update(dict.fromkeys(roots.get(src, ())))
        if found:
            roots[b.node_id] = tuple(found)
    return roots


def waiting_on(design: Design, analysis: Analysis) -> dict[str, str]:
    """Block id -> the names of the root causes it waits on, as shown ("conv3, conv5")."""
    names = {nid: design.nodes[nid].name for nid in design.nodes}
    return {nid: ", ".join(names.get(r, r) for r in roots)
            for nid, roots in waiting_roots(design, analysis).items()}


def _inputs_text(design: Design, analysis: Analysis, node_id: str) -> str:
    """``port 0 from conv2: 128×56×56, port 1 from downsample: 128×28×28``."""
    cost = {b.node_id: b for b in analysis.blocks}
    parts = []
    for e in design.inputs_of(node_id):
        if e.src == INPUT:
            name, shape = "input", analysis.input_shape
        else:
            src = cost.get(e.src)
            node = design.nodes.get(e.src)
            name = node.name if node is not None else e.src
            shape = src.output_shape if src is not None else None
        parts.append(f"port {e.port} from {name}: {fmt(shape) if shape else 'no shape'}")
    return ", ".join(parts)


def problem_items(design: Design, analysis: Analysis) -> list[ProblemItem]:
    """Root causes first, in the analysis's order, then the waiting blocks in execution order.
    A root cause on a block with two or more inputs lists them with their shapes."""
    items = []
    for p in analysis.problems:
        inputs = ""
        if p.node_id in design.nodes and len(design.inputs_of(p.node_id)) > 1:
            inputs = _inputs_text(design, analysis, p.node_id)
        items.append(ProblemItem(p.node_id, p.node_name, p.field, p.message, True, (), inputs))
    names = {nid: n.name for nid, n in design.nodes.items()}
    for nid, roots in waiting_roots(design, analysis).items():
        items.append(ProblemItem(nid, names[nid], None, "waiting", False,
                                 tuple(names.get(r, r) for r in roots)))
    return items


def uncounted_reason(design: Design, analysis: Analysis) -> str | None:
    """Why the charts have nothing to show, said in words instead of empty axes; None when at
    least one block is counted."""
    if any(b.ok for b in analysis.blocks):
        return None
    if not design.nodes:
        return "Nothing to count yet: drag a block from the palette onto the canvas."
    items = problem_items(design, analysis)
    roots = [i for i in items if i.root]
    if not roots:
        return "Nothing can be counted."
    waiting = sum(not i.root for i in items)
    tail = f"; {waiting} block{'s' * (waiting != 1)} wait on it" if waiting else ""
    more = f" (and {len(roots) - 1} more problem{'s' * (len(roots) > 2)})" if len(roots) > 1 else ""
    return f"Nothing can be counted: {roots[0].text}{more}{tail}."
