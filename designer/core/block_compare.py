"""The seeds' main lesson in one table: for one input shape and one output width, what each block
kind costs next to a normal convolution, with its formula filled in."""
from __future__ import annotations

from dataclasses import dataclass

from .analysis import analyze
from .builder import Builder
from .explain import explain


@dataclass(frozen=True)
class BlockCostRow:
    label: str
    kind: str
    params: int
    macs: int
    macs_ratio: float
    formulas: tuple[str, ...]


CANDIDATES = [
    ("normal 3×3 conv", "conv", lambda m: {"out_channels": m, "bn": False}),
    ("grouped 3×3 conv, g = 4", "conv", lambda m: {"out_channels": m, "groups": 4, "bn": False}),
    ("depthwise-separable", "sepconv", lambda m: {"out_channels": m, "bn": False}),
    ("fire (s = M/8, e1 = e3 = M/2)", "fire",
     lambda m: {"squeeze": max(1, m // 8), "expand1x1": m // 2, "expand3x3": m - m // 2}),
    ("inverted residual (t = 6)", "ir", lambda m: {"out_channels": m}),
    ("pointwise 1×1", "pwconv", lambda m: {"out_channels": m, "bn": False}),
]


def compare_blocks(input_shape: tuple[int, int, int], out_channels: int) -> list[BlockCostRow]:
    """Each candidate on ``input_shape`` with ``out_channels`` outputs at stride 1; MACs ratio to
    the normal 3×3 conv. A candidate that cannot take these shapes (groups) is left out."""
    rows = []
    for label, kind, params in CANDIDATES:
        b = Builder(label, input_shape)
        b.add(kind, "block", **params(out_channels))
        a = analyze(b.build())
        if not a.ok:
            continue
        cost = a.blocks[0]
        lines = tuple(f"{name}: {m}" for name, _p, m in explain(cost).lines)
        rows.append(BlockCostRow(label, kind, cost.params, cost.macs, 0.0, lines))
    normal = rows[0].macs
    return [BlockCostRow(r.label, r.kind, r.params, r.macs, r.macs / normal, r.formulas)
            for r in rows]
