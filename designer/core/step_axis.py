"""The live memory chart's x axis: one unit a block, as on the per-block chart above it (block j
at x = j), each block's execution steps spread evenly across its unit. So the two charts line up,
the α = 1 ghost lines up with the curve block by block (an inverted residual's skip that comes
and goes with α changes the number of steps, not where a block stands), and the axis holds still
while α is dragged."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import groupby
from typing import NamedTuple


class StepAxis(NamedTuple):
    names: list[str]            # the blocks, in the order they run
    spans: list[tuple[int, int]]   # each block's steps: first, one past the last
    positions: list[float]      # each step's x


def block_spans(steps: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(block name, first step, one past the last) for each run of the execution order's steps
    that belong to one block."""
    spans: list[tuple[str, int, int]] = []
    start = 0
    for name, run in groupby(steps):
        stop = start + len(list(run))
        spans.append((name, start, stop))
        start = stop
    return spans


def step_axis(steps: tuple[str, ...]) -> StepAxis:
    """Where each of ``steps`` (the block of each execution step) stands: the k-th of a block's m
    steps at j - 1/2 + (k + 1/2)/m for the j-th block."""
    found = block_spans(steps)
    positions = [j - 0.5 + (k + 0.5) / (stop - start)
                 for j, (_, start, stop) in enumerate(found) for k in range(stop - start)]
    return StepAxis([n for n, _, _ in found], [(s, e) for _, s, e in found], positions)


def step_at(axis: StepAxis, x: float) -> int | None:
    """The step drawn at ``x``: in the unit of the block nearest to ``x``, the step whose share
    of it ``x`` falls in; None off the axis."""
    j = round(x)
    if not 0 <= j < len(axis.spans) or abs(x - j) > 0.5:
        return None
    start, stop = axis.spans[j]
    return min(stop - 1, start + int((x - j + 0.5) * (stop - start)))


class Column(NamedTuple):
    start: int      # first step drawn in the column
    stop: int       # one past the last
    x: float        # the column's centre


def columns(positions: list[float], lo: float, hi: float, count: int) -> list[Column]:
    """The steps at ``positions`` (ascending) split into ``count`` equal columns of ``lo`` to
    ``hi`` (a plot's pixels), leaving out the columns no step falls in."""
    out = []
    width = (hi - lo) / max(1, count)
    for c in range(max(1, count)):
        left, right = lo + c * width, lo + (c + 1) * width
        start = bisect_left(positions, left)
        stop = (bisect_left(positions, right) if c < count - 1
                else bisect_right(positions, right))
        if stop > start:
            out.append(Column(start, stop, (left + right) / 2))
    return out


def band(values: list[float], cols: list[Column]) -> tuple[list[float], list[float], list[float]]:
    """(x, lowest, highest) of ``values`` in each column, the next column's first value
    included (the curve's stroke from one column to the next): a curve with more steps than its
    plot has pixels, drawn as the band it fills, every peak and dip kept."""
    lows, highs = [], []
    for c in cols:
        run = values[c.start:c.stop + 1]
        lows.append(min(run))
        highs.append(max(run))
    return [c.x for c in cols], lows, highs
