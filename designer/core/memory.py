"""Activation memory over the execution order: tensor lifetimes, live memory, peaks.

A tensor is *live* from the step that produces it to the last step that reads it; while a layer
runs, its inputs and its output are all live. In-place layers (activations, flatten, dropout)
write into their input's buffer. The design's input is live from the start, its output to the end.

Two peaks are reported:

* **peak live memory**: the largest sum of live tensors over every primitive layer, each freed
  at its last read: the least any run in this order must hold (eager PyTorch holds more, below);
* **block-boundary peak** (MobileNetV2 §5): the same, but with each block treated as one
  operation whose inner tensors are never held whole (an inverted residual's expanded tensor can
  be computed in slices), so only tensors that cross block boundaries count;
* **eager-PyTorch peak**: what the exported model holds when run eagerly, where Python's
  references, not last reads, decide when a tensor is freed: a module's input stays alive while
  the module runs (its caller still names it), so a block's inputs live until the block returns
  and each unit's (``expand.conv``, ``expand.bn``, … one ``ConvBNAct``) until the unit returns;
  an intermediate that several units read is a named local and lives until the block returns; a
  block output that the model's ``forward`` keeps under its own name (it feeds more than the next
  block) lives to the end, as does the input image (its caller holds it); and max pooling also writes its int64 indices (two fp32 elements per
  output element) while it runs. The real peak measured by the timing worker is a median 1.4×
  the peak live memory; this model is checked against it in ``benchmarks/bench_estimate.py``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

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
    live = accumulate(delta[:steps])
    return list(live) if nbytes == 1 else [v * nbytes for v in live]


@dataclass(frozen=True)
class BlockTemplate:
    """A block's tensors, numbered locally: ``0..n_inputs-1`` are its inputs, then one number per
    materialised layer output (``sizes``, in elements). Each step reads and writes these numbers.

    ``lifetimes`` sums what never leaves the block once, per block and inputs (the analysis of
    a design then only follows the tensors that cross blocks: an α tick of a 1,000-block design
    does not walk every layer's tensor again)."""

    n_inputs: int
    sizes: tuple[int, ...]
    steps: tuple[tuple[str, tuple[int, ...], int | None], ...]
    output: int
    holds: tuple[int, ...] = ()            # per tensor: the last step eager PyTorch holds it
    scratch: tuple[tuple[int, int], ...] = ()   # (step, elements) held only while it runs
    lifetimes: Lifetimes | None = None


@dataclass(frozen=True)
class Lifetimes:
    """A block's tensors as the design's sweep needs them, in local steps: per step, the elements
    live of the tensors made and freed inside the block (``inner``: freed at their last read;
    ``inner_eager``: as eager PyTorch holds them, max-pool scratch included); the output's write,
    last read and eager hold inside the block (-1: none); each input's last read and hold."""

    names: tuple[str, ...]
    inner: tuple[int, ...]
    inner_eager: tuple[int, ...]
    output_written: int
    output_read: int
    output_hold: int
    input_read: tuple[int, ...]
    input_hold: tuple[int, ...]
    structure: tuple = ()
    """All of the above that sizes do not change, with the block's input count and which tensor
    is its output: one object for each such structure (a plan of the design's sweep compares
    these, see designer.core.live_memory)."""


def _lifetimes(t: BlockTemplate) -> Lifetimes:
    n = len(t.steps)
    read = [-1] * (t.n_inputs + len(t.sizes))
    written = [-1] * len(read)
    for i, (_, reads, writes) in enumerate(t.steps):
        for r in reads:
            read[r] = i
        if writes is not None:
            written[writes] = read[writes] = i
    inner, inner_eager = [0] * (n + 1), [0] * (n + 1)
    for b in range(t.n_inputs, len(read)):
        if b == t.output:
            continue
        size, first = t.sizes[b - t.n_inputs], written[b]
        inner[first] += size
        inner[read[b] + 1] -= size
        inner_eager[first] += size
        inner_eager[max(read[b], t.holds[b]) + 1] -= size
    for at, size in t.scratch:
        inner_eager[at] += size
        inner_eager[at + 1] -= size
    own = t.output >= t.n_inputs
    names = tuple(name for name, _, _ in t.steps)
    output = (written[t.output], read[t.output], t.holds[t.output]) if own else (-1, -1, -1)
    inputs = (tuple(read[:t.n_inputs]), tuple(t.holds[:t.n_inputs]))
    return Lifetimes(names, tuple(accumulate(inner[:n])), tuple(accumulate(inner_eager[:n])),
                     *output, *inputs,
                     structure=_interned((t.n_inputs, t.output, names, output, inputs)))


def _interned(structure: tuple) -> tuple:
    """One object for equal structures, so that comparing two is mostly an identity check."""
    if len(_STRUCTURES) >= 65536:
        _STRUCTURES.clear()
    return _STRUCTURES.setdefault(structure, structure)


_STRUCTURES: dict[tuple, tuple] = {}


@lru_cache(maxsize=65536)
def block_template(block: Block, inputs: tuple[Shape, ...]) -> BlockTemplate:
    local = {f"in{i}": i for i in range(len(inputs))}
    sizes, steps, scratch = [], [], []
    for la in block.layers(inputs):
        reads = tuple(local[s] for s in la.sources)
        if la.inplace:
            local[la.name] = reads[0]
            steps.append((la.name, reads, None))
        else:
            local[la.name] = len(inputs) + len(sizes)
            sizes.append(numel(la.output))
            steps.append((la.name, reads, local[la.name]))
        if la.op == "maxpool":
            scratch.append((len(steps) - 1, 2 * numel(la.output)))
    t = BlockTemplate(len(inputs), tuple(sizes), tuple(steps), local[la.name],
                      _eager_holds(len(inputs), len(sizes), steps), tuple(scratch))
    return dataclasses.replace(t, lifetimes=_lifetimes(t))


def _eager_holds(n_inputs: int, n_sizes: int, steps: list) -> tuple[int, ...]:
    """The last step of the block at which eager PyTorch still references each tensor (see the
    module docstring): inputs to the end, a unit's input through the unit, a tensor read by
    several units to the end."""
    last = len(steps) - 1
    holds = [last] * n_inputs + [-1] * n_sizes
    unit_of = [name.split(".", 1)[0] for name, _, _ in steps]
    unit_last = {u: j for j, u in enumerate(unit_of)}   # each unit's last step
    readers: dict[int, set[str]] = {}
    written_in: dict[int, str] = {}
    for i, (_, reads, writes) in enumerate(steps):
        if writes is not None:
            written_in[writes] = unit_of[i]
        for r in reads:
            readers.setdefault(r, set()).add(unit_of[i])
            if written_in.get(r) != unit_of[i]:
                holds[r] = max(holds[r], unit_last[unit_of[i]])
    for r, units in readers.items():
        if len(units - {written_in.get(r)}) > 1:
            holds[r] = last
    return tuple(holds)
