"""SqueezeNet fire module: 1×1 squeeze, then 1×1 and 3×3 expands side by side, concatenated."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("fire", colour="#d9822b", palette=[PaletteEntry("Fire (SqueezeNet)", "FI")])
@dataclass(frozen=True)
class Fire(Block):
    """Squeeze to s channels with 1×1, expand with e1 1×1 and e3 3×3 filters; output e1 + e3 channels.

    As in SqueezeNet's reference: convolutions carry biases, ReLU after each, no BatchNorm.
    """

    title = "Fire (SqueezeNet)"
    summary = ("1×1 squeeze to s, then 1×1 (e1) and 3×3 (e3) expands, concatenated.\n"
               "Params C·s + s·e1 + 9·s·e3 (+ biases)")

    squeeze: int = param(16, lo=1, hi=65536, width=True, help="s1x1: squeeze channels")
    expand1x1: int = param(64, lo=1, hi=65536, width=True, help="e1x1")
    expand3x3: int = param(64, lo=1, hi=65536, width=True, help="e3x3")
    bias: bool = param(True)
    bn: bool = param(False)
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        unit = {"bias": self.bias, "bn": self.bn, "activation": self.activation}
        s = g.conv_bn_act("squeeze", "in0", out_channels=self.squeeze, kernel=1, **unit)
        e1 = g.conv_bn_act("expand1x1", s, out_channels=self.expand1x1, kernel=1, **unit)
        e3 = g.conv_bn_act("expand3x3", s, out_channels=self.expand3x3, kernel=3, padding=1,
                           **unit)
        g.concat("concat", [e1, e3])

    torch_needs = ("conv",)
    torch_source = '''
class Fire(nn.Module):
    """SqueezeNet's fire module: a 1×1 squeeze, then 1×1 and 3×3 expands, concatenated."""

    def __init__(self, in_channels, squeeze, expand1x1, expand3x3, bias=True, norm=False,
                 activation=nn.ReLU):
        super().__init__()
        self.squeeze = ConvBNAct(in_channels, squeeze, 1, bias=bias, norm=norm,
                                 activation=activation)
        self.expand1x1 = ConvBNAct(squeeze, expand1x1, 1, bias=bias, norm=norm,
                                   activation=activation)
        self.expand3x3 = ConvBNAct(squeeze, expand3x3, 3, bias=bias, norm=norm,
                                   activation=activation)

    def forward(self, x):
        x = self.squeeze(x)
        return torch.cat([self.expand1x1(x), self.expand3x3(x)], 1)
'''

    def torch_init(self, inputs) -> str:
        return call("Fire", inputs[0][0], self.squeeze, self.expand1x1, self.expand3x3,
                    bias=(self.bias, True), norm=(self.bn, False),
                    activation=(TORCH_ACTIVATIONS[self.activation], "nn.ReLU"))
