"""Max and average pooling over K×K windows (ceil mode as in PyTorch)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, param, register


@dataclass(frozen=True)
class _Pool(Block):
    kernel: int = param(2, lo=1, hi=15)
    stride: int = param(2, lo=1, hi=15)
    padding: int = param(0, lo=0, hi=7)
    ceil_mode: bool = param(False, help="round the output size up (SqueezeNet, GoogLeNet)")

    def build(self, g: LayerGraph) -> None:
        g.pool("pool", "in0", self.key, self.kernel, self.stride, self.padding, self.ceil_mode)


@register("maxpool")
@dataclass(frozen=True)
class MaxPool(_Pool):
    """Maximum over each K×K window."""

    title = "Max pool"
    summary = "Maximum over K×K windows; no parameters, K² compares per output"


@register("avgpool")
@dataclass(frozen=True)
class AvgPool(_Pool):
    """Mean over each K×K window."""

    title = "Average pool"
    summary = "Mean over K×K windows; no parameters, K² adds per output"
