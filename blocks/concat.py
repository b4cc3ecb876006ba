"""Channel concatenation of feature maps of one height and width (fire, inception)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, register


@register("concat")
@dataclass(frozen=True)
class Concat(Block):
    """Stacks its inputs' channels in port order."""

    title = "Concat"
    summary = "Stack channels of maps of one H×W; free"
    min_inputs = 2
    max_inputs = None

    def build(self, g: LayerGraph) -> None:
        g.concat("concat", [f"in{i}" for i in range(len(g.shapes))])
