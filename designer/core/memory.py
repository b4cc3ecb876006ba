"""Activation memory over the execution order: tensor lifetimes, live memory, peaks.

A tensor is *live* from the step that produces it to the last step that reads it; while a layer
runs, its inputs and its output are all live. In-place layers (activations, flatten, dropout)
write into their input's buffer. The design's input is live from the start, its output to the end.

Two peaks are reported:

* **peak live memory**: the largest sum of live tensors over every primitive layer: what plain
  eager inference needs;
* **block-boundary peak** (MobileNetV2 §5): the same, but with each block treated as one
  operation whose inner tensors are never held whole (an inverted residual's expanded tensor can
  be computed in slices), so only tensors that cross block boundaries count.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One executed operation: what it produces, what it reads (buffer ids)."""

    label: str
    reads: tuple[int, ...]
    writes: int | None


def live_profile(sizes: list[int], steps: list[Step], initial: set[int],
                 keep_to_end: set[int]) -> list[int]:
    """Live bytes during each step. Buffer ``b`` has ``sizes[b]`` bytes; ``initial`` buffers
    (the design input) are live from step 0, the others from the step that writes them; a buffer
    no step writes and not initial is not counted."""
    n = len(steps)
    start = [0 if b in initial else n for b in range(len(sizes))]
    end = [-1] * len(sizes)
    for i, s in enumerate(steps):
        if s.writes is not None:
            start[s.writes] = i
            end[s.writes] = max(end[s.writes], i)
        for b in s.reads:
            end[b] = max(end[b], i)
    for b in keep_to_end:
        end[b] = n - 1
    delta = [0] * (n + 1)
    for b, size in enumerate(sizes):
        if end[b] >= start[b]:
            delta[start[b]] += size
            delta[end[b] + 1] -= size
    live, total = [], 0
    for i in range(n):
        total += delta[i]
        live.append(total)
    return live
