"""Dropout: identity at inference, so it costs nothing; kept so exported code matches training code."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, PaletteEntry, param, register


@register("dropout", colour="#b3b9c0", palette=[PaletteEntry("Dropout", "DO")])
@dataclass(frozen=True)
class Dropout(Block):
    """Zeroes a fraction p of activations while training; identity in eval mode."""

    title = "Dropout"
    summary = "Identity at inference; zeroes a fraction p while training"

    p: float = param(0.5, lo=0.0, hi=1.0)

    def build(self, g: LayerGraph) -> None:
        g.dropout("dropout", "in0", self.p)

    def torch_init(self, inputs) -> str:
        return f"nn.Dropout({self.p!r})"
