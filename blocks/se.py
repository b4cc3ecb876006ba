"""Squeeze-and-excitation: each channel rescaled by a gate computed from the whole map's average."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, GATES, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register
from .shape import make_divisible


def squeeze_width(channels: int, ratio: float, divisor: int) -> int:
    """The squeeze (bottleneck) width of an SE on ``channels``: ``_make_divisible(C·r, d)`` for a
    divisor d > 1 (MobileNetV3: ``_make_divisible(C // 4, 8)``), ``max(1, ⌊C·r⌋)`` for d = 1
    (EfficientNet: ``max(1, C_in // 4)``)."""
    squeezed = int(channels * ratio + 1e-9)
    return make_divisible(squeezed, divisor) if divisor > 1 else max(1, squeezed)


def se_layers(g: LayerGraph, name: str, src: str, squeeze: int, activation: str,
              gate: str) -> str:
    """Global average pool, 1×1 conv (with bias) to ``squeeze`` + activation, 1×1 conv back
    + gate, then the input multiplied channel by channel: the layers of torchvision's
    ``SqueezeExcitation`` (``avgpool, fc1, activation, fc2, scale_activation``)."""
    c = g.shape(src)[0]
    p = f"{name}." if name else ""
    s = g.adaptive_avg(f"{p}avgpool", src, 1)
    s = g.conv(f"{p}fc1", s, out_channels=squeeze, kernel=1, bias=True, field_groups=None)
    s = g.act(f"{p}activation", s, activation)
    s = g.conv(f"{p}fc2", s, out_channels=c, kernel=1, bias=True, field_groups=None)
    s = g.act(f"{p}scale_activation", s, gate)
    return g.scale(f"{p}scale", src, s)


@register("se", colour="#a0508f", palette=[PaletteEntry("Squeeze-excitation", "SE")])
@dataclass(frozen=True)
class SqueezeExcitation(Block):
    """Squeeze (global average pool), excite (1×1 reduce + activation, 1×1 expand + gate), and
    rescale every channel of the input by its gate.

    Channels are unchanged; the squeeze width follows the (α-scaled) input, as torchvision
    derives it, so α never scales it on its own. Params 2·C·s + s + C, MACs 2·C·s, whatever H×W:
    almost free in MACs, but the pool and the multiply each touch every element.
    """

    title = "Squeeze-excitation"
    summary = ("Global pool, 1×1 C→s + act, 1×1 s→C + gate, multiply each channel.\n"
               "s = make_divisible(C·r, d). Params 2·C·s + s + C, MACs 2·C·s")

    ratio: float = param(0.25, lo=0.01, hi=1.0, help="r: squeeze width s = C·r before rounding")
    divisor: int = param(8, lo=1, hi=64, help="d: s made divisible by d (1: ⌊C·r⌋, at least 1)")
    activation: str = param("relu", choices=ACTIVATIONS, help="after the reducing 1×1")
    gate: str = param("sigmoid", choices=GATES, help="sigmoid (SENet) or hard-sigmoid (V3)")

    def squeeze_channels(self, in_channels: int) -> int:
        return squeeze_width(in_channels, self.ratio, self.divisor)

    def build(self, g: LayerGraph) -> None:
        se_layers(g, "", "in0", self.squeeze_channels(g.shape("in0")[0]), self.activation,
                  self.gate)

    torch_source = '''
class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation (as torchvision.ops.SqueezeExcitation): global average pool,
    1×1 conv down to squeeze_channels, activation, 1×1 conv back, gate, rescale the input."""

    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU,
                 scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation() if activation is not None else nn.Identity()
        self.scale_activation = scale_activation()

    def forward(self, x):
        scale = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return x * self.scale_activation(scale)
'''

    def torch_init(self, inputs) -> str:
        c = inputs[0][0]
        return se_call(c, self.squeeze_channels(c), self.activation, self.gate)


def se_call(channels: int, squeeze: int, activation: str, gate: str) -> str:
    return call("SqueezeExcitation", channels, squeeze,
                activation=(TORCH_ACTIVATIONS[activation], "nn.ReLU"),
                scale_activation=(TORCH_ACTIVATIONS[gate], "nn.Sigmoid"))
