"""Channel shuffle (ShuffleNet): channels regrouped so that the next grouped conv sees every group."""
from __future__ import annotations

from dataclasses import dataclass

from .layer import LayerGraph
from .registry import Block, PaletteEntry, param, register


@register("shuffle", colour="#c46f4e", palette=[PaletteEntry("Channel shuffle", "SH")])
@dataclass(frozen=True)
class ChannelShuffle(Block):
    """Reshape C channels to g×(C/g), transpose, flatten back: output channel i·g + j is input
    channel j·(C/g) + i.

    No parameters, no MACs, no arithmetic at all; but the transposed tensor is made contiguous,
    so every element is read and written once: memory traffic, and a new tensor in memory.
    """

    title = "Channel shuffle"
    summary = ("Interleave the channels of g groups (ShuffleNet).\n"
               "0 params, 0 MACs; reads and writes every element once (C·H·W each way)")

    groups: int = param(2, lo=1, hi=65536, help="g: must divide the channels")

    def build(self, g: LayerGraph) -> None:
        g.shuffle("shuffle", "in0", self.groups)

    torch_source = '''
class ChannelShuffle(nn.Module):
    """ShuffleNet's channel shuffle (torchvision's channel_shuffle): view the channels as
    groups × (C / groups), transpose, and flatten them back."""

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, x):
        batch, channels, height, width = x.size()
        x = x.view(batch, self.groups, channels // self.groups, height, width)
        return torch.transpose(x, 1, 2).contiguous().view(batch, -1, height, width)
'''

    def torch_init(self, inputs) -> str:
        return f"ChannelShuffle({self.groups})"
