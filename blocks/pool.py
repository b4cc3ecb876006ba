"""Max and average pooling over K×K windows (ceil mode as in PyTorch)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .layer import LayerGraph, call
from .registry import Block, PaletteEntry, param, register


@dataclass(frozen=True)
class _Pool(Block):
    kernel: int = param(2, lo=1, hi=15)
    stride: int = param(2, lo=1, hi=15)
    padding: int = param(0, lo=0, hi=7)
    ceil_mode: bool = param(False, help="round the output size up (SqueezeNet, GoogLeNet)")

    def build(self, g: LayerGraph) -> None:
        g.pool("pool", "in0", self.key, self.kernel, self.stride, self.padding, self.ceil_mode)

    torch_class: ClassVar[str] = ""

    def torch_init(self, inputs) -> str:
        return call(self.torch_class, self.kernel, stride=(self.stride, self.kernel),
                    padding=(self.padding, 0), ceil_mode=(self.ceil_mode, False))


@register("maxpool", colour="#7a8b99", palette=[PaletteEntry("Max pool", "MP")])
@dataclass(frozen=True)
class MaxPool(_Pool):
    """Maximum over each K×K window."""

    title = "Max pool"
    torch_class = "nn.MaxPool2d"
    summary = "Maximum over K×K windows; no parameters, K² compares per output"


@register("avgpool", colour="#7a8b99", palette=[PaletteEntry("Average pool", "AP")])
@dataclass(frozen=True)
class AvgPool(_Pool):
    """Mean over each K×K window."""

    title = "Average pool"
    torch_class = "nn.AvgPool2d"
    summary = "Mean over K×K windows; no parameters, K² adds per output"
