"""Depthwise-separable convolution (MobileNetV1): depthwise K×K, then pointwise 1×1, each with BN and activation."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, param, register


@register("sepconv")
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
        x = g.conv_bn_act("depthwise", "in0", c, self.kernel, self.stride, None, c, False, self.bn,
                          self.activation, field_groups=None)
        g.conv_bn_act("pointwise", x, self.out_channels, 1, 1, 0, 1, False, self.bn, self.activation)
