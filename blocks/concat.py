"""Channel concatenation of feature maps of one height and width (fire, inception)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, PaletteEntry, register


@register("concat", colour="#b07d2b", palette=[PaletteEntry("Concat", "CAT")])
@dataclass(frozen=True)
class Concat(Block):
    """Stacks its inputs' channels in port order."""

    title = "Concat"
    summary = "Stack channels of maps of one H×W; free"
    min_inputs = 2
    max_inputs = None

    def build(self, g: LayerGraph) -> None:
        g.concat("concat", [f"in{i}" for i in range(len(g.shapes))])

    torch_source = '''
class Concat(nn.Module):
    """Concatenation of its inputs along the channels."""

    def forward(self, *inputs):
        return torch.cat(inputs, 1)
'''

    def torch_init(self, inputs) -> str:
        return "Concat()"
