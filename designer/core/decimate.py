"""Fewer bars than blocks when a chart has fewer pixels than bars: each bar stands for a run of
neighbouring blocks and shows the largest of them, so a peak is never averaged away."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    start: int          # first index it stands for
    stop: int           # one past the last
    peak: int           # index of its largest value (what the bar shows and a click selects)


def decimate(values: list[float], most: int) -> list[Bucket]:
    """At most ``most`` buckets over ``values`` in order, as even as whole indices allow; one
    bucket per value when they fit."""
    n = len(values)
    count = min(n, max(1, most))
    out = []
    for b in range(count):
        start, stop = b * n // count, (b + 1) * n // count
        peak = max(range(start, stop), key=values.__getitem__)
        out.append(Bucket(start, stop, peak))
    return out
