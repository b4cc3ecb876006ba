"""Inverted residual (MobileNetV2; with SE and hard-swish MobileNetV3's bneck, with SE and swish
EfficientNet's MBConv): 1×1 expand, K×K depthwise, optional squeeze-and-excitation, linear 1×1
projection, residual when legal."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import ACTIVATIONS, TORCH_ACTIVATIONS, LayerGraph, call
from .registry import Block, PaletteEntry, param, register
from .se import se_call, se_layers, squeeze_width

SE_STYLES = ("none", "mobilenetv3", "efficientnet")


@register("ir", colour="#8a5cc2",
          palette=[PaletteEntry("Inverted residual", "IR"),
                   PaletteEntry("MobileNetV3 bneck", "V3", {"se": "mobilenetv3",
                                                           "activation": "hardswish"}),
                   PaletteEntry("MBConv (EfficientNet)", "MB", {"se": "efficientnet",
                                                               "activation": "swish"})])
@dataclass(frozen=True)
class InvertedResidual(Block):
    """Expand C to the hidden width with 1×1 + BN + act (absent when the hidden width is C),
    depthwise K×K stride s + BN + act, squeeze-and-excitation on the hidden width if asked,
    project to M with 1×1 + BN and no activation (the linear bottleneck); add the input when
    stride is 1 and C = M (and ``residual`` is on).

    The hidden width is ``expanded_channels`` when given (MobileNetV3's tables give it; α scales
    it), else ``round(C·t)`` of the actual input channels, as in torchvision. SE as torchvision:
    ``mobilenetv3`` squeezes to ``_make_divisible(hidden // 4, 8)`` with ReLU and a hard-sigmoid
    gate; ``efficientnet`` to ``max(1, C // 4)`` of the block's input, with the block's
    activation and a sigmoid gate. MACs (stride 1, no SE) h·w·C·t·(C + K² + M).
    """

    title = "Inverted residual"
    summary = ("MobileNetV2 block: 1×1 expand ×t, K×K depthwise, [SE], linear 1×1 project,\n"
               "residual add when stride 1 and C = M. MACs h·w·C·t·(C + K² + M) at stride 1\n"
               "(+ 2·C·t·s for SE squeezing to s)")

    out_channels: int = param(24, lo=1, hi=65536, width=True)
    expansion: int = param(6, lo=1, hi=64, help="expansion ratio t")
    stride: int = param(1, lo=1, hi=8)
    kernel: int = param(3, lo=1, hi=15)
    residual: bool = param(True, help="add the input when stride 1 and channels match")
    activation: str = param("relu6", choices=ACTIVATIONS)
    expanded_channels: int = param(0, lo=0, hi=65536, width=True,
                                   help="hidden width; 0: C·t (MobileNetV3 gives it)")
    se: str = param("none", choices=SE_STYLES,
                    help="squeeze-and-excitation after the depthwise, as MobileNetV3 or "
                         "EfficientNet place and size it")

    def uses_residual(self, in_channels: int) -> bool:
        return self.residual and self.stride == 1 and in_channels == self.out_channels

    def hidden_channels(self, in_channels: int) -> int:
        return self.expanded_channels or round(in_channels * self.expansion)

    def se_settings(self, in_channels: int) -> tuple[int, str, str] | None:
        """(squeeze width, activation, gate) of the SE, or None without one."""
        if self.se == "mobilenetv3":
            return squeeze_width(self.hidden_channels(in_channels), 0.25, 8), "relu", "hardsigmoid"
        if self.se == "efficientnet":
            return squeeze_width(in_channels, 0.25, 1), self.activation, "sigmoid"
        return None

    def build(self, g: LayerGraph) -> None:
        c = g.shape("in0")[0]
        hidden = self.hidden_channels(c)
        x = "in0"
        if hidden != c:
            # pw
            x = g.conv_bn_act("expand", x, out_channels=hidden, kernel=1,
                              activation=self.activation)
        # dw
        x = g.conv_bn_act("depthwise", x, out_channels=hidden, kernel=self.kernel,
                          stride=self.stride, groups=hidden, activation=self.activation,
                          field_groups=None)
        se = self.se_settings(c)
        if se:
            x = se_layers(g, "se", x, *se)
        # pw-linear
        x = g.conv_bn_act("project", x, out_channels=self.out_channels, kernel=1,
                          activation="none")
        if self.uses_residual(c):
            g.add("add", ["in0", x])

    torch_needs = ("conv",)
    torch_source = '''
class InvertedResidual(nn.Module):
    """MobileNetV2's block: 1×1 expansion, K×K depthwise, linear 1×1 projection, and a residual
    connection when the stride is 1 and the channels match. With expanded_channels and a
    squeeze-and-excitation after the depthwise it is MobileNetV3's bneck and EfficientNet's
    MBConv (se: the squeeze-and-excitation module to apply after the depthwise)."""

    def __init__(self, in_channels, out_channels, stride=1, expand_ratio=6, kernel_size=3,
                 residual=True, activation=nn.ReLU6, expanded_channels=None, se=None):
        super().__init__()
        hidden = expanded_channels or round(in_channels * expand_ratio)
        self.use_res_connect = residual and stride == 1 and in_channels == out_channels
        layers = []
        if hidden != in_channels:
            layers.append(ConvBNAct(in_channels, hidden, 1, activation=activation))
        layers.append(ConvBNAct(hidden, hidden, kernel_size, stride, groups=hidden,
                                activation=activation))
        if se is not None:
            layers.append(se)
        layers.append(ConvBNAct(hidden, out_channels, 1, activation=None))
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)
'''

    def torch_uses(self) -> tuple[str, ...]:
        return ("conv", "se") if self.se != "none" else ("conv",)

    def torch_init(self, inputs) -> str:
        c = inputs[0][0]
        se = self.se_settings(c)
        se_module = se_call(self.hidden_channels(c), *se) if se else None
        return call("InvertedResidual", c, self.out_channels, stride=(self.stride, 1),
                    expand_ratio=(self.expansion, 6), kernel_size=(self.kernel, 3),
                    residual=(self.residual, True),
                    activation=(TORCH_ACTIVATIONS[self.activation], "nn.ReLU6"),
                    expanded_channels=(self.expanded_channels or None, None),
                    se=(se_module, None))
