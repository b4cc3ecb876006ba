"""The per-block figures a chart can show, declared once: where each value comes from, its unit,
and the reference line worth marking (a receptive field is read against the input's size).

Values come from the analysis (parameters, MACs, activation memory, receptive field) or from a
latency :class:`~designer.core.latency.Estimate` (estimated latency); a view only draws them.
"""
from __future__ import annotations

from typing import NamedTuple

from .analysis import Analysis
from .latency import Estimate


class BlockMetric(NamedTuple):
    label: str
    key: str
    unit: str
    noun: str


BLOCK_METRICS = {m.label: m for m in (
    BlockMetric("MACs", "macs", "MAC", "MACs"),
    BlockMetric("Parameters", "params", "", "parameters"),
    BlockMetric("Activation memory", "activation_bytes", "B", "B of activations"),
    BlockMetric("Receptive field", "receptive_field", "px", "px receptive field"),
    BlockMetric("Estimated latency", "latency_ms", "ms", "ms estimated"),
)}


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


def block_values(metric: BlockMetric, analysis: Analysis,
                 estimate: Estimate | None = None) -> BlockValues:
    ok = [b for b in analysis.blocks if b.ok]
    if metric.key == "latency_ms":
        by_id = estimate.by_id() if estimate is not None else {}
        values = [by_id.get(b.node_id, 0.0) for b in ok]
    else:
        values = [getattr(b, metric.key) or 0 for b in ok]
    covers_from = reference = None
    if metric.key == "receptive_field" and analysis.input_shape:
        reference = max(analysis.input_shape[1:], default=None)
        covers_from = next((i for i, b in enumerate(ok)
                            if b.field is not None and b.field.covers(analysis.input_shape)), None)
    return BlockValues([b.node_id for b in ok], [b.name for b in ok], [b.kind for b in ok],
                       values, covers_from, reference)
