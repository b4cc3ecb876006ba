"""An invalid block whose output shape does not depend on its faulty field leaves the rest of the
design its numbers: the totals leave out only that block, and say they are partial."""
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset


def test_resnet18_with_an_illegal_groups_count_early_keeps_every_later_block():
    design = load_preset("resnet18_layers")
    full = analyze(design)
    conv = design.node_by_name("layer1.0.conv1")
    design.set_param(conv.id, "groups", 3)
    a = analyze(design)
    (problem,) = a.problems
    assert (problem.node_name, problem.field) == ("layer1.0.conv1", "groups")
    bad = a.block(conv.id)
    assert not bad.ok and bad.macs == bad.params == 0
    assert bad.output_shape == full.block(conv.id).output_shape == (64, 56, 56)
    assert a.invalid_blocks == 1
    others = [b for b in a.blocks if b.node_id != conv.id]
    assert all(b.ok for b in others)
    assert [(b.params, b.macs) for b in others] == \
        [(full.block(b.node_id).params, full.block(b.node_id).macs) for b in others]
    assert a.macs == full.macs - full.block(conv.id).macs == 1_814_073_344 - 115_605_504
    assert a.params == full.params - full.block(conv.id).params
    assert a.output_shape == (1000,)
    assert a.peak_activation_bytes > 0 and len(a.memory_live) < len(full.memory_live)


def test_an_error_that_leaves_no_shape_still_stops_the_blocks_after_it():
    b = Builder("t", input_shape=(3, 32, 32))
    b.add("conv", "c1", out_channels=16)
    b.add("conv", "c2", out_channels=32, stride=2, kernel=7, padding=0)
    b.add("gap", "pool")
    design = b.build()
    design.rho = 0.1
    a = analyze(design)
    assert a.block("c2").output_shape is None
    assert "waits for 'c2'" in a.block("pool").error
    assert a.invalid_blocks == 2 and len(a.problems) == 1


def test_a_faulty_channel_count_does_not_guess_a_shape():
    b = Builder("t", input_shape=(3, 32, 32))
    b.add("conv", "c1", out_channels=16)
    b.add("gap", "pool")
    design = b.build()
    design.nodes["c1"].params["out_channels"] = 0
    a = analyze(design)
    assert [p.field for p in a.problems] == ["out_channels"]
    assert a.block("c1").output_shape is None and not a.block("pool").ok
