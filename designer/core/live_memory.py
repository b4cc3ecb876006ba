"""The design's live-memory sweep (conventions in :mod:`designer.core.memory`), in two parts:
a plan, which depends only on the blocks' structure and wiring (the execution order's step
names, which tensors cross blocks, the step each is written, last read and held), and the
bytes, which α changes. An α tick that changes every width mostly changes no plan: the last
few plans are kept (a drag may flip a structure back and forth: an inverted residual's skip
is legal at one α, not at the next, when its input and output round apart) and only the new
sizes are summed.

Only the tensors that cross blocks (the image, each block's output) are followed one by one;
what lives and dies inside a block comes summed from its template and is added step by step."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import add, attrgetter, mul

from blocks import Shape, numel

from .design import INPUT
from .memory import BlockTemplate, block_template, live_bytes


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """What the sweep of one structure needs besides sizes. Buffer 0 is the image; buffer
    ``b >= 1`` is the output of counted block ``owners[b - 1][0]``, element count
    ``sizes[owners[b - 1][1]]`` of its template. ``key``: what it was planned from (block ids,
    names and errors, the counted blocks' template structures, sinks), with ``incoming``, the
    wiring's own dict."""

    key: tuple
    incoming: dict
    steps: int
    counted: tuple[str, ...]                 # counted blocks' names, in order
    owners: tuple[tuple[int, int], ...]
    start: tuple[int, ...]
    end: tuple[int, ...]
    block_start: tuple[int, ...]
    block_end: tuple[int, ...]
    eager_end: tuple[int, ...]
    block_names: tuple[str, ...]
    layer_names: tuple[str, ...]


KEPT_PLANS = 4
_NODE_ID, _NAME, _ERROR = attrgetter("node_id"), attrgetter("name"), attrgetter("error")


def memory_figures(costs: list, incoming: dict[str, list], x0: Shape, nbytes: int,
                   sinks: set[str], previous: tuple[SweepPlan, ...] = (),
                   expanded: dict | None = None) -> tuple[dict, tuple[SweepPlan, ...]]:
    """The memory figures of an analysis (peaks, where they are, the live bytes per step) from
    ``costs`` (the blocks with an output shape, in execution order), and the plans to keep for
    the next one, the one used first. Of ``previous`` (the last analysis's), a plan is used
    only if it was planned from the same wiring and structure. ``expanded``: the analysis's
    templates by block identity and input shapes (in the 4th place of each value)."""
    got = (expanded or {}).get
    templates = [hit[3] if (hit := got((id(c.block), c.input_shapes))) is not None
                 else block_template(c.block, c.input_shapes) for c in costs if c.error is None]
    key = (tuple(map(_NODE_ID, costs)), tuple(map(_NAME, costs)), tuple(map(_ERROR, costs)),
           tuple([t.lifetimes.structure for t in templates]), tuple(sorted(sinks)))
    plan = next((p for p in previous if p.incoming is incoming and p.key == key), None)
    if plan is None:
        plan = plan_sweep(costs, templates, incoming, sinks, key)
    kept = (plan, *(p for p in previous if p is not plan and p.incoming is incoming))
    return sweep(plan, templates, x0, nbytes), kept[:KEPT_PLANS]


def plan_sweep(costs: list, templates: list[BlockTemplate], incoming: dict[str, list],
               sinks: set[str], key: tuple = ()) -> SweepPlan:
    """The lifetimes of the tensors that cross blocks, in steps and in blocks, and as eager
    PyTorch holds them (``templates``: the counted blocks' own, in order)."""
    owners: list[tuple[int, int]] = []
    start, end = [0], [0]                     # per tensor: first and last step it is live
    bstart, bend = [0], [0]                   # the same, with blocks as steps
    eend = [0]                                # the last step eager PyTorch references it
    out_buffer: dict[str, int | None] = {INPUT: 0}
    block_names: list[str] = []
    layer_names: list[str] = []
    counted: list[str] = []
    step = 0
    next_template = iter(templates)
    for c in costs:
        if c.error is not None:
            out_buffer[c.node_id] = None       # counts nothing; its readers count nothing
            continue
        j = len(counted)
        counted.append(c.name)
        t = next(next_template)
        life = t.lifetimes
        ids = [out_buffer[e.src] for e in incoming[c.node_id]]
        for b, read, hold in zip(ids, life.input_read, life.input_hold):
            if b is None:
                continue
            if read >= 0 and step + read > end[b]:
                end[b] = step + read
            if hold >= 0 and step + hold > eend[b]:
                eend[b] = step + hold
            bend[b] = j
        if t.output < t.n_inputs:
            out_buffer[c.node_id] = ids[t.output]
        else:
            owners.append((j, t.output - t.n_inputs))
            start.append(step + life.output_written)
            end.append(step + life.output_read)
            eend.append(step + life.output_hold if life.output_hold >= 0 else -1)
            bstart.append(j)
            bend.append(j)
            out_buffer[c.node_id] = len(start) - 1
        block_names += [c.name] * len(life.names)
        layer_names += life.names
        step += len(life.names)
    if step:
        for b in (out_buffer[s] for s in sinks):
            if b is not None:                   # a sink that counts nothing holds nothing
                end[b], bend[b] = step - 1, len(counted) - 1
        for b in [0, *named_outputs(costs, incoming, out_buffer)]:
            if b is not None:
                eend[b] = step - 1
    return SweepPlan(key, incoming, step, tuple(counted), tuple(owners), tuple(start),
                     tuple(end), tuple(bstart), tuple(bend),
                     tuple(max(a, b) for a, b in zip(end, eend)), tuple(block_names),
                     tuple(layer_names))


def sweep(plan: SweepPlan, templates: list[BlockTemplate], x0: Shape, nbytes: int) -> dict:
    """The figures of ``plan`` at the sizes of ``templates`` (the counted blocks' own)."""
    step = plan.steps
    if not step:
        return {}
    sizes = [numel(x0)]
    sizes += [templates[j].sizes[i] for j, i in plan.owners]
    inner = chain.from_iterable(t.lifetimes.inner for t in templates)
    inner_eager = chain.from_iterable(t.lifetimes.inner_eager for t in templates)
    live = list(map(mul, map(add, live_bytes(sizes, plan.start, plan.end, step), inner),
                    repeat(nbytes)))
    block_live = live_bytes(sizes, plan.block_start, plan.block_end, len(plan.counted), nbytes)
    eager_live = list(map(mul, map(add, live_bytes(sizes, plan.start, plan.eager_end, step),
                                   inner_eager), repeat(nbytes)))
    peak = live.index(max(live))              # the first largest
    bpeak = block_live.index(max(block_live))
    epeak = eager_live.index(max(eager_live))
    names, layers = plan.block_names, plan.layer_names
    return {"peak_activation_bytes": live[peak],
            "peak_at": f"{names[peak]}/{layers[peak]}",
            "block_peak_activation_bytes": block_live[bpeak],
            "block_peak_at": plan.counted[bpeak],
            "eager_peak_activation_bytes": eager_live[epeak],
            "eager_peak_at": f"{names[epeak]}/{layers[epeak]}",
            "memory_live": tuple(live), "memory_steps": (names, layers)}


def named_outputs(costs: list, incoming: dict[str, list],
                  out_buffer: dict[str, int | None]) -> list[int | None]:
    """Buffers the exported ``forward`` keeps under a name of their own, alive to its end: every
    output (the input image too) read by anything but exactly the next block (as
    designer.export.pytorch names them)."""
    readers: dict[str, list[str]] = {}
    for c in costs:
        for e in incoming[c.node_id]:
            readers.setdefault(e.src, []).append(c.node_id)
    order = [INPUT] + [c.node_id for c in costs]
    return [out_buffer[n] for i, n in enumerate(order)
            if readers.get(n, []) not in ([], order[i + 1:i + 2])]
