"""Fewer bars than blocks when a chart has fewer pixels than bars: each bar stands for a run of
neighbouring blocks and shows the largest of them, so a peak is never averaged away."""
from __future__ import annotations

from typing import NamedTuple


class Bucket(NamedTuple):
    start: int          # first index it stands for
    stop: int           # one past the last
    peak: int           # index of its largest value (what the bar shows and a click selects)


def decimate(values: list[float], most: int) -> list[Bucket]:
    """At most ``most`` buckets over ``values`` in order, as even as whole indices allow; one
    bucket per value when they fit."""
    n = len(values)
    count = min(n, max(1, most))
    if count == n:
        return [Bucket(i, i + 1, i) for i in range(n)]
    out = []
    start = 0
    for b in range(1, count + 1):
        stop = b * n // count
        run = values[start:stop]
        out.append(Bucket(start, stop, start + run.index(max(run))))   # the first largest
        start = stop
    return out


def envelope(values: list[float], most: int) -> tuple[list[float], list[float]]:
    """A curve of ``values`` (x = index) drawn with at most about ``2 * most`` points: each
    bucket's lowest and highest value in the order they come, so the curve's every peak and dip
    is kept; ``values`` unchanged (x = 0, 1, ...) when they fit."""
    n = len(values)
    if n <= 2 * max(1, most):
        return [float(i) for i in range(n)], list(values)
    xs: list[float] = []
    ys: list[float] = []
    count, start = max(1, most), 0
    for b in range(1, count + 1):
        stop = b * n // count
        run = values[start:stop]
        low, high = start + run.index(min(run)), start + run.index(max(run))
        for i in ((low, high) if low < high else (high, low) if high < low else (low,)):
            xs.append(float(i))
            ys.append(values[i])
        start = stop
    return xs, ys
