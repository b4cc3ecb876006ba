"""ResNet's basic block: two 3×3 convs and a shortcut (a 1×1 projection when the shape changes)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph, call
from .registry import Block, PaletteEntry, param, register


def conv_bn(g: LayerGraph, n: str, src: str, out_channels: int, kernel: int, stride: int = 1,
            relu: bool = True) -> str:
    """torchvision's ResNet naming: ``conv{n}``, ``bn{n}``, then ``relu{n}`` when asked."""
    x = g.bn(f"bn{n}", g.conv(f"conv{n}", src, out_channels=out_channels, kernel=kernel,
                              stride=stride, padding=(kernel - 1) // 2, field_groups=None))
    return g.act(f"relu{n}", x, "relu") if relu else x


def shortcut_add_relu(g: LayerGraph, residual: str, out_channels: int, stride: int) -> str:
    """The identity, or a 1×1 stride-s conv + BN (``downsample``) when stride or width change;
    added to ``residual``, then ReLU."""
    shortcut = "in0"
    if stride != 1 or g.shape("in0")[0] != out_channels:
        shortcut = g.bn("downsample.1", g.conv("downsample.0", "in0", out_channels=out_channels,
                                               kernel=1, stride=stride, field_groups=None))
    return g.act("relu", g.add("add", [residual, shortcut]), "relu")


@register("basic", colour="#3f6fa0", palette=[PaletteEntry("ResNet basic block", "RB")])
@dataclass(frozen=True)
class BasicBlock(Block):
    """3×3 conv (stride s) + BN + ReLU, 3×3 conv + BN, added to the shortcut, then ReLU
    (He et al. 2016, ResNet-18 and -34). Params 9·C·M + 9·M² (+ C·M projection) + BN."""

    title = "ResNet basic block"
    summary = ("3×3 conv + BN + ReLU, 3×3 conv + BN, + shortcut (1×1 when shape changes), ReLU.\n"
               "MACs H·W·(9·C·M + 9·M² [+ C·M])")

    planes: int = param(64, lo=1, hi=65536, width=True, help="output channels M")
    stride: int = param(1, lo=1, hi=8)

    def build(self, g: LayerGraph) -> None:
        x = conv_bn(g, "1", "in0", self.planes, 3, self.stride)
        x = conv_bn(g, "2", x, self.planes, 3, relu=False)
        shortcut_add_relu(g, x, self.planes, self.stride)

    torch_source = '''
class BasicBlock(nn.Module):
    """ResNet's basic block (as torchvision's): two 3×3 convs with BatchNorm, the input added
    back (through a 1×1 projection when the stride or the width changes), then ReLU."""

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                                            nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)
'''

    def torch_init(self, inputs) -> str:
        return call("BasicBlock", inputs[0][0], self.planes, stride=(self.stride, 1))
