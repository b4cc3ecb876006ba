"""Sweeps of one design over α and resolution: the shape of MobileNet's Tables 6 and 7."""
from __future__ import annotations

import csv
import io as _io
from dataclasses import dataclass

from . import io
from .analysis import analyze
from .design import Design


@dataclass(frozen=True)
class SweepPoint:
    alpha: float
    resolution: int
    params: int
    macs: int
    peak_activation_bytes: int
    ok: bool


def sweep(design: Design, alphas: list[float], resolutions: list[int]) -> list[SweepPoint]:
    """Every (α, resolution) pair; resolution is in pixels of the design's input height."""
    work = io.from_dict(io.to_dict(design))
    base = design.input_shape[1]
    points = []
    for alpha in alphas:
        for res in resolutions:
            work.alpha, work.rho = alpha, res / base
            a = analyze(work)
            points.append(SweepPoint(alpha, res, a.params, a.macs, a.peak_activation_bytes, a.ok))
    return points


def to_csv(points: list[SweepPoint]) -> str:
    out = _io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["alpha", "resolution", "params", "macs", "peak_activation_bytes", "valid"])
    for p in points:
        writer.writerow([p.alpha, p.resolution, p.params, p.macs, p.peak_activation_bytes, p.ok])
    return out.getvalue()
