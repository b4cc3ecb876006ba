"""Per-block values of the figures :mod:`designer.core.metrics` declares, for the Design tab's
chart: read from the analysis, or for the estimated latency from a latency
:class:`~designer.core.latency.Estimate`; with the reference worth marking (a receptive field is
read against the input's size)."""
from __future__ import annotations

from typing import NamedTuple

from .analysis import Analysis
from .latency import Estimate
from .metrics import ESTIMATED_LATENCY, PER_BLOCK, RECEPTIVE_FIELD, Metric

BLOCK_METRICS = {m.label: m for m in (*PER_BLOCK, ESTIMATED_LATENCY)}
"""The chart's menu: label -> metric."""


class BlockValues(NamedTuple):
    """One metric over the valid blocks, in execution order; ``covers_from`` is the index of the
    first block whose receptive field covers the whole input (None if none does, or for other
    metrics) and ``reference`` the input's size in pixels for the receptive field."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    values: list[float]
    covers_from: int | None = None
    reference: float | None = None


def block_values(metric: Metric, analysis: Analysis,
                 estimate: Estimate | None = None) -> BlockValues:
    ok = [b for b in analysis.blocks if b.ok]
    if metric is ESTIMATED_LATENCY:
        by_id = estimate.by_id() if estimate is not None else {}
        values = [by_id.get(b.node_id, 0.0) for b in ok]
    else:
        values = [metric.value(b) or 0 for b in ok]
    covers_from = reference = None
    if metric is RECEPTIVE_FIELD and analysis.input_shape:
        reference = max(analysis.input_shape[1:], default=None)
        covers_from = next((i for i, b in enumerate(ok)
                            if b.field is not None and b.field.covers(analysis.input_shape)), None)
    return BlockValues([b.node_id for b in ok], [b.name for b in ok], [b.kind for b in ok],
                       values, covers_from, reference)
