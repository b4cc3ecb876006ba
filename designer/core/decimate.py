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
