"""MobileNetV2 inverted residual: 1×1 expand, K×K depthwise, linear 1×1 projection, residual when legal."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, LayerGraph
from .registry import Block, param, register


@register("ir")
@dataclass(frozen=True)
class InvertedResidual(Block):
    """Expand C to t·C with 1×1 + BN + act (absent when t = 1), depthwise K×K stride s + BN + act,
    project to M with 1×1 + BN and no activation (the linear bottleneck); add the input when
    stride is 1 and C = M (and ``residual`` is on).

    The hidden width is ``round(C·t)`` of the actual input channels, as in torchvision.
    MACs (stride 1) h·w·C·t·(C + K² + M).
    """

    title = "Inverted residual"
    summary = ("MobileNetV2 block: 1×1 expand ×t, K×K depthwise, linear 1×1 project,\n"
               "residual add when stride 1 and C = M. MACs h·w·C·t·(C + K² + M) at stride 1")

    out_channels: int = param(24, lo=1, hi=65536, width=True)
    expansion: int = param(6, lo=1, hi=64, help="expansion ratio t")
    stride: int = param(1, lo=1, hi=8)
    kernel: int = param(3, lo=1, hi=15)
    residual: bool = param(True, help="add the input when stride 1 and channels match")
    activation: str = param("relu6", choices=ACTIVATIONS)

    def uses_residual(self, in_channels: int) -> bool:
        return self.residual and self.stride == 1 and in_channels == self.out_channels

    def build(self, g: LayerGraph) -> None:
        c = g.shape("in0")[0]
        hidden = int(round(c * self.expansion))
        x = "in0"
        if self.expansion != 1:
            x = g.conv_bn_act("expand", x, hidden, 1, 1, 0, 1, False, True, self.activation)
        x = g.conv_bn_act("depthwise", x, hidden, self.kernel, self.stride, None, hidden, False,
                          True, self.activation, field_groups=None)
        x = g.conv_bn_act("project", x, self.out_channels, 1, 1, 0, 1, False, True, "none")
        if self.uses_residual(c):
            g.add("add", ["in0", x])
