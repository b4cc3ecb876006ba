"""Normal convolution (groups > 1 makes it a grouped convolution), with optional BatchNorm and activation."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, param, register


@register("conv")
@dataclass(frozen=True)
class Conv(Block):
    """K×K convolution over all input channels (or g groups), then BN and activation.

    Params K²·C·M/g, MACs K²·C·M·H·W/g. With g groups each output channel sees C/g inputs.
    """

    title = "Convolution"
    summary = ("Normal K×K convolution; groups g > 1 makes it grouped.\n"
               "Params K²·C·M/g, MACs K²·C·M·H·W/g")

    out_channels: int = param(64, lo=1, hi=65536, width=True, help="output channels M")
    kernel: int = param(3, lo=1, hi=15, help="kernel size K")
    stride: int = param(1, lo=1, hi=8)
    padding: int = param(-1, lo=-1, hi=16, help="-1: same padding (K-1)/2")
    groups: int = param(1, lo=1, hi=65536, help="g: 1 is a normal conv, >1 grouped")
    bias: bool = param(False)
    bn: bool = param(True, help="BatchNorm after the conv")
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        g.conv_bn_act("", "in0", self.out_channels, self.kernel, self.stride, self.padding,
                      self.groups, self.bias, self.bn, self.activation)
