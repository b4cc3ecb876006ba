"""Global (adaptive) average pooling to an S×S map: 1×1 for MobileNets, 6×6 or 7×7 for AlexNet and VGG."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, PaletteEntry, param, register


@register("gap", colour="#5f6f7d", palette=[PaletteEntry("Global avg pool", "GP")])
@dataclass(frozen=True)
class GlobalAvgPool(Block):
    """Adaptive average pooling to ``output_size``×``output_size``, whatever the input size."""

    title = "Global avg pool"
    summary = "Average each channel down to S×S (S = 1: one number per channel)"

    output_size: int = param(1, lo=1, hi=64)

    def build(self, g: LayerGraph) -> None:
        g.adaptive_avg("pool", "in0", self.output_size)

    def torch_init(self, inputs) -> str:
        return f"nn.AdaptiveAvgPool2d({self.output_size})"
