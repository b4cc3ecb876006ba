"""How far the latency estimate is from a measurement: the whole model's error and, block by
block, each error and the Spearman rank correlation (does the estimate order the blocks as the
clock does?). Used by the Timing tab after a run and by ``benchmarks/bench_estimate.py``."""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from .analysis import Analysis
from .latency import DeviceProfile, estimate
from .timings import Timing
from .units import plural


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float | None:
    """Spearman's rank correlation; None with fewer than two distinct values on a side."""
    if len(a) != len(b) or len(a) < 2:
        return None
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else None


@dataclass(frozen=True)
class BlockCheck:
    name: str
    estimated_ms: float
    measured_ms: float

    @property
    def error(self) -> float:
        return self.estimated_ms / self.measured_ms - 1 if self.measured_ms else float("inf")


@dataclass(frozen=True)
class EstimateCheck:
    estimated_ms: float
    measured_ms: float
    blocks: tuple[BlockCheck, ...]
    spearman: float | None
    note: str = ""

    @property
    def error(self) -> float:
        return self.estimated_ms / self.measured_ms - 1

    def text(self) -> str:
        rho = f"{self.spearman:.2f}" if self.spearman is not None else "—"
        worst = max(self.blocks, key=lambda b: abs(b.estimated_ms - b.measured_ms), default=None)
        miss = (f"; furthest block {worst.name} {worst.estimated_ms:.2f} against "
                f"{worst.measured_ms:.2f} ms ({worst.error:+.0%})") if worst else ""
        return (f"Estimate {self.estimated_ms:.2f} ms against measured median "
                f"{self.measured_ms:.2f} ms: error {self.error:+.1%}. Per block: rank "
                f"correlation (Spearman) {rho}{miss}.{self.note}")


def check_estimate(analysis: Analysis, profile: DeviceProfile, timing: Timing) -> EstimateCheck:
    """Compare with one torch timing (its median, batch, threads and blocks)."""
    est = estimate(analysis, profile, timing.batch)
    by_name = {b.name: b.latency_ms for b in est.blocks}
    blocks = tuple(BlockCheck(b.name, by_name[b.name], b.median_ms)
                   for b in timing.blocks if b.name in by_name)
    note = ""
    if profile.threads and timing.threads and profile.threads != timing.threads:
        note = (f" (The profile was measured with {plural(profile.threads, 'thread')}, this "
                f"timing used {timing.threads}.)")
    return EstimateCheck(est.latency_ms, float(timing.median_ms), blocks,
                         spearman([b.estimated_ms for b in blocks],
                                  [b.measured_ms for b in blocks]), note)
