"""Explanations for the formula panel: a block's formulas with its numbers filled in, and how it
compares with a normal convolution from the same input to the same output (the seed lesson:
a depthwise-separable block costs 1/M + 1/K² of a normal conv)."""
from __future__ import annotations

from dataclasses import dataclass

from blocks import fmt

from .analysis import BlockCost

COMPOSITE = ("sepconv", "fire", "ir")


@dataclass(frozen=True)
class Explanation:
    title: str
    lines: tuple[tuple[str, str, str], ...]   # (layer, params formula, MACs formula)
    totals: str
    comparison: str


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
    return Explanation(f"{cost.name} ({cost.kind})", lines, totals, _comparison(cost))


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
