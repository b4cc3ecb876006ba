"""Comparing designs side by side: one row of headline figures per design (each at its own α and
ρ), ratios to a chosen baseline, and the table as Markdown or CSV for slides. Latencies are
batch-1 medians from one runtime on one device (torch on the CPU unless chosen), so a row's
torch time never sits beside another's onnxruntime time, and every label says which it is."""
from __future__ import annotations

import csv
import io as _io
from dataclasses import dataclass

from blocks import fmt

from .analysis import analyze
from .design import Design
from .metrics import BY_KEY, COMPARED
from .timings import LATENCY_BATCH, describe, latest

METRICS = {m.key: m.title for m in COMPARED}


@dataclass(frozen=True)
class Row:
    label: str
    alpha: float
    rho: float
    resolution: str
    params: int
    macs: int
    activation_bytes_total: int
    peak_activation_bytes: int
    latency_ms: float | None
    problems: int


def latency_of(design: Design, runtime: str = "torch", device: str = "cpu") -> float | None:
    """The newest batch-1 median latency of ``runtime`` on ``device`` kept with the design at
    its α and ρ, if any."""
    t = latest(design, runtime, device, LATENCY_BATCH)
    return float(t.median_ms) if t else None


def row(label: str, design: Design, runtime: str = "torch", device: str = "cpu") -> Row:
    a = analyze(design)
    return Row(label, design.alpha, design.rho, fmt(a.input_shape[1:]) if a.input_shape else "",
               a.params, a.macs, a.activation_bytes_total, a.peak_activation_bytes,
               latency_of(design, runtime, device), len(a.problems))


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]
    baseline: int = 0
    latency_runtime: str = "torch"
    latency_device: str = "cpu"

    def label(self, metric: str) -> str:
        """The metric's name with its unit; latency says its runtime and device."""
        m = BY_KEY[metric]
        if m.measured:
            return f"{m.label}, {describe(self.latency_runtime, self.latency_device)} ({m.unit})"
        return m.title

    def csv_key(self, metric: str) -> str:
        m = BY_KEY[metric]
        return (f"{m.key.removesuffix('_' + m.unit)}_{self.latency_runtime}_"
                f"{self.latency_device}_{m.unit}" if m.measured else metric)

    def ratio(self, i: int, metric: str) -> float | None:
        base = getattr(self.rows[self.baseline], metric)
        value = getattr(self.rows[i], metric)
        if base in (None, 0) or value is None:
            return None
        return value / base

    def pareto_front(self, y_metric: str = "params") -> list[int]:
        """Rows no other row beats on both MACs and ``y_metric`` (at most equal on both and
        smaller on one), sorted by MACs: the designs worth their cost."""
        have = [i for i, r in enumerate(self.rows) if getattr(r, y_metric) is not None]

        def beats(j: int, i: int) -> bool:
            a, b = self.rows[j], self.rows[i]
            ya, yb = getattr(a, y_metric), getattr(b, y_metric)
            return a.macs <= b.macs and ya <= yb and (a.macs < b.macs or ya < yb)

        front = [i for i in have if not any(beats(j, i) for j in have if j != i)]
        return sorted(front, key=lambda i: self.rows[i].macs)

    def metrics(self) -> list[str]:
        """The compared figures, a measured one only where some design has it."""
        return [m.key for m in COMPARED
                if not m.measured or any(m.value(r) is not None for r in self.rows)]

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows as text: absolute values, then ratios to the baseline."""
        keys = self.metrics()
        header = ["design", "α", "input"] + [self.label(k) for k in keys] + [
            f"{self.label(k).split(' (')[0]} ×" for k in keys]
        body = []
        for i, r in enumerate(self.rows):
            values = [_num(getattr(r, k)) for k in keys]
            ratios = [_ratio(self.ratio(i, k)) for k in keys]
            body.append([r.label, f"{r.alpha:g}", r.resolution] + values + ratios)
        return header, body

    def to_markdown(self) -> str:
        header, body = self.table()
        base = self.rows[self.baseline].label
        lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
        lines += ["| " + " | ".join(row_) + " |" for row_ in body]
        return "\n".join(lines) + f"\n\nRatios (×) are to {base}. MACs: conv and linear " \
                                  "multiply-accumulates, bias excluded.\n"

    def to_csv(self) -> str:
        out = _io.StringIO()
        keys = self.metrics()
        writer = csv.writer(out)
        names = [self.csv_key(k) for k in keys]
        writer.writerow(["design", "alpha", "rho", "input"] + names + [f"{k}_ratio" for k in names])
        for i, r in enumerate(self.rows):
            writer.writerow([r.label, r.alpha, r.rho, r.resolution]
                            + [getattr(r, k) for k in keys]
                            + [self.ratio(i, k) for k in keys])
        return out.getvalue()

    def to_dict(self) -> dict:
        return {"baseline": self.rows[self.baseline].label,
                "latency": {"runtime": self.latency_runtime, "device": self.latency_device},
                "rows": [{**r.__dict__, "ratios": {k: self.ratio(i, k) for k in self.metrics()}}
                         for i, r in enumerate(self.rows)]}


def compare(designs: list[tuple[str, Design]], baseline: int = 0, runtime: str = "torch",
            device: str = "cpu") -> Comparison:
    """Rows for ``designs`` (label, design), ratios to row ``baseline``, latencies of
    ``runtime`` on ``device`` only."""
    if not designs:
        raise ValueError("nothing to compare")
    if not 0 <= baseline < len(designs):
        raise ValueError(f"baseline {baseline} is not one of the {len(designs)} designs")
    return Comparison(tuple(row(label, d, runtime, device) for label, d in designs), baseline,
                      runtime, device)


def _num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}"
    return f"{v:,}"


def _ratio(v: float | None) -> str:
    """Three significant figures: VGG16 against MobileNet is 0.0368, not 0.037."""
    return "—" if v is None else f"{v:.3g}"
