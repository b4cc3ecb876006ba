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
from functools import lru_cache

from blocks import Block, Shape, numel


def live_bytes(sizes: list[int], start: list[int], end: list[int], steps: int,
               nbytes: int = 1) -> list[int]:
    """Live bytes during each of ``steps`` steps, buffer ``b`` (``sizes[b]`` elements of
    ``nbytes`` bytes) being live from step ``start[b]`` to ``end[b]`` inclusive (none if
    ``end < start``)."""
    delta = [0] * (steps + 1)
    for size, s, e in zip(sizes, start, end):
        if e >= s:
            delta[s] += size
            delta[e + 1] -= size
    live, total = [], 0
    for d in delta[:steps]:
        total += d
        live.append(total * nbytes)
    return live


@dataclass(frozen=True)
class BlockTemplate:
    """A block's tensors, numbered locally: ``0..n_inputs-1`` are its inputs, then one number per
    materialised layer output (``sizes``, in elements). Each step reads and writes these numbers."""

    n_inputs: int
    sizes: tuple[int, ...]
    steps: tuple[tuple[str, tuple[int, ...], int | None], ...]
    output: int


@lru_cache(maxsize=65536)
def block_template(block: Block, inputs: tuple[Shape, ...]) -> BlockTemplate:
    local = {f"in{i}": i for i in range(len(inputs))}
    sizes, steps = [], []
    for la in block.layers(inputs):
        reads = tuple(local[s] for s in la.sources)
        if la.inplace:
            local[la.name] = reads[0]
            steps.append((la.name, reads, None))
        else:
            local[la.name] = len(inputs) + len(sizes)
            sizes.append(numel(la.output))
            steps.append((la.name, reads, local[la.name]))
    return BlockTemplate(len(inputs), tuple(sizes), tuple(steps), local[la.name])
