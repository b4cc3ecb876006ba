"""Commands: every edit undoes exactly and redoes; slider drags merge."""
import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.commands import (
    AddEdge,
    AddNode,
    History,
    Macro,
    MoveNodes,
    RemoveEdge,
    RemoveNodes,
    SetNodeAttr,
    SetParam,
    SetSetting,
)
from designer.core.design import Edge, Node
from designer.core.presets import load_preset


def test_sequence_undoes_to_the_same_bytes_and_redoes():
    d = load_preset("mobilenet_v2")
    start = io.dumps(d)
    events = []
    d.subscribe(events.append)
    h = History(d)
    n = Node("x1", "conv", {"out_channels": 8}, "extra")
    h.push(AddNode(n, (0.0, 0.0), [Edge("classifier", "x1", 0)]))
    h.push(SetParam("block3", "expansion", 4))
    h.push(SetNodeAttr("block3", "name", "renamed"))
    h.push(RemoveNodes(["block5", "x1"]))
    h.push(AddEdge(Edge("block4", "block6", 0)))
    h.push(RemoveEdge(Edge("input", "conv1", 0)))
    h.push(MoveNodes({"conv1": (5.0, 6.0)}))
    h.push(Macro([SetSetting("rounding", "floor"), SetSetting("dtype", "fp16")]))
    end = io.dumps(d)
    assert end != start and events
    while h.undo():
        pass
    assert io.dumps(d) == start
    while h.redo():
        pass
    assert io.dumps(d) == end


def test_slider_drag_merges_into_one_step():
    d = load_preset("mobilenet_v1")
    h = History(d)
    for a in (0.9, 0.8, 0.7, 0.6, 0.5):
        h.push(SetSetting("alpha", a, gesture=1))
    assert len(h.done) == 1 and d.alpha == 0.5
    assert round(analyze(d).macs / 1e6) == 149
    h.undo()
    assert d.alpha == 1.0


def test_separate_drags_and_picks_are_separate_steps():
    d = load_preset("mobilenet_v1")
    h = History(d)
    for a in (0.9, 0.75):
        h.push(SetSetting("alpha", a, gesture=1))
    for a in (0.6, 0.5):
        h.push(SetSetting("alpha", a, gesture=2))
    h.push(SetSetting("rho", 160 / 224))
    h.push(SetSetting("rho", 128 / 224))
    assert len(h.done) == 4
    h.undo()
    assert d.rho == 160 / 224
    h.undo()
    assert d.rho == 1.0 and d.alpha == 0.5
    h.undo()
    assert d.alpha == 0.75
    h.undo()
    assert d.alpha == 1.0


def test_remove_restores_node_order_and_edges():
    d = load_preset("resnet18_layers")
    before = io.dumps(d)
    h = History(d)
    h.push(RemoveNodes(["layer2.0.downsample", "layer1.0.conv1"]))
    assert not analyze(d).ok
    h.undo()
    assert io.dumps(d) == before and analyze(d).ok


def test_one_step_tells_subscribers_once_with_what_changed():
    d = load_preset("mobilenet_v2")
    changes = []
    d.subscribe(changes.append)
    h = History(d)
    doomed = ["block3", "block4"]
    wires = {e for e in d.edges if e.src in doomed or e.dst in doomed}
    h.push(RemoveNodes(doomed))
    (change,) = changes
    assert change.nodes_removed == set(doomed) and change.edges_removed == wires
    assert not (change.nodes_added or change.edges_added or change.moved or change.reset)
    assert change.structural
    h.undo()
    assert len(changes) == 2 and changes[1].nodes_added == set(doomed)
    assert changes[1].edges_added == wires
    h.push(Macro([MoveNodes({"conv1": (5.0, 6.0)}), MoveNodes({"block2": (1.0, 2.0)})]))
    assert len(changes) == 3 and changes[2].moved == {"conv1", "block2"}
    assert not changes[2].structural
    d.set_setting("alpha", 0.5)  # outside a batch: a step of its own
    assert len(changes) == 4 and changes[3].settings == {"alpha"}


def test_a_batch_that_fails_halfway_still_tells_what_changed():
    d = load_preset("mobilenet_v2")
    changes = []
    d.subscribe(changes.append)
    with pytest.raises(KeyError), d.batch():
        d.set_setting("alpha", 0.5)
        d.remove_node("no such block")
    assert len(changes) == 1 and changes[0].settings == {"alpha"}
