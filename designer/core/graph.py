"""Graph checks of a design: naming and wiring problems, execution order, cycles. Located by
node."""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from .design import INPUT, Design, name_fault


@dataclass(frozen=True)
class Problem:
    """A located error: which node (and field) is at fault, and why."""

    node_id: str | None
    node_name: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"block '{self.node_name}'" if self.node_id else "design"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


def execution_order(design: Design) -> tuple[list[str], list[str]]:
    """Nodes in a topological order that keeps the drawing order where it can, and the nodes
    left out because they sit on a cycle."""
    indeg = {nid: 0 for nid in design.nodes}
    out: dict[str, list[str]] = {nid: [] for nid in design.nodes}
    for e in design.edges:
        if e.dst in indeg and e.src in out:
            indeg[e.dst] += 1
            out[e.src].append(e.dst)
    position = {nid: i for i, nid in enumerate(design.nodes)}

    ready = [(position[n], n) for n, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, n = heapq.heappop(ready)
        order.append(n)
        for m in out[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                heapq.heappush(ready, (position[m], m))
    cyclic = [n for n in design.nodes if indeg[n] > 0]
    return order, cyclic


def name_problems(design: Design) -> list[Problem]:
    """Blocks without a name, and every block after the first with a given name (files, the
    command line and raw commands can make them; the editor's own edits never do)."""
    problems, seen = [], set()
    for node in design.nodes.values():
        fault = name_fault(node.name, seen)
        if fault is not None:
            problems.append(Problem(node.id, node.name, "name", fault))
        seen.add(node.name)
    return problems


def wiring_problems(design: Design) -> list[Problem]:
    """Names that clash or are missing (``name_problems``), edges that point nowhere, and ports
    wired twice: the design-level problems no single block's parameters explain."""
    problems = name_problems(design)
    seen: set[tuple[str, int]] = set()
    for e in design.edges:
        node = design.nodes.get(e.dst)
        if node is None:
            problems.append(Problem(None, None, None, f"an edge from '{e.src}' leads to unknown node "
                                                      f"'{e.dst}'"))
            continue
        if e.src != INPUT and e.src not in design.nodes:
            problems.append(Problem(node.id, node.name, None,
                                    f"input {e.port} is wired to unknown node '{e.src}'"))
        if (e.dst, e.port) in seen:
            problems.append(Problem(node.id, node.name, None, f"input {e.port} is wired twice"))
        seen.add((e.dst, e.port))
    return problems
