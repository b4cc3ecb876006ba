"""Normal convolution (groups > 1 makes it a grouped convolution), with optional BatchNorm and activation."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@register("conv", colour="#4a78c2",
          palette=[PaletteEntry("Convolution", "C"),
                   PaletteEntry("Grouped conv", "GC", {"groups": 4}),
                   PaletteEntry("Dilated conv", "DC", {"dilation": 2})])
@dataclass(frozen=True)
class Conv(Block):
    """K×K convolution over all input channels (or g groups), then BN and activation.

    Params K²·C·M/g, MACs K²·C·M·H·W/g. With g groups each output channel sees C/g inputs.
    """

    title = "Convolution"
    summary = ("Normal K×K convolution; groups g > 1 makes it grouped, dilation d widens it.\n"
               "Params K²·C·M/g, MACs K²·C·M·H·W/g")

    out_channels: int = param(64, lo=1, hi=65536, width=True, help="output channels M")
    kernel: int = param(3, lo=1, hi=15, help="kernel size K")
    stride: int = param(1, lo=1, hi=8)
    padding: int = param(-1, lo=-1, hi=16, help="-1: same padding (K-1)/2·d")
    groups: int = param(1, lo=1, hi=65536, help="g: 1 is a normal conv, >1 grouped")
    dilation: int = param(1, lo=1, hi=16, help="d: kernel taps d apart; same cost, wider view")
    bias: bool = param(False)
    bn: bool = param(True, help="BatchNorm after the conv")
    activation: str = param("relu", choices=ACTIVATIONS)

    def build(self, g: LayerGraph) -> None:
        g.conv_bn_act("", "in0", out_channels=self.out_channels, kernel=self.kernel,
                      stride=self.stride, padding=self.padding, groups=self.groups,
                      bias=self.bias, bn=self.bn, activation=self.activation,
                      dilation=self.dilation)

    torch_source = '''
class ConvBNAct(nn.Sequential):
    """Convolution, then BatchNorm and activation when asked (as torchvision's
    Conv2dNormActivation)."""

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1,
                 bias=False, norm=True, activation=nn.ReLU, dilation=1):
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
                            dilation=dilation, groups=groups, bias=bias)]
        if norm:
            layers.append(nn.BatchNorm2d(out_channels))
        if activation is not None:
            layers.append(activation(inplace=True))
        super().__init__(*layers)
'''

    def torch_init(self, inputs) -> str:
        return conv_bn_act_call(inputs[0][0], self.out_channels, self.kernel, self.stride,
                                self.padding, self.groups, self.bias, self.bn, self.activation,
                                self.dilation)


def conv_bn_act_call(in_channels: int, out_channels: int, kernel: int, stride: int = 1,
                     padding: int = -1, groups: int = 1, bias: bool = False, bn: bool = True,
                     activation: str = "relu", dilation: int = 1) -> str:
    """The ``ConvBNAct(...)`` call every convolution kind emits."""
    return call("ConvBNAct", in_channels, out_channels, kernel_size=(kernel, 3),
                stride=(stride, 1), padding=(None if padding < 0 else padding, None),
                groups=(groups, 1), bias=(bias, False), norm=(bn, True),
                activation=(TORCH_ACTIVATIONS[activation], "nn.ReLU"), dilation=(dilation, 1))
