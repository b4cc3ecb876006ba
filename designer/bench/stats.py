"""Summaries of repeated timings: median, interquartile range, p95, and a flag when the spread is
too wide to trust a single figure (this machine's runs swing by ±30 %)."""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass

from designer.core.design import DTYPES
from designer.core.timings import Timing
from designer.core.units import human, plural

NOISY_IQR_RATIO = 0.10


@dataclass(frozen=True)
class Summary:
    median_ms: float
    q1_ms: float
    q3_ms: float
    iqr_ms: float
    p95_ms: float
    min_ms: float
    runs: int
    noisy: bool

    def to_dict(self) -> dict:
        return asdict(self)


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        raise ValueError("no values")
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarize(times_ms: list[float]) -> Summary:
    values = sorted(times_ms)
    q1, q3 = percentile(values, 0.25), percentile(values, 0.75)
    median = statistics.median(values)
    return Summary(median, q1, q3, q3 - q1, percentile(values, 0.95), values[0], len(values),
                   (q3 - q1) > NOISY_IQR_RATIO * median)


BLOCK_SUM_FACTOR = 2.0


def blocks_vs_whole(timing: Timing | None) -> tuple[float, float, float] | None:
    """(sum of the blocks' medians, the whole model's median, their ratio) of a torch timing
    with per-block results, or None without them."""
    if timing is None or not timing.blocks or not timing.median_ms:
        return None
    total = sum(b.median_ms for b in timing.blocks)
    return total, timing.median_ms, total / timing.median_ms


def block_shares(timing: Timing | None) -> list[tuple[float, float]]:
    """Each block's (share of the blocks' summed latency, share of their summed MACs), as
    fractions, in block order: what the per-block chart and table set side by side. A sum of
    zero (no MACs, as a design of pools alone) gives shares of zero, not a division error."""
    blocks = timing.blocks if timing is not None else ()
    if not blocks:
        return []
    total_ms = sum(b.median_ms for b in blocks) or 1
    total_macs = sum(b.macs or 0 for b in blocks) or 1
    return [(b.median_ms / total_ms, (b.macs or 0) / total_macs) for b in blocks]


def blocks_vs_whole_text(timing: Timing | None) -> str:
    """What users read beside the per-block chart: the blocks timed one by one add up to about
    the whole, within BLOCK_SUM_FACTOR (each block alone pays its own call overhead and starts
    with colder caches; the whole model overlaps neither)."""
    found = blocks_vs_whole(timing)
    if found is None:
        return ""
    total, whole, ratio = found
    within = 1 / BLOCK_SUM_FACTOR <= ratio <= BLOCK_SUM_FACTOR
    noisy = [b.name for b in timing.blocks if b.noisy]
    text = (f"Blocks timed one by one add up to {total:.2f} ms, {ratio:.2f}× the whole model's "
            f"median {whole:.2f} ms (expected within {BLOCK_SUM_FACTOR:g}×: each block alone pays "
            f"its own call overhead and cache misses)"
            + ("" if within else " — outside that range: the machine was busy, time again"))
    if noisy:
        text += (f". ⚠ Wide spread (IQR > {NOISY_IQR_RATIO:.0%} of median) in "
                 f"{len(noisy)} block(s): {', '.join(noisy[:6])}{'…' if len(noisy) > 6 else ''}")
    return text + "."


def memory_text(measured: int, analysis, batch: int) -> str:
    """The measured eager peak beside the analytic figures (fp32, as the timing runs)."""
    scale = batch * 4 / DTYPES.get(analysis.dtype, 4)
    eager = analysis.eager_peak_activation_bytes * scale
    return (f"peak memory, torch eager, measured {human(measured, 'B')}; analytic: eager-PyTorch "
            f"model {human(eager, 'B')} ({eager / measured - 1:+.1%}), peak live "
            f"{human(analysis.peak_activation_bytes * scale, 'B')}, block-boundary "
            f"{human(analysis.block_peak_activation_bytes * scale, 'B')}")


def contention_note(timings: list[Timing]) -> str | None:
    """What to tell a user whose multi-threaded run met busy cores: torch's intra-op threads
    spin and stall when other work holds the cores (a 2-thread MobileNetV2 read 2,266 ms on a
    busy 2-core machine), and one thread is then both faster and steadier."""
    if not timings:
        return None
    env = timings[0].environment
    threads, cores, load = env.get("threads") or 1, env.get("cores"), env.get("load_average")
    busy = load is not None and cores and load >= cores
    if threads < 2 or not (busy or any(t.noisy for t in timings)):
        return None
    why = (f"the cores were busy (load average {load:g} on {cores} cores)" if busy
           else "the runs spread widely")
    return (f"{why}: torch's {plural(threads, 'thread')} contend with other work and its times read "
            "slow and uneven; try --threads 1")
