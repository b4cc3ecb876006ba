"""A terse way to write designs in code (presets, tests, benchmarks): each ``add`` wires the new
block after the previous one unless ``inputs`` says otherwise."""
from __future__ import annotations

import blocks

from .design import INPUT, Design, Edge, Node
from .layout import auto_layout


class Builder:
    def __init__(self, name: str, input_shape: tuple[int, int, int] = (3, 224, 224),
                 rounding: str = "divisible8", description: str = ""):
        self.design = Design(name=name, input_shape=input_shape, rounding=rounding,
                             description=description)
        self.last = INPUT

    def add(self, kind: str, name: str, inputs: list[str] | str | None = None,
            width: str = "scale", **params) -> str:
        """Add a block with its full parameter set (defaults filled in); returns its id (= name)."""
        full = blocks.get(kind).from_params(params).to_params()
        self.design.nodes[name] = Node(name, kind, full, name, width)
        srcs = [self.last] if inputs is None else [inputs] if isinstance(inputs, str) else inputs
        for port, src in enumerate(srcs):
            self.design.edges.append(Edge(src, name, port))
        self.last = name
        return name

    def build(self, alpha: float = 1.0, rho: float = 1.0) -> Design:
        self.design.alpha, self.design.rho = alpha, rho
        self.design.layout = auto_layout(self.design)
        return self.design
