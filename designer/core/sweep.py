"""Sweeps of one design over α and resolution: the shape of MobileNet's Tables 6 and 7.

``sweep`` gives the exact figures at the marks (the table); ``curves`` adds a fine grid between
the marks so a chart can draw smooth lines and still put a point on every exact value."""
from __future__ import annotations

import csv
import io as _io
from dataclasses import dataclass

from . import io
from .analysis import analyze
from .design import Design
from .scaling import ALPHA_RANGE

ALPHA_STEP = 0.05
RESOLUTION_STEP = 8


@dataclass(frozen=True)
class SweepPoint:
    alpha: float
    resolution: int
    params: int
    macs: int
    peak_activation_bytes: int
    ok: bool


@dataclass(frozen=True)
class Curves:
    """``over_alpha[resolution]`` and ``over_resolution[alpha]``: points sorted along the x axis,
    fine grid and marks together; ``marks`` are the exact (α, resolution) points of the table."""
    name: str
    alphas: tuple[float, ...]
    resolutions: tuple[int, ...]
    over_alpha: dict[int, list[SweepPoint]]
    over_resolution: dict[float, list[SweepPoint]]
    marks: list[SweepPoint]

    def same_at_every_resolution(self, metric: str) -> bool:
        """Whether ``metric`` over α is one curve whatever the resolution (parameters of a
        network that pools globally before its classifier): then one curve says it all."""
        series = [[(p.alpha, getattr(p, metric)) for p in pts] for pts in self.over_alpha.values()]
        return all(s == series[0] for s in series)


def _point(work: Design, base: int, alpha: float, resolution: int) -> SweepPoint:
    work.alpha, work.rho = alpha, resolution / base
    a = analyze(work)
    return SweepPoint(alpha, resolution, a.params, a.macs, a.peak_activation_bytes, a.ok)


def sweep(design: Design, alphas: list[float], resolutions: list[int]) -> list[SweepPoint]:
    """Every (α, resolution) pair; resolution is in pixels of the design's input height."""
    work = io.from_dict(io.to_dict(design))
    base = design.input_shape[1]
    return [_point(work, base, a, r) for a in alphas for r in resolutions]


def curves(design: Design, alphas: list[float], resolutions: list[int]) -> Curves:
    """MACs and parameters over α (one curve per resolution, α every 0.05 between the smallest
    and largest mark) and over resolution (one curve per α, every 8 px); invalid points (a
    resolution too small for the design's pools) are left out of the curves."""
    work = io.from_dict(io.to_dict(design))
    base = design.input_shape[1]
    cache: dict[tuple[float, int], SweepPoint] = {}

    def at(alpha: float, res: int) -> SweepPoint:
        key = (round(alpha, 6), res)
        if key not in cache:
            cache[key] = _point(work, base, key[0], res)
        return cache[key]

    lo, hi = max(min(alphas), ALPHA_RANGE[0]), min(max(alphas), ALPHA_RANGE[1])
    fine_alphas = [lo + i * ALPHA_STEP for i in range(int((hi - lo) / ALPHA_STEP + 1e-9) + 1)]
    fine_alphas = sorted({round(a, 6) for a in fine_alphas + list(alphas)})
    rlo, rhi = min(resolutions), max(resolutions)
    fine_res = sorted(set(range(rlo, rhi + 1, RESOLUTION_STEP)) | set(resolutions))
    over_alpha = {r: [p for p in (at(a, r) for a in fine_alphas) if p.ok] for r in resolutions}
    over_res = {a: [p for p in (at(a, r) for r in fine_res) if p.ok] for a in alphas}
    marks = [at(a, r) for a in alphas for r in resolutions]
    return Curves(design.name, tuple(alphas), tuple(resolutions), over_alpha, over_res, marks)


def to_csv(points: list[SweepPoint]) -> str:
    out = _io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["alpha", "resolution", "params", "macs", "peak_activation_bytes", "valid"])
    for p in points:
        writer.writerow([p.alpha, p.resolution, p.params, p.macs, p.peak_activation_bytes, p.ok])
    return out.getvalue()


def to_markdown(name: str, points: list[SweepPoint]) -> str:
    """The grid as MobileNet prints it: a row per α, a column per resolution, each cell
    "MACs M / parameters M" (millions, exact counts in the CSV)."""
    alphas = list(dict.fromkeys(p.alpha for p in points))
    resolutions = list(dict.fromkeys(p.resolution for p in points))
    cell = {(p.alpha, p.resolution): p for p in points}
    lines = [f"| {name}: α \\ input | " + " | ".join(f"{r}×{r}" for r in resolutions) + " |",
             "|---|" + "---:|" * len(resolutions)]
    for a in alphas:
        cells = [cell[(a, r)] for r in resolutions]
        lines.append(f"| {a:g} | " + " | ".join(
            f"{p.macs / 1e6:,.1f} M MACs / {p.params / 1e6:.2f} M params" if p.ok else "invalid"
            for p in cells) + " |")
    return "\n".join(lines) + "\n\nMACs: conv and linear multiply-accumulates, bias excluded.\n"
