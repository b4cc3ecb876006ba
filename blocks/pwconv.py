"""Pointwise (1×1) convolution: mixes channels, never looks at neighbours."""
from __future__ import annotations

from dataclasses import dataclass

from .conv import conv_bn_act_call
from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, PaletteEntry, param, register


@register("pwconv", colour="#6a8fd8", palette=[PaletteEntry("Pointwise conv", "PW")])
@dataclass(frozen=True)
class Pointwise(Block):
    """1×1 convolution from C to M channels."""

    title = "Pointwise conv"
    summary = "1×1 convolution mixing channels.\nParams C·M, MACs C·M·H·W"

    out_channels: int = param(64, lo=1, hi=65536, width=True)
    bias: bool = param(False)
    bn: bool = param(True)
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        g.conv_bn_act("", "in0", out_channels=self.out_channels, kernel=1, bias=self.bias,
                      bn=self.bn, activation=self.activation)

    torch_needs = ("conv",)

    def torch_init(self, inputs) -> str:
        return conv_bn_act_call(inputs[0][0], self.out_channels, 1, bias=self.bias, bn=self.bn,
                                activation=self.activation)
