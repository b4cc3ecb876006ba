"""Depthwise convolution: one K×K filter per channel (groups = channels)."""
from __future__ import annotations

from dataclasses import dataclass

from .conv import conv_bn_act_call
from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, PaletteEntry, param, register


@register("dwconv", colour="#3aa6a0", palette=[PaletteEntry("Depthwise conv", "DW")])
@dataclass(frozen=True)
class Depthwise(Block):
    """K×K depthwise convolution: channels unchanged, each filtered on its own."""

    title = "Depthwise conv"
    summary = "One K×K filter per channel (groups = C).\nParams K²·C, MACs K²·C·H·W"

    kernel: int = param(3, lo=1, hi=15)
    stride: int = param(1, lo=1, hi=8)
    padding: int = param(-1, lo=-1, hi=16, help="-1: same padding (K-1)/2·d")
    dilation: int = param(1, lo=1, hi=16, help="d: kernel taps d apart; same cost, wider view")
    bias: bool = param(False)
    bn: bool = param(True)
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        c = g.shape("in0")[0]
        g.conv_bn_act("", "in0", out_channels=c, kernel=self.kernel, stride=self.stride,
                      padding=self.padding, groups=c, bias=self.bias, bn=self.bn,
                      activation=self.activation, dilation=self.dilation, field_groups=None)

    torch_needs = ("conv",)

    def torch_init(self, inputs) -> str:
        c = inputs[0][0]
        return conv_bn_act_call(c, c, self.kernel, self.stride, self.padding, c, self.bias,
                                self.bn, self.activation, self.dilation)
