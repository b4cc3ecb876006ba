"""A block's verdict in one line, the figure a room should read first: its MACs against a
normal K×K conv with the same input and output, and the papers' rule when one applies
("0.127× MACs · 1/M + 1/K²"). The Design tab and the Block kinds tab show the same line."""
from __future__ import annotations

from .analysis import BlockCost
from .chart_text import ratio_text
from .explain import normal_conv_cost

RULES = {"sepconv": "1/M + 1/K²", "pwconv": "1/K² of a K×K conv", "grouped": "1/g"}


def headline(kind: str, macs_ratio: float, groups: int = 1) -> str:
    rule = RULES.get("grouped" if kind == "conv" and groups > 1 else kind)
    text = f"{ratio_text(macs_ratio)} MACs"
    return f"{text} · {rule}" if rule and kind != "pwconv" else text


def block_verdict(cost: BlockCost) -> str | None:
    """The headline for an analysed block with a conv in it; None for pooling, linear, add."""
    if not cost.ok:
        return None
    convs = [la for la in cost.layers if la.op == "conv"]
    if not convs or len(cost.output_shape) != 3 or len(cost.input_shapes[0]) != 3:
        return None
    kernel = max(la.attr("kernel") for la in convs)
    _, macs = normal_conv_cost(cost, kernel)
    groups = convs[0].attr("groups") if cost.kind == "conv" else 1
    return headline(cost.kind, cost.macs / macs, groups or 1)


def kinds_headline(rows) -> str:
    """The Block kinds tab's headline: the separable block's verdict (the seed lesson) and the
    grouped conv's, from core's block comparison rows."""
    parts = []
    for r in rows:
        if r.kind == "sepconv":
            parts.append(f"separable: {headline('sepconv', r.macs_ratio)}")
        elif r.label.startswith("grouped"):
            groups = round(1 / r.macs_ratio) if r.macs_ratio else 1
            parts.append(f"grouped: {headline('conv', r.macs_ratio, groups)}")
    return "   ·   ".join(parts)
