"""Every figure a chart, a table or a command-line column shows, declared once: its key (the
attribute it is read from), its label, its unit, how it is scaled for reading and what stands
where a design has none. Views read these instead of special-casing a key.

``prefixed`` figures read with a decimal prefix picked from the largest value (3.50M parameters,
9.63 MB); latency reads as it is, in ms. ``measured`` figures come from a timing kept with the
design, so a design may have none, and their label says which runtime and device measured them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str = ""
    """The physical unit: "" for a count, "B", "ms"."""
    noun: str = ""
    """How a value reads in a sentence: '1,234 parameters'."""
    symbol: str = ""
    """What follows a decimal prefix in a tip ('10.84 MMAC'); the unit if empty."""
    prefixed: bool = True
    measured: bool = False
    missing: str = "—"
    zero: str = "0"
    """What a value of 0 reads as where a log axis cannot place it (a kept timing's median of
    0 ms is a run shorter than the timer resolves, not a missing one)."""
    getter: Callable[[Any], Any] | None = None

    @property
    def title(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def tip_symbol(self) -> str:
        return self.symbol or self.unit

    def value(self, source: Any) -> Any:
        """The figure read from an analysis, a block's cost or a comparison row."""
        return (self.getter or attrgetter(self.key))(source)


PARAMS = Metric("params", "Parameters", noun="parameters")
MACS = Metric("macs", "MACs", noun="MACs", symbol="MAC")
ACTIVATIONS_TOTAL = Metric("activation_bytes_total", "Total activations", unit="B",
                           noun="B of activations")
PEAK_MEMORY = Metric("peak_activation_bytes", "Peak live memory", unit="B",
                     noun="B at the peak")
LATENCY = Metric("latency_ms", "Latency", unit="ms", prefixed=False, measured=True,
                 missing="no timing", zero="< resolution")
BLOCK_ACTIVATIONS = Metric("activation_bytes", "Activation memory", unit="B",
                           noun="B of activations")

RECEPTIVE_FIELD = Metric("receptive_field", "Receptive field", unit="px",
                         noun="px receptive field", prefixed=False)
ESTIMATED_LATENCY = Metric("estimated_latency_ms", "Estimated latency", unit="ms",
                           noun="ms estimated", prefixed=False, missing="no device profile")
"""Per block, from the latency estimate (not an attribute of a block's cost: see
designer.core.block_metrics.block_values)."""

COMPARED = (PARAMS, MACS, ACTIVATIONS_TOTAL, PEAK_MEMORY, LATENCY)
"""The columns of a comparison, in order."""
PER_BLOCK = (MACS, PARAMS, BLOCK_ACTIVATIONS, RECEPTIVE_FIELD)
"""What the Design tab's bar chart can show per block read from the analysis, in its menu's
order; ESTIMATED_LATENCY follows them there."""
BY_KEY = {m.key: m for m in (*COMPARED, *PER_BLOCK, ESTIMATED_LATENCY)}
