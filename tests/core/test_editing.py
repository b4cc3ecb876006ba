import pytest

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.commands import History
from designer.core.design import INPUT, Design
from designer.core.editing import add_block, chain_end, copy_blocks, paste_blocks, wire


def test_append_after_the_chain_end_builds_a_valid_net():
    d = Design(input_shape=(3, 32, 32))
    h = History(d)
    for kind, params in [("conv", {"out_channels": 8}), ("sepconv", {"out_channels": 16}),
                         ("gap", {}), ("linear", {"out_features": 10})]:
        h.push(add_block(d, kind, params, after=chain_end(d)))
    a = analyze(d)
    assert a.ok and a.output_shape == (10,)
    assert [n.name for n in d.nodes.values()] == ["conv1", "sepconv1", "gap1", "linear1"]


def test_wire_replaces_a_single_input_and_appends_ports_to_add():
    b = Builder("t", input_shape=(3, 8, 8))
    a1 = b.add("conv", "a", out_channels=4)
    a2 = b.add("conv", "b", inputs="input", out_channels=4)
    s = b.add("add", "sum", inputs=[a1])
    d = b.build()
    h = History(d)
    h.push(wire(d, a2, s))
    assert [(e.src, e.port) for e in d.inputs_of(s)] == [(a1, 0), (a2, 1)]
    assert analyze(d).ok
    h.push(wire(d, a1, a2))
    assert [e.src for e in d.inputs_of(a2)] == [a1]
    assert wire(d, a1, a2) is None and wire(d, a1, a1) is None
    h.undo()
    assert [e.src for e in d.inputs_of(a2)] == [INPUT]


def two_convs(first: str, second: str):
    """A design of two 4-channel convs named ``first`` and ``second``, and its history."""
    b = Builder("t", input_shape=(3, 8, 8))
    b.add("conv", first, out_channels=4)
    b.add("conv", second, out_channels=4)
    d = b.build()
    return d, History(d)


def test_copy_paste_makes_fresh_ids_and_names():
    d, h = two_convs("a", "b")
    h.push(paste_blocks(d, copy_blocks(d, ["a", "b"])))
    assert len(d.nodes) == 4 and len({n.name for n in d.nodes.values()}) == 4
    new = [n for n in d.nodes if n not in ("a", "b")]
    assert [(e.src, e.dst) for e in d.edges if e.dst in new] == [(new[0], new[1])]
    h.undo()
    assert list(d.nodes) == ["a", "b"]


def test_added_and_pasted_blocks_never_take_a_name_in_use():
    d, h = two_convs("a", "a_2")
    h.push(add_block(d, "conv", {"out_channels": 4}, after="a_2", name="a"))
    h.push(paste_blocks(d, copy_blocks(d, ["a", "a_2"])))
    clipboard = copy_blocks(d, ["a"])
    clipboard["nodes"] = [dict(clipboard["nodes"][0], id=i, name=name)
                          for i, name in (("x", "a"), ("y", "a"), ("z", "  "))]
    h.push(paste_blocks(d, clipboard))
    names = [n.name for n in d.nodes.values()]
    assert names == ["a", "a_2", "a2", "a_3", "a_2_2", "a_4", "a_5", "conv"]
    assert not [p for p in analyze(d).problems if p.field == "name"]


def test_a_numbered_default_name_counts_on_and_the_builder_refuses_a_repeat():
    b = Builder("t", (3, 32, 32))
    b.add("conv", "conv1", out_channels=8)
    b.add("conv", "fire9", out_channels=8)
    d = b.build()
    assert d.unique_name("conv1") == "conv2" and d.unique_name("fire9") == "fire10"
    h = History(d)
    h.push(add_block(d, "conv", {"out_channels": 4}))
    assert [n.name for n in d.nodes.values()][-1] == "conv2"
    with pytest.raises(ValueError, match="'conv1' is already built"):
        b.add("conv", "conv1", out_channels=8)
