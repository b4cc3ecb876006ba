"""Flatten a C×H×W map into a vector of C·H·W features (a view: no memory, no cost)."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, PaletteEntry, register


@register("flatten", colour="#9aa5b1", palette=[PaletteEntry("Flatten", "FL")])
@dataclass(frozen=True)
class Flatten(Block):
    """C×H×W to C·H·W features."""

    title = "Flatten"
    summary = "C×H×W to a vector of C·H·W features; free"

    def build(self, g: LayerGraph) -> None:
        g.flatten("flatten", "in0")

    def torch_init(self, inputs) -> str:
        return "nn.Flatten(1)"
