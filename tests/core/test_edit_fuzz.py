"""Random edit sequences (hypothesis, stateful) on random designs: analysis never raises, it only
reports problems that name a block and/or a field; undoing everything restores the starting file
byte for byte; redo restores the end.

``stateful_step_count`` is only a ceiling, so the steps actually run are counted, and the test
runs further batches until at least ``MIN_STEPS`` edits were made; it fails if it cannot.
"""
import math
import time

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

import blocks
from blocks import numel
from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.commands import (
    AddEdge,
    AddNode,
    History,
    RemoveEdge,
    RemoveNodes,
    SetNodeAttr,
    SetParam,
    SetSetting,
)
from designer.core.design import DTYPES, INPUT, ROUNDINGS, Edge, Node

MIN_STEPS = 10_000
STEPS = {"run": 0}

KINDS = sorted(blocks.BLOCKS)
VALUES = st.one_of(st.integers(-3, 300), st.sampled_from([True, False, "relu", "relu6", "none",
                                                          0.5, 2.5, "x", None, [1]]))
SETTINGS = st.one_of(
    st.tuples(st.just("alpha"), st.sampled_from([0.25, 0.35, 0.5, 0.75, 1.0, 1.4, 1.5, 3.0])),
    st.tuples(st.just("rho"), st.sampled_from([0.1, 0.25, 0.5, 0.857, 1.0, 2.0, 0.0])),
    st.tuples(st.just("rounding"), st.sampled_from(["floor", "divisible8", "nearest"])),
    st.tuples(st.just("dtype"), st.sampled_from(["fp32", "fp16", "int8"])),
)


CHANNELS = st.sampled_from([4, 8, 12, 16, 24, 32])
PARAMS = {
    "conv": st.fixed_dictionaries({"out_channels": CHANNELS, "kernel": st.sampled_from([1, 3, 5]),
                                   "stride": st.sampled_from([1, 2]),
                                   "groups": st.sampled_from([1, 1, 2, 4]),
                                   "activation": st.sampled_from(["relu", "relu6", "none"])}),
    "dwconv": st.fixed_dictionaries({"kernel": st.sampled_from([3, 5]),
                                     "stride": st.sampled_from([1, 2])}),
    "pwconv": st.fixed_dictionaries({"out_channels": CHANNELS}),
    "sepconv": st.fixed_dictionaries({"out_channels": CHANNELS, "stride": st.sampled_from([1, 2])}),
    "ir": st.fixed_dictionaries({"out_channels": CHANNELS, "expansion": st.sampled_from([1, 6]),
                                 "stride": st.sampled_from([1, 2])}),
    "fire": st.fixed_dictionaries({"squeeze": CHANNELS, "expand1x1": CHANNELS,
                                   "expand3x3": CHANNELS}),
    "maxpool": st.fixed_dictionaries({"kernel": st.sampled_from([2, 3]),
                                      "ceil_mode": st.booleans()}),
    "avgpool": st.fixed_dictionaries({"kernel": st.sampled_from([2, 3])}),
    "gap": st.fixed_dictionaries({"output_size": st.sampled_from([1, 1, 2])}),
    "linear": st.fixed_dictionaries({"out_features": st.sampled_from([10, 100])}),
    "dropout": st.fixed_dictionaries({"p": st.sampled_from([0.2, 0.5])}),
}


@st.composite
def designs(draw):
    """A random design: 0 to 10 blocks of any kind, mostly chained, with branches joined by add
    and concat, at a random input size, α, ρ, rounding and dtype. Some are invalid on purpose."""
    size = draw(st.sampled_from([7, 16, 32, 56]))
    b = Builder("fuzz", input_shape=(draw(st.sampled_from([1, 3])), size, size),
                rounding=draw(st.sampled_from(ROUNDINGS)))
    ids = [INPUT]
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(KINDS))
        params = draw(PARAMS.get(kind, st.just({})))
        if kind in ("add", "concat"):
            inputs = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3))
        else:
            inputs = ids[-1] if draw(st.integers(0, 3)) else draw(st.sampled_from(ids))
        try:
            ids.append(b.add(kind, f"b{i}", inputs=inputs, **params))
        except blocks.BlockError:
            ids.append(b.add(kind, f"b{i}", inputs=inputs))
    return b.build(alpha=draw(st.sampled_from([0.25, 0.5, 1.0, 1.4])),
                   rho=draw(st.sampled_from([0.5, 1.0, 1.5])))


