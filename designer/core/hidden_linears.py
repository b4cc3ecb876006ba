"""Which linear layers are hidden, read from the wiring. DESIGN.md's α multiplies every width but
the image's channels and the classifier's outputs: a linear layer whose output reaches another
linear layer (through dropout and flatten alone) is no classifier but a width of the network
(VGG's and AlexNet's 4096, MobileNetV3's 1280), so α scales it.

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

PASS_THROUGH = ("dropout", "flatten")
DERIVED_PARAMS = {"linear": ("hidden",)}
"""Parameters a design sets from its wiring, by kind: files carry them, nobody edits them."""


def hidden_linears(design: Design) -> set[str]:
    """The ids of the linear layers whose output reaches another linear layer through dropout
    and flatten alone (one walk over the wires; a wire to a node not in the design, or a cycle,
    reaches nothing)."""
    consumers: dict[str, list[str]] = {}
    for edge in design.edges:
        consumers.setdefault(edge.src, []).append(edge.dst)
    reaches: dict[str, bool] = {}

    def reaches_linear(nid: str) -> bool:
        """Whether ``nid``'s output reaches a linear layer through pass-through blocks only."""
        if nid in reaches:
            return reaches[nid]
        reaches[nid] = False                       # a cycle through pass-throughs ends here
        found = False
        for dst in consumers.get(nid, ()):
            node = design.nodes.get(dst)
            if node is not None and (node.kind == "linear" or
                                     node.kind in PASS_THROUGH and reaches_linear(dst)):
                found = True
                break
        reaches[nid] = found
        return found

    return {nid for nid, node in design.nodes.items()
            if node.kind == "linear" and reaches_linear(nid)}


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
