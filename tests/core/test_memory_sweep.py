"""The live-memory sweep follows only the tensors that cross blocks and takes what lives inside
a block summed from its template (fast enough for an α tick on 1,000 blocks): every figure it
gives must equal, to the byte, the sweep that followed every layer's tensor one by one. That
sweep is kept here as the reference, and both run on every preset at several α, ρ and dtypes,
on generated designs, and on random designs (valid and not)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocks import Shape, numel
from designer.core import analysis, live_memory, memory
from designer.core.analysis import BlockCost, analyze
from designer.core.builder import generated_chain, generated_dense
from designer.core.design import INPUT
from designer.core.presets import load_preset, names
from tests.core.test_edit_fuzz import designs

MEMORY_FIELDS = ("peak_activation_bytes", "peak_at", "block_peak_activation_bytes",
                 "block_peak_at", "eager_peak_activation_bytes", "eager_peak_at", "memory_live",
                 "memory_steps")


def reference_sweep(sizes, start, end, steps, nbytes=1):
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


def reference_memory(costs: list[BlockCost], incoming: dict[str, list], x0: Shape, nbytes: int,
            sinks: set[str]) -> dict:
    """The sweep as it was before lifetimes were summed per block template: every tensor of every
    layer followed one by one (copied from designer/core/analysis.py as of 590bc3b)."""
    sizes = [numel(x0)]
    start, end = [0], [0]                     # per buffer: first and last step it is live
    bstart, bend = [0], [0]                   # the same, with blocks as steps
    eend = [0]                                # the last step eager PyTorch references it
    out_buffer: dict[str, int] = {INPUT: 0}
    block_names: list[str] = []
    layer_names: list[str] = []
    step = 0
    counted: list[BlockCost] = []

    def new_buffer(size: int, first: int, last: int, eager_last: int, block: int = 0,
                   block_last: int = -1) -> int:
        sizes.append(size)
        start.append(first)
        end.append(last)
        eend.append(eager_last)
        bstart.append(block)
        bend.append(block_last)
        return len(sizes) - 1

    for c in costs:
        j = len(counted)
        if not c.ok:
            out_buffer[c.node_id] = new_buffer(0, step, -1, -1, j)
            continue
        counted.append(c)
        t = memory.block_template(c.block, c.input_shapes)
        ids = [out_buffer[e.src] for e in incoming[c.node_id]]
        base = len(sizes) - t.n_inputs
        for size in t.sizes:
            new_buffer(size, 0, -1, -1)
        first = step
        for name, reads, writes in t.steps:
            for r in reads:
                end[ids[r] if r < t.n_inputs else base + r] = step
            if writes is not None:
                start[base + writes] = end[base + writes] = step
            block_names.append(c.name)
            layer_names.append(name)
            step += 1
        for local, hold in enumerate(t.holds):
            if hold >= 0:
                g = ids[local] if local < t.n_inputs else base + local
                eend[g] = max(eend[g], first + hold)
        for at, size in t.scratch:
            new_buffer(size, first + at, -1, first + at, 0, -1)
        for b in ids:
            bend[b] = j
        out = ids[t.output] if t.output < t.n_inputs else base + t.output
        if out not in ids:
            bstart[out] = bend[out] = j
        out_buffer[c.node_id] = out
    if not step:
        return {}
    for s in sinks:
        end[out_buffer[s]], bend[out_buffer[s]] = step - 1, len(counted) - 1
    for b in [0, *live_memory.named_outputs(costs, incoming, out_buffer)]:
        eend[b] = step - 1
    live = reference_sweep(sizes, start, end, step, nbytes)
    block_live = reference_sweep(sizes, bstart, bend, len(counted), nbytes)
    eager_live = reference_sweep(sizes, start, [max(a, b) for a, b in zip(end, eend)], step, nbytes)
    peak = max(range(len(live)), key=live.__getitem__)
    bpeak = max(range(len(block_live)), key=block_live.__getitem__)
    epeak = max(range(len(eager_live)), key=eager_live.__getitem__)
    return {"peak_activation_bytes": live[peak],
            "peak_at": f"{block_names[peak]}/{layer_names[peak]}",
            "block_peak_activation_bytes": block_live[bpeak],
            "block_peak_at": counted[bpeak].name,
            "eager_peak_activation_bytes": eager_live[epeak],
            "eager_peak_at": f"{block_names[epeak]}/{layer_names[epeak]}",
            "memory_live": tuple(live), "memory_steps": (tuple(block_names), tuple(layer_names))}



def both(design):
    """The design's analysis with the sweep in use, and with the reference sweep."""
    fast = analyze(design)
    keep = analysis._memory
    analysis._memory = lambda *args: (reference_memory(*args[:5]), None)
    try:
        slow = analyze(design)
    finally:
        analysis._memory = keep
    return fast, slow


def assert_same_memory(design):
    fast, slow = both(design)
    for name in MEMORY_FIELDS:
        assert getattr(fast, name) == getattr(slow, name), name
    return fast


@pytest.mark.parametrize("preset", names())
@pytest.mark.parametrize("alpha, rho, dtype", [(1.0, 1.0, "fp32"), (0.35, 0.571, "fp16"),
                                                (1.4, 1.5, "int8")])
def test_presets_have_the_reference_memory_figures(preset, alpha, rho, dtype):
    design = load_preset(preset)
    design.alpha, design.rho, design.dtype = alpha, rho, dtype
    a = assert_same_memory(design)
    assert a.peak_activation_bytes > 0 and len(a.memory_live) > len(a.blocks)


@pytest.mark.parametrize("design", [generated_chain(300), generated_dense(300)],
                         ids=["chain", "dense"])
def test_generated_designs_have_the_reference_memory_figures(design):
    for alpha in (0.5, 0.77, 1.0):
        design.alpha = alpha
        assert_same_memory(design)


def test_an_invalid_block_and_its_waiting_readers_count_alike():
    design = load_preset("mobilenet_v2")
    last = [n for n in design.nodes.values() if n.kind == "conv"][-1]
    last.params["groups"] = 3             # 320 input channels: does not divide
    a = assert_same_memory(design)
    assert a.invalid_blocks == 1 and a.peak_activation_bytes > 0
    design.nodes[last.id].params["groups"] = 1
    design.nodes[next(iter(design.nodes))].params["stride"] = 9      # the rest wait on it
    a = assert_same_memory(design)
    assert a.invalid_blocks == len(design.nodes)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(designs(), st.sampled_from(["fp32", "fp16", "int8"]))
def test_random_designs_have_the_reference_memory_figures(design, dtype):
    design.dtype = dtype
    assert_same_memory(design)


def test_a_last_block_reading_only_an_invalid_block_holds_nothing():
    """The edit fuzz found it: an inverted residual with expansion 0 still passes its shape on
    (it does not depend on the bad field), so the flatten after it, the design's one sink, is
    analysed, but as a view of a buffer that counts nothing. The sweep indexed its lists with
    that None and raised TypeError."""
    from designer.core.builder import Builder

    b = Builder("sink on an invalid block", (16, 8, 8))
    b.add("conv", "c1", out_channels=16)
    b.add("ir", "ir1", out_channels=16)
    b.add("flatten", "f")
    design = b.build()
    design.node_by_name("ir1").params["expansion"] = 0
    a = assert_same_memory(design)
    assert a.invalid_blocks == 1 and a.peak_activation_bytes == 16 * 8 * 8 * 4 * 2
