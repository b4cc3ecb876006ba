"""ResNet's bottleneck: 1×1 reduce, 3×3, 1×1 expand ×4, and a shortcut (projected when needed)."""
from __future__ import annotations

from dataclasses import dataclass

from .basic_block import conv_bn, shortcut_add_relu
from .layer import LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("bottleneck", colour="#2f5a88", palette=[PaletteEntry("ResNet bottleneck", "RN")])
@dataclass(frozen=True)
class Bottleneck(Block):
    """1×1 conv to ``planes`` + BN + ReLU, 3×3 conv (stride s) + BN + ReLU, 1×1 conv to
    ``planes``·e + BN, added to the shortcut, then ReLU (He et al. 2016, ResNet-50/101/152).

    The stride sits on the 3×3 conv, as torchvision's ('ResNet V1.5', whose ResNet-50 is
    4.09 GMACs). With p = planes and M = p·e output channels, at stride 1:
    MACs H·W·(C·p + 9·p² + p·M [+ C·M for the projection]).
    """

    title = "ResNet bottleneck"
    summary = ("1×1 C→p, 3×3 p→p (stride s), 1×1 p→4p, each + BN (ReLU but the last),\n"
               "+ shortcut (1×1 when shape changes), ReLU. MACs H·W·(C·p + 9·p² + p·4p [+ C·4p])")

    planes: int = param(64, lo=1, hi=65536, width=True, help="p: the 3×3 conv's width")
    stride: int = param(1, lo=1, hi=8)
    expansion: int = param(4, lo=1, hi=16, help="e: output channels p·e (ResNet: 4)")

    def build(self, g: LayerGraph) -> None:
        out = self.planes * self.expansion
        x = conv_bn(g, "1", "in0", self.planes, 1)
        x = conv_bn(g, "2", x, self.planes, 3, self.stride)
        x = conv_bn(g, "3", x, out, 1, relu=False)
        shortcut_add_relu(g, x, out, self.stride)

    torch_source = '''
class Bottleneck(nn.Module):
    """ResNet's bottleneck (as torchvision's, stride on the 3×3 conv): 1×1 reduce, 3×3, 1×1
    expand to planes × expansion, each with BatchNorm; the input added back (through a 1×1
    projection when the stride or the width changes), then ReLU."""

    def __init__(self, inplanes, planes, stride=1, expansion=4):
        super().__init__()
        out_channels = planes * expansion
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
'''

    def torch_init(self, inputs) -> str:
        return call("Bottleneck", inputs[0][0], self.planes, stride=(self.stride, 1),
                    expansion=(self.expansion, 4))
