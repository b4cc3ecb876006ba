"""Random edit sequences (hypothesis, stateful): analysis never raises, it only reports located
problems; undoing everything restores the starting file byte for byte; redo restores the end.

200 examples × 50 steps = 10,000 edits per run.
"""
import math

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import blocks
from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.commands import (AddEdge, AddNode, History, RemoveEdge, RemoveNodes,
                                    SetNodeAttr, SetParam, SetSetting)
from designer.core.design import INPUT, Edge, Node

KINDS = sorted(blocks.BLOCKS)
VALUES = st.one_of(st.integers(-3, 300), st.sampled_from([True, False, "relu", "relu6", "none",
                                                          0.5, 2.5, "x", None, [1]]))
SETTINGS = st.one_of(
    st.tuples(st.just("alpha"), st.sampled_from([0.25, 0.35, 0.5, 0.75, 1.0, 1.4, 1.5, 3.0])),
    st.tuples(st.just("rho"), st.sampled_from([0.1, 0.25, 0.5, 0.857, 1.0, 2.0, 0.0])),
    st.tuples(st.just("rounding"), st.sampled_from(["floor", "divisible8", "nearest"])),
    st.tuples(st.just("dtype"), st.sampled_from(["fp32", "fp16", "int8"])),
)


def start_design(n):
    b = Builder("fuzz", input_shape=(3, 32, 32))
    for i in range(n):
        b.add(["conv", "sepconv", "ir", "fire"][i % 4], f"b{i}", **(
            {"squeeze": 8, "expand1x1": 8, "expand3x3": 8} if i % 4 == 3 else {"out_channels": 16}))
    return b.build()


class EditMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.design = start_design(4)
        self.start = io.dumps(self.design)
        self.history = History(self.design)
        self.counter = 0

    def ids(self):
        return list(self.design.nodes)

    @rule(kind=st.sampled_from(KINDS), data=st.data())
    def add_node(self, kind, data):
        self.counter += 1
        nid = f"n{self.counter}"
        srcs = [INPUT] + self.ids()
        edges = [Edge(data.draw(st.sampled_from(srcs)), nid, p)
                 for p in range(data.draw(st.integers(0, 3)))]
        self.history.push(AddNode(Node(nid, kind, {}, f"new{self.counter}"), (0.0, 0.0), edges))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def remove_nodes(self, data):
        ids = data.draw(st.lists(st.sampled_from(self.ids()), min_size=1, max_size=3, unique=True))
        self.history.push(RemoveNodes(ids))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def wire(self, data):
        edge = Edge(data.draw(st.sampled_from([INPUT] + self.ids())),
                    data.draw(st.sampled_from(self.ids())), data.draw(st.integers(0, 3)))
        if edge not in self.design.edges:
            self.history.push(AddEdge(edge))

    @precondition(lambda self: self.design.edges)
    @rule(data=st.data())
    def unwire(self, data):
        self.history.push(RemoveEdge(data.draw(st.sampled_from(self.design.edges))))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data(), value=VALUES)
    def set_param(self, data, value):
        nid = data.draw(st.sampled_from(self.ids()))
        kind = self.design.nodes[nid].kind
        names = [s.name for s in blocks.get(kind).specs()] if kind in blocks.BLOCKS else []
        key = data.draw(st.sampled_from(names + ["bogus"]))
        self.history.push(SetParam(nid, key, value))

    @precondition(lambda self: self.design.nodes)
    @rule(data=st.data())
    def set_node_attr(self, data):
        nid = data.draw(st.sampled_from(self.ids()))
        attr, value = data.draw(st.sampled_from([
            ("width", "fixed"), ("width", "min_base"), ("width", "scale"), ("width", "wide"),
            ("name", "renamed"), ("name", "x\"); import os #"), ("kind", "nope"),
            ("kind", "dwconv")]))
        self.history.push(SetNodeAttr(nid, attr, value))

    @rule(setting=SETTINGS)
    def set_setting(self, setting):
        self.history.push(SetSetting(*setting))

    @rule()
    def undo_one(self):
        self.history.undo()

    @invariant()
    def analysis_reports_and_never_raises(self):
        a = analyze(self.design)
        for p in a.problems:
            assert p.message and str(p)
        ok = [b for b in a.blocks if b.ok]
        assert a.params == sum(b.params for b in ok) and a.macs == sum(b.macs for b in ok)
        if a.ok and a.blocks:
            assert a.peak_activation_bytes >= a.block_peak_activation_bytes > 0
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


EditMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_random_edits = EditMachine.TestCase
