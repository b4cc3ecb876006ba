"""Depthwise-separable convolution (MobileNetV1): depthwise K×K, then pointwise 1×1, each with BN and activation."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("sepconv", colour="#2e9d6e", palette=[PaletteEntry("Depthwise-separable", "DS")])
@dataclass(frozen=True)
class DepthwiseSeparable(Block):
    """MobileNetV1's unit: K×K depthwise (stride s) + BN + act, then 1×1 pointwise + BN + act.

    MACs C·H·W·(K² + M); its ratio to a normal K×K conv is 1/M + 1/K².
    """

    title = "Depthwise-separable"
    summary = ("Depthwise K×K then pointwise 1×1 (MobileNetV1).\n"
               "MACs C·H·W·(K² + M); vs normal conv 1/M + 1/K²")

    out_channels: int = param(64, lo=1, hi=65536, width=True)
    kernel: int = param(3, lo=1, hi=15)
    stride: int = param(1, lo=1, hi=8)
    bn: bool = param(True)
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        c = g.shape("in0")[0]
        x = g.conv_bn_act("depthwise", "in0", out_channels=c, kernel=self.kernel,
                          stride=self.stride, groups=c, bn=self.bn, activation=self.activation,
                          field_groups=None)
        g.conv_bn_act("pointwise", x, out_channels=self.out_channels, kernel=1, bn=self.bn,
                      activation=self.activation)

    torch_needs = ("conv",)
    torch_source = '''
class DepthwiseSeparable(nn.Module):
    """MobileNetV1's block: a K×K depthwise conv, then a 1×1 pointwise conv, each with BN
    and activation."""

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, norm=True,
                 activation=nn.ReLU):
        super().__init__()
        self.depthwise = ConvBNAct(in_channels, in_channels, kernel_size, stride,
                                   groups=in_channels, norm=norm, activation=activation)
        self.pointwise = ConvBNAct(in_channels, out_channels, 1, norm=norm, activation=activation)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
'''

    def torch_init(self, inputs) -> str:
        return call("DepthwiseSeparable", inputs[0][0], self.out_channels,
                    kernel_size=(self.kernel, 3), stride=(self.stride, 1), norm=(self.bn, True),
                    activation=(TORCH_ACTIVATIONS[self.activation], "nn.ReLU"))
