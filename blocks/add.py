"""Element-wise sum of two or more tensors of one shape (residual connections)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("add", colour="#c9a227", palette=[PaletteEntry("Add", "+")])
@dataclass(frozen=True)
class Add(Block):
    """Sum of its inputs, optionally followed by an activation (ResNet adds, then ReLU). The
    analysis counts its output as one new tensor for any number of inputs, and the exported
    code allocates just that one (the first sum, then in-place adds)."""

    title = "Add"
    summary = "Element-wise sum of inputs of one shape; (n-1) adds per element"
    min_inputs = 2
    max_inputs = None

    activation: str = param("none", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        x = g.add("add", [f"in{i}" for i in range(len(g.shapes))])
        g.act("act", x, self.activation)

    torch_source = '''
class Add(nn.Module):
    """Element-wise sum of its inputs, then an activation if given (a residual connection)."""

    def __init__(self, activation=None):
        super().__init__()
        self.activation = nn.Identity() if activation is None else activation(inplace=True)

    def forward(self, *inputs):
        out = inputs[0] + inputs[1]
        for x in inputs[2:]:
            out += x  # in place: one new tensor however many inputs
        return self.activation(out)
'''

    def torch_init(self, inputs) -> str:
        return call("Add", activation=(TORCH_ACTIVATIONS[self.activation], "None"))
