"""Explanations for the formula panel: a block's formulas with its numbers filled in, and how it
compares with a normal convolution from the same input to the same output (the seed lesson:
a depthwise-separable block costs 1/M + 1/K² of a normal conv).

Some costs are not in the MACs column, and the notes name them: a squeeze-and-excitation's
share of the block it sits in (its 1×1 convs act on a C×1×1 vector, so it is nearly free in
MACs, but its pool and multiply read the whole map), a channel shuffle's memory traffic (no
arithmetic, every element read and written), and what a dilation buys."""
from __future__ import annotations

from dataclasses import dataclass

from blocks import Layer, fmt, numel

from .analysis import BlockCost

COMPOSITE = ("sepconv", "fire", "ir", "se", "shufflev2", "basic", "bottleneck")


@dataclass(frozen=True)
class Explanation:
    title: str
    lines: tuple[tuple[str, str, str], ...]   # (layer, params formula, MACs formula)
    totals: str
    comparison: str
    notes: tuple[str, ...] = ()


def normal_conv_cost(cost: BlockCost, kernel: int) -> tuple[int, int]:
    """Params and MACs of a K×K normal conv from the block's input channels to its output."""
    c = cost.input_shapes[0][0]
    m, h, w = cost.output_shape
    return kernel * kernel * c * m, kernel * kernel * c * m * h * w


def explain(cost: BlockCost) -> Explanation:
    if not cost.ok:
        return Explanation(f"{cost.name} ({cost.kind})", (), f"Not analysed: {cost.error}", "")
    lines = tuple((la.name, *la.formulas()) for la in cost.layers if la.op in ("conv", "linear"))
    totals = (f"Block total: {cost.params:,} parameters, {cost.macs:,} MACs, "
              f"{cost.other_ops:,} other ops; output {fmt(cost.output_shape)}")
    return Explanation(f"{cost.name} ({cost.kind})", lines, totals, _comparison(cost),
                       notes(cost.layers, cost.params, cost.macs))


def _share(part: int, whole: int) -> str:
    if part == whole:
        return "all"
    p = 100 * part / whole
    return f"{p:.1f} %" if p >= 1 else f"{p:.2g} %"


def notes(layers: tuple[Layer, ...], params: int, macs: int) -> tuple[str, ...]:
    """The costs the formulas above do not show, with this block's numbers."""
    out = []
    fc = {la.name.removeprefix("se."): la for la in layers}   # an SE alone, or inside an ir
    if {"fc1", "fc2", "scale"} <= set(fc):
        c, s = fc["fc1"].attr("in_channels"), fc["fc1"].attr("out_channels")
        se_macs, se_params = fc["fc1"].macs + fc["fc2"].macs, fc["fc1"].params + fc["fc2"].params
        x = fc["scale"].output
        out.append(f"Squeeze-excitation (C = {c} squeezed to s = {s}): MACs 2·C·s = 2·{c}·{s} = "
                   f"{se_macs:,}, {_share(se_macs, macs)} of the block's; params 2·C·s + s + C = "
                   f"{se_params:,}, {_share(se_params, params)} of the block's. Its pool and "
                   f"channel multiply each touch all C·H·W = {numel(x):,} elements "
                   f"({2 * numel(x):,} other ops), and its C×1×1 scale is a tensor of its own.")
    for la in layers:
        if la.op == "shuffle":
            n = numel(la.output)
            out.append(f"Channel shuffle ({la.attr('groups')} groups): 0 MACs, 0 parameters, no "
                       f"arithmetic, yet it reads and writes all C·H·W = {n:,} elements "
                       f"({2 * n * 4:,} bytes moved at fp32) into a new tensor.")
        elif la.op == "conv" and la.attr("dilation", 1) > 1:
            k, d = la.attr("kernel"), la.attr("dilation")
            span = (k - 1) * d + 1
            out.append(f"{la.name}: dilation {d} spreads the {k}×{k} taps over (K − 1)·d + 1 = "
                       f"{span}×{span} pixels, at the cost of a {k}×{k}.")
    return tuple(out)


def _comparison(cost: BlockCost) -> str:
    convs = [la for la in cost.layers if la.op == "conv"]
    if not convs or len(cost.output_shape) != 3 or len(cost.input_shapes[0]) != 3:
        return ""
    kernel = max(la.attr("kernel") for la in convs)
    params, macs = normal_conv_cost(cost, kernel)
    c, m = cost.input_shapes[0][0], cost.output_shape[0]
    text = (f"A normal {kernel}×{kernel} conv from {c} to {m} channels at "
            f"{cost.output_shape[1]}×{cost.output_shape[2]}: K²·C·M·H·W = {macs:,} MACs, "
            f"{params:,} parameters. This block: {cost.macs / macs:.3f}× the MACs, "
            f"{cost.params / params:.3f}× the parameters")
    if cost.kind == "sepconv":
        text += f" (theory, without BN: 1/M + 1/K² = 1/{m} + 1/{kernel}² = {1 / m + 1 / kernel**2:.3f})"
    return text + "."
