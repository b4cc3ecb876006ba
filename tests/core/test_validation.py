"""Illegal designs give errors that name the block and the field; the rest is still analysed."""
from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.design import Edge


def chain():
    b = Builder("t", input_shape=(3, 32, 32))
    b.add("conv", "c1", out_channels=16)
    b.add("conv", "c2", out_channels=32, stride=2)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_groups_not_dividing_channels():
    d = chain()
    d.nodes["c2"].params["groups"] = 3
    a = analyze(d)
    p = only(a.problems)
    assert (p.node_name, p.field) == ("c2", "groups")
    assert "c2" in str(p) and "groups" in str(p)
    assert a.block("c1").ok and a.block("c1").macs > 0
    # groups does not change c2's output shape, so the blocks after it keep their numbers; the
    # totals leave c2 out and say so
    assert not a.block("c2").ok and a.block("c2").macs == 0
    assert a.block("c2").output_shape == (32, 16, 16)
    assert a.block("fc").ok and a.block("fc").macs == 32 * 10
    assert a.macs == sum(a.block(n).macs for n in ("c1", "pool", "fc")) and a.invalid_blocks == 1


def test_small_rho_collapses_a_layer():
    d = chain()
    d.nodes["c2"].params["kernel"] = 7
    d.nodes["c2"].params["padding"] = 0
    d.rho = 0.1  # 32 -> 3 pixels, too small for a 7×7 kernel
    p = only(analyze(d).problems)
    assert p.node_name == "c2" and "no output" in p.message


def test_add_of_mismatched_shapes():
    b = Builder("t", input_shape=(3, 32, 32))
    a1 = b.add("conv", "a", out_channels=16)
    a2 = b.add("conv", "b", inputs="input", out_channels=8)
    b.add("add", "sum", inputs=[a1, a2])
    p = only(analyze(b.build()).problems)
    assert p.node_name == "sum" and "16×32×32" in p.message and "8×32×32" in p.message


def test_cycle():
    d = chain()
    d.edges.append(Edge("c2", "c1", 1))
    d.nodes["c1"].kind = "add"
    d.nodes["c1"].params = {}
    a = analyze(d)
    assert {p.node_name for p in a.problems} >= {"c1", "c2"}
    assert all("cycle" in p.message for p in a.problems)


def test_dangling_input_and_unused_output():
    d = chain()
    d.edges = [e for e in d.edges if e.dst != "pool"]
    names = {p.node_name: p.message for p in analyze(d).problems}
    assert "no input" in names["pool"]
    assert "used by nothing" in names["c2"]


def test_bad_value_from_a_file_and_unknown_kind():
    d = chain()
    d.nodes["c1"].params["kernel"] = "three"
    d.nodes["fc"].kind = "transformer"
    a = analyze(d)
    located = {(p.node_name, p.field) for p in a.problems}
    assert ("c1", "kernel") in located and ("fc", "kind") in located


def test_wire_to_unknown_node_and_port_twice():
    d = chain()
    d.edges.append(Edge("ghost", "pool", 0))
    a = analyze(d)
    messages = [str(p) for p in a.problems]
    assert any("unknown node 'ghost'" in m for m in messages)
    assert any("wired twice" in m for m in messages)


def test_bad_settings_are_located():
    d = chain()
    d.alpha, d.dtype = 7, "fp8"
    fields = {p.field for p in analyze(d).problems}
    assert fields == {"alpha", "dtype"}


def test_a_duplicate_name_is_located_at_the_later_block_and_a_file_keeps_it():
    d = chain()
    d.nodes["fc"].name = "c1"
    a = analyze(d)
    p = only(a.problems)
    assert (p.node_id, p.node_name, p.field) == ("fc", "c1", "name")
    assert str(p) == ("block 'c1', field 'name': another block is already named 'c1': names must "
                      "be unique")
    assert a.block("fc").ok and a.block("c1").ok  # the costs stand; export waits for a new name
    again = analyze(io.loads(io.dumps(d)))
    assert [(p.node_id, p.field) for p in again.problems] == [("fc", "name")]
    d.nodes["c2"].name = " "
    assert [(p.node_id, p.field, p.message) for p in analyze(d).problems] == [
        ("c2", "name", "a block needs a name"), ("fc", "name", p.message)]


def test_the_name_rule_is_one_function_of_the_design():
    d = chain()
    assert d.name_fault("c1", "c1") is None and d.name_fault("c1", "fresh") is None
    assert d.name_fault("c1", "c2") == ("another block is already named 'c2': names must be "
                                        "unique")
    assert d.name_fault(None, "c1") is not None and d.name_fault("c1", "") == "a block needs a name"
