"""A terse way to write designs in code (presets, tests, benchmarks): each ``add`` wires the new
block after the previous one unless ``inputs`` says otherwise."""
from __future__ import annotations

import blocks

from .design import INPUT, Design, Edge, Node
from .hidden_linears import sync_hidden_linears
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
        if name in self.design.nodes:
            raise ValueError(f"{self.design.name}: a block named {name!r} is already built")
        full = blocks.get(kind).from_params(params).to_params()
        self.design.nodes[name] = Node(name, kind, full, name, width)
        srcs = [self.last] if inputs is None else [inputs] if isinstance(inputs, str) else inputs
        for port, src in enumerate(srcs):
            self.design.edges.append(Edge(src, name, port))
        self.last = name
        return name

    def build(self, alpha: float = 1.0, rho: float = 1.0) -> Design:
        self.design.alpha, self.design.rho = alpha, rho
        sync_hidden_linears(self.design)
        self.design.layout = auto_layout(self.design)
        return self.design


def generated_chain(n_blocks: int, input_shape: tuple[int, int, int] = (3, 64, 64),
                    channels: int = 32) -> Design:
    """A long chain cycling through conv, inverted residual, separable and fire blocks: the large
    design that benchmarks and stress tests analyse."""
    b = Builder(f"generated {n_blocks} blocks", input_shape)
    b.add("conv", "stem", out_channels=channels)
    half = max(1, channels // 2)
    cycle = [("ir", {"out_channels": channels}), ("sepconv", {"out_channels": channels}),
             ("conv", {"out_channels": channels}),
             ("fire", {"squeeze": max(1, channels // 4), "expand1x1": half,
                       "expand3x3": channels - half})]
    for i in range(n_blocks - 1):
        kind, params = cycle[i % len(cycle)]
        b.add(kind, f"{kind}{i + 1}", **params)
    return b.build()


def generated_dense(n_blocks: int, input_shape: tuple[int, int, int] = (3, 32, 32),
                    growth: int = 8, per_stage: int = 4) -> Design:
    """``n_blocks`` blocks (at least 6) in DenseNet-style stages (every conv reads the concat of all
    earlier outputs of its stage), with a wire from the stem across the whole network to an
    add before the classifier: dense concats and a long residual, the hardest case for a
    layout (and for a layout's speed)."""
    b = Builder(f"generated dense {n_blocks} blocks", input_shape)
    stem = b.add("conv", "stem", out_channels=growth)
    last, stage = stem, 0
    while len(b.design.nodes) + 2 * per_stage + 4 <= n_blocks:
        stage += 1
        outputs = [last]
        for i in range(per_stage):
            src = outputs[0] if len(outputs) == 1 else b.add(
                "concat", f"s{stage}.cat{i}", inputs=list(outputs))
            outputs.append(b.add("conv", f"s{stage}.conv{i}", inputs=src, out_channels=growth))
        b.add("concat", f"s{stage}.out", inputs=outputs[1:])
        last = b.add("conv", f"s{stage}.trans", out_channels=growth, kernel=1)
    while len(b.design.nodes) + 3 < n_blocks:
        last = b.add("conv", f"tail{len(b.design.nodes)}", out_channels=growth)
    b.add("add", "long_skip", inputs=[last, stem])
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()
