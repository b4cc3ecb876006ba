"""Fully connected layer; a C×H×W input is flattened first, as torchvision's classifiers do."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, param, register


@register("linear")
@dataclass(frozen=True)
class Linear(Block):
    """F inputs to M outputs: params F·M (+ M bias), MACs F·M.

    ``out_features`` is the classifier's width, so α never scales it.
    """

    title = "Linear"
    summary = "Fully connected F → M.\nParams F·M + M, MACs F·M"

    out_features: int = param(1000, lo=1, hi=1_000_000)
    bias: bool = param(True)
    activation: str = param("none", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        x = "in0"
        if len(g.shape(x)) != 1:
            x = g.flatten("flatten", x)
        x = g.linear("linear", x, self.out_features, self.bias)
        g.act("act", x, self.activation)
