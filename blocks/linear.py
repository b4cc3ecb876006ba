"""Fully connected layer; a C×H×W input is flattened first, as torchvision's classifiers do."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register
from .shape import numel


@register("linear", colour="#c2495e", palette=[PaletteEntry("Linear", "FC")])
@dataclass(frozen=True)
class Linear(Block):
    """F inputs to M outputs: params F·M (+ M bias), MACs F·M.

    ``out_features`` is the classifier's width, so α never scales it, unless the layer is marked
    ``hidden`` (MobileNetV3's 1280-wide layer before the classifier, which its width multiplier
    scales).
    """

    title = "Linear"
    summary = "Fully connected F → M.\nParams F·M + M, MACs F·M"

    out_features: int = param(1000, lo=1, hi=1_000_000)
    bias: bool = param(True)
    activation: str = param("none", choices=ACTIVATIONS)
    hidden: bool = param(False, help="a hidden layer, not the classifier: α scales its outputs "
                                     "(set from the wiring: it feeds another linear layer)")

    def scaled(self, scale) -> Linear:
        return dataclasses.replace(self, out_features=scale(self.out_features)) if self.hidden else self

    def build(self, g: LayerGraph) -> None:
        x = "in0"
        if len(g.shape(x)) != 1:
            x = g.flatten("flatten", x)
        x = g.linear("linear", x, self.out_features, self.bias)
        g.act("act", x, self.activation)

    def torch_init(self, inputs) -> str:
        parts = ["nn.Flatten(1)"] if len(inputs[0]) != 1 else []
        parts.append(call("nn.Linear", numel(inputs[0]), self.out_features,
                          bias=(self.bias, True)))
        if self.activation != "none":
            parts.append(f"{TORCH_ACTIVATIONS[self.activation]}(inplace=True)")
        return parts[0] if len(parts) == 1 else f"nn.Sequential({', '.join(parts)})"
