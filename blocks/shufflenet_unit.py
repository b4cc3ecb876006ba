"""The ShuffleNetV2 unit: channel split, one branch of 1×1 → 3×3 depthwise → 1×1, concat, shuffle."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import BlockError
from .layer import LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("shufflev2", colour="#b5543a",
          palette=[PaletteEntry("ShuffleNetV2 unit", "S2"),
                   PaletteEntry("ShuffleNetV2 down", "S2↓", {"stride": 2})])
@dataclass(frozen=True)
class ShuffleV2Unit(Block):
    """ShuffleNetV2's building block (Ma et al. 2018, Fig. 3c/d; torchvision's
    ``shufflenetv2.InvertedResidual``).

    Stride 1: the input's channels are split in half; one half passes untouched, the other goes
    through 1×1 conv + BN + ReLU, 3×3 depthwise + BN, 1×1 conv + BN + ReLU; the halves are
    concatenated and shuffled in 2 groups (so input and output channels must be equal). Stride
    2: no split: both branches downsample the whole input, the left one by a 3×3 depthwise + BN
    then 1×1 conv + BN + ReLU; the output has twice the branch width. With b = M/2 output
    channels per branch, MACs at stride 1 are H·W·b·(2·b + 9).
    """

    title = "ShuffleNetV2 unit"
    summary = ("Split channels; one half 1×1 → 3×3 dw → 1×1; concat; shuffle (stride 2: both\n"
               "branches downsample). b = M/2: MACs H·W·b·(2·b + 9) at stride 1")

    out_channels: int = param(0, lo=0, hi=65536, width=True,
                              help="M, even: 2 branches of M/2; 0: C at stride 1, 2·C at stride 2")
    stride: int = param(1, lo=1, hi=2)

    def out_width(self, in_channels: int) -> int:
        return self.out_channels or in_channels * self.stride

    def build(self, g: LayerGraph) -> None:
        c = g.shape("in0")[0]
        m = self.out_width(c)
        branch = m // 2
        if m % 2:
            raise BlockError(f"the output must have an even number of channels (two branches of "
                             f"M/2), got {m}", "out_channels")
        if self.stride == 1:
            if c != m:
                raise BlockError(f"at stride 1 half the input passes through: out_channels must "
                                 f"equal the {c} input channels, got {m}", "out_channels")
            left, right = g.split("split.left", "in0", 0, branch), g.split("split.right", "in0",
                                                                          branch, c)
        else:
            left = g.conv_bn_act("branch1.depthwise", "in0", out_channels=c, kernel=3,
                                 stride=self.stride, padding=1, groups=c, activation="none",
                                 field_groups=None)
            left = g.conv_bn_act("branch1.pointwise", left, out_channels=branch, kernel=1)
            right = "in0"
        right = g.conv_bn_act("branch2.pointwise1", right, out_channels=branch, kernel=1)
        right = g.conv_bn_act("branch2.depthwise", right, out_channels=branch, kernel=3,
                              stride=self.stride, padding=1, groups=branch, activation="none",
                              field_groups=None)
        right = g.conv_bn_act("branch2.pointwise2", right, out_channels=branch, kernel=1)
        g.shuffle("shuffle", g.concat("concat", [left, right]), 2)

    torch_needs = ("conv", "shuffle")
    torch_source = '''
class ShuffleV2Unit(nn.Module):
    """ShuffleNetV2's unit (torchvision's shufflenetv2.InvertedResidual): at stride 1 half the
    channels pass through and half go 1×1 → 3×3 depthwise → 1×1; at stride 2 both branches
    downsample the whole input. The halves are concatenated and shuffled."""

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.stride = stride
        branch = out_channels // 2
        if stride > 1:
            self.branch1 = nn.Sequential(
                ConvBNAct(in_channels, in_channels, 3, stride, groups=in_channels,
                          activation=None),
                ConvBNAct(in_channels, branch, 1),
            )
        self.branch2 = nn.Sequential(
            ConvBNAct(in_channels if stride > 1 else branch, branch, 1),
            ConvBNAct(branch, branch, 3, stride, groups=branch, activation=None),
            ConvBNAct(branch, branch, 1),
        )
        self.shuffle = ChannelShuffle(2)

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        return self.shuffle(out)
'''

    def torch_init(self, inputs) -> str:
        c = inputs[0][0]
        return call("ShuffleV2Unit", c, self.out_width(c), stride=(self.stride, 1))
