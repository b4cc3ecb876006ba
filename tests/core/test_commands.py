"""Commands: every edit undoes exactly and redoes; slider drags merge."""
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
    d.subscribe(lambda ev, subj: events.append(ev))
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