class EditMachine(RuleBasedStateMachine):
    """Each rule is one edit (undo included); ``STEPS`` counts the edits actually made."""

    @initialize(design=designs(), dtype=st.sampled_from(sorted(DTYPES)))
    def begin(self, design, dtype):
        design.dtype = dtype
        self.design = design
        self.start = io.dumps(self.design)
        self.history = History(self.design)
        self.counter = 0

    def ids(self):
        return list(self.design.nodes)

    @rule(kind=st.sampled_from(KINDS), data=st.data())
    def add_node(self, kind, data):
        STEPS["run"] += 1
        self.counter += 1
        nid = f"n{self.counter}"
        srcs = [INPUT] + self.ids()
        edges = [Edge(data.draw(st.sampled_from(srcs)), nid, p)
                 for p in range(data.draw(st.integers(0, 3)))]
        self.history.push(AddNode(Node(nid, kind, {}, f"new{self.counter}"), (0.0, 0.0), edges))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def remove_nodes(self, data):
        STEPS["run"] += 1
        ids = data.draw(st.lists(st.sampled_from(self.ids()), min_size=1, max_size=3, unique=True))
        self.history.push(RemoveNodes(ids))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def wire(self, data):
        STEPS["run"] += 1
        edge = Edge(data.draw(st.sampled_from([INPUT] + self.ids())),
                    data.draw(st.sampled_from(self.ids())), data.draw(st.integers(0, 3)))
        if edge not in self.design.edges:
            self.history.push(AddEdge(edge))

    @precondition(lambda self: self.design.edges)
    @rule(data=st.data())
    def unwire(self, data):
        STEPS["run"] += 1
        self.history.push(RemoveEdge(data.draw(st.sampled_from(self.design.edges))))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data(), value=VALUES)
    def set_param(self, data, value):
        STEPS["run"] += 1
        nid = data.draw(st.sampled_from(self.ids()))
        kind = self.design.nodes[nid].kind
        names = [s.name for s in blocks.get(kind).specs()] if kind in blocks.BLOCKS else []
        key = data.draw(st.sampled_from(names + ["bogus"]))
        self.history.push(SetParam(nid, key, value))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def set_node_attr(self, data):
        STEPS["run"] += 1
        nid = data.draw(st.sampled_from(self.ids()))
        attr, value = data.draw(st.sampled_from([
            ("width", "fixed"), ("width", "min_base"), ("width", "scale"), ("width", "wide"),
            ("name", "renamed"), ("name", "x\"); import os #"), ("kind", "nope"),
            ("kind", "dwconv")]))
        self.history.push(SetNodeAttr(nid, attr, value))

    @rule(setting=SETTINGS)
    def set_setting(self, setting):
        STEPS["run"] += 1
        self.history.push(SetSetting(*setting))

    @rule()
    def undo_one(self):
        STEPS["run"] += 1
        self.history.undo()

    @invariant()
    def analysis_reports_and_never_raises(self):
        a = analyze(self.design)
        for p in a.problems:
            assert p.message and str(p)
            assert p.node_name or p.field, f"problem located nowhere: {p}"
        ok = [b for b in a.blocks if b.ok]
        assert a.params == sum(b.params for b in ok) and a.macs == sum(b.macs for b in ok)
        if a.memory_live:  # partial analyses too: invalid blocks hold no memory
            assert a.peak_activation_bytes == max(a.memory_live) >= a.input_bytes
            counted = sum(b.activation_bytes for b in ok) + a.input_bytes
            assert a.peak_activation_bytes <= counted == a.activation_bytes_total
        if a.ok and a.blocks:
            # Not peak >= block-boundary peak: a block holds its input and output together at
            # the boundary, while a stride-2 separable conv frees its input inside (found here).
            largest_output = max(numel(b.output_shape) for b in a.blocks) * a.bytes_per_element
            for peak in (a.peak_activation_bytes, a.block_peak_activation_bytes):
                assert peak >= max(a.input_bytes, largest_output) > 0
            assert a.output_shape and all(d >= 1 for d in a.output_shape)
            assert math.isfinite(a.activation_bytes_total)

    def teardown(self):
        while self.history.redo():
            pass
        end = io.dumps(self.design)
        while self.history.undo():
            pass
        assert io.dumps(self.design) == self.start
        while self.history.redo():
            pass
        assert io.dumps(self.design) == end


FUZZ_SETTINGS = settings(max_examples=400, stateful_step_count=50, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_ten_thousand_random_edits(capsys):
    STEPS["run"] = 0
    t = time.perf_counter()
    batches = 0
    while STEPS["run"] < MIN_STEPS and batches < 3:
        run_state_machine_as_test(EditMachine, settings=FUZZ_SETTINGS)
        batches += 1
    elapsed = time.perf_counter() - t
    with capsys.disabled():
        print(f"\nedit fuzz: {STEPS['run']:,} edits in {batches} batch(es), {elapsed:.1f} s")
    assert STEPS["run"] >= MIN_STEPS
