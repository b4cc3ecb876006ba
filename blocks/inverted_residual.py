"""MobileNetV2 inverted residual: 1×1 expand, K×K depthwise, linear 1×1 projection, residual when legal."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("ir", colour="#8a5cc2", palette=[PaletteEntry("Inverted residual", "IR")])
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

    torch_needs = ("conv",)
    torch_source = '''
class InvertedResidual(nn.Module):
    """MobileNetV2's block: 1×1 expansion, K×K depthwise, linear 1×1 projection, and a residual
    connection when the stride is 1 and the channels match."""

    def __init__(self, in_channels, out_channels, stride=1, expand_ratio=6, kernel_size=3,
                 residual=True, activation=nn.ReLU6):
        super().__init__()
        hidden = round(in_channels * expand_ratio)
        self.use_res_connect = residual and stride == 1 and in_channels == out_channels
        layers = []
        if expand_ratio != 1:
            layers.append(ConvBNAct(in_channels, hidden, 1, activation=activation))
        layers += [
            ConvBNAct(hidden, hidden, kernel_size, stride, groups=hidden, activation=activation),
            ConvBNAct(hidden, out_channels, 1, activation=None),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)
'''

    def torch_init(self, inputs) -> str:
        return call("InvertedResidual", inputs[0][0], self.out_channels, stride=(self.stride, 1),
                    expand_ratio=(self.expansion, 6), kernel_size=(self.kernel, 3),
                    residual=(self.residual, True),
                    activation=(TORCH_ACTIVATIONS[self.activation], "nn.ReLU6"))
