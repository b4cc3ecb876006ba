"""Which linear layers are hidden, read from the wiring. DESIGN.md's α multiplies every width but
the image's channels and the classifier's outputs: a linear layer whose output reaches another
linear layer is no classifier but a width of the network (VGG's and AlexNet's 4096, MobileNetV3's
1280), so α scales it.

"Reaches" looks through the blocks that pass a vector on without a width of their own: dropout,
flatten, add and concat. Add and concat differ where only some of their inputs are hidden:

* an add needs inputs of one width, so the linear layers it sums share one answer: if any of
  them is hidden, all are (a head ``y = fc2(fc1(x)); out = fc1(x) + y`` scales both, or α would
  leave the sum with widths 128 and 256 and the design red);
* a concat needs no such agreement, so each input keeps its own answer: heads concatenated
  into the design's output stay classifiers however the vectors beside them scale (class
  scores and box offsets keep their counts), while anything concatenated on into a linear
  layer is a width of the network and scales. (Concat takes feature maps only today, so a
  vector reaches it only in a design that is red anyway; the rule reads the wiring alone.)

The answer is a function of the wiring and the kinds, kept in each linear's ``hidden`` parameter
(which ``Linear.scaled`` reads, and files carry) and brought into line wherever a design comes
to be or changes: at the end of every step of :class:`~designer.core.design.Design` (so a hand-
wired head, a rewired preset and their undo and redo follow it), on loading a file and on
``Builder.build`` (presets, imports). Nobody sets it by hand: the inspector shows no editor for
it; a hidden layer kept at its width is marked ``fixed`` instead."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .design import Design

LOOKED_THROUGH = ("dropout", "flatten", "add", "concat")
SAME_WIDTH = ("dropout", "flatten", "add")
"""Blocks whose output has their input's width: the linear layers an add sums through them
must agree."""
DERIVED_PARAMS = {"linear": ("hidden",)}
"""Parameters a design sets from its wiring, by kind: files carry them, nobody edits them."""


def hidden_linears(design: Design) -> set[str]:
    """The ids of the linear layers whose output reaches another linear layer through dropout,
    flatten, add and concat, and of those an add sums with one of them (one walk over the
    wires each way; a wire to a node not in the design, or a cycle, reaches nothing)."""
    consumers: dict[str, list[str]] = {}
    producers: dict[str, list[str]] = {}
    for edge in design.edges:
        consumers.setdefault(edge.src, []).append(edge.dst)
        producers.setdefault(edge.dst, []).append(edge.src)
    reaches: dict[str, bool] = {}

    def reaches_linear(nid: str) -> bool:
        """Whether ``nid``'s output reaches a linear layer through looked-through blocks only."""
        if nid in reaches:
            return reaches[nid]
        reaches[nid] = False                       # a cycle through pass-throughs ends here
        found = False
        for dst in consumers.get(nid, ()):
            node = design.nodes.get(dst)
            if node is not None and (node.kind == "linear" or
                                     node.kind in LOOKED_THROUGH and reaches_linear(dst)):
                found = True
                break
        reaches[nid] = found
        return found

    linears = [nid for nid, node in design.nodes.items() if node.kind == "linear"]
    hidden = {nid for nid in linears if reaches_linear(nid)}
    for group in _summed_together(design, producers):
        if group & hidden:
            hidden |= group
    return hidden


def _summed_together(design: Design, producers: dict[str, list[str]]) -> list[set[str]]:
    """The linear layers whose widths an add makes agree, in groups: each add's linear sources
    (through dropout, flatten and other adds), groups sharing a layer merged."""
    groups: list[set[str]] = []
    for nid, node in design.nodes.items():
        if node.kind != "add":
            continue
        group: set[str] = set()
        seen: set[str] = set()
        stack = list(producers.get(nid, ()))
        while stack:
            src = stack.pop()
            if src in seen or src not in design.nodes:
                continue
            seen.add(src)
            kind = design.nodes[src].kind
            if kind == "linear":
                group.add(src)
            elif kind in SAME_WIDTH:
                stack.extend(producers.get(src, ()))
        overlapping = [g for g in groups if g & group]
        for g in overlapping:
            group |= g
            groups.remove(g)
        groups.append(group)
    return groups


def sync_hidden_linears(design: Design) -> list[str]:
    """Set every linear layer's ``hidden`` to what the wiring says; the ids whose flag changed.
    A missing flag reads as False (the default) and is written only when it becomes True; a
    value that is no bool is left for the analysis to report at its field."""
    hidden = hidden_linears(design)
    changed = []
    for nid, node in design.nodes.items():
        if node.kind != "linear":
            continue
        now = node.params.get("hidden", False)
        if isinstance(now, bool) and now != (nid in hidden):
            node.params["hidden"] = nid in hidden
            changed.append(nid)
    return changed
