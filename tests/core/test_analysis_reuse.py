"""An analysis given the previous one (``analyze(design, previous)``, as the document runs an α
or ρ tick) takes over what did not change, and is always equal to a fresh analysis: after α, ρ
and dtype ticks, and after edits made behind its back (edges, names, kinds and parameters
changed in place, without events), which must never be answered from the old wiring."""
import copy
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.core.analysis import analyze
from designer.core.builder import generated_chain, generated_dense
from designer.core.design import DTYPES, INPUT, Edge
from designer.core.presets import load_preset
from tests.core.test_edit_fuzz import designs


def same_as_fresh(design, previous):
    a = analyze(design, previous)
    fresh = analyze(copy.deepcopy(design))
    assert a == fresh
    assert a.to_dict() == fresh.to_dict()
    assert a.memory_timeline == fresh.memory_timeline
    return a


def test_a_tick_that_keeps_the_widths_takes_every_block_and_the_memory_over():
    design = generated_chain(40)
    design.alpha = 0.51
    before = analyze(design)
    design.alpha = 0.52                         # 32 channels round to 16 at both
    after = same_as_fresh(design, before)
    assert all(a is b for a, b in zip(after.blocks, before.blocks))
    assert after.memory_live is before.memory_live
    assert after.alpha == 0.52


def test_a_tick_that_changes_the_widths_counts_them_anew():
    design = generated_chain(40)
    design.alpha = 0.5
    before = analyze(design)
    design.alpha = 1.0
    after = same_as_fresh(design, before)
    assert after.macs > before.macs
    assert not any(a is b for a, b in zip(after.blocks[1:], before.blocks[1:]))


def test_a_block_whose_inputs_read_as_before_is_taken_over_after_a_wider_one():
    design = load_preset("googlenet")
    design.alpha = 0.51
    before = analyze(design)
    design.alpha = 0.52                          # some widths round up, others do not
    after = same_as_fresh(design, before)
    kept = [a for a, b in zip(after.blocks, before.blocks) if a is b]
    assert 0 < len(kept) < len(after.blocks)
    fed_by_a_changed_block = [
        a for a in kept if any(after.block(e.src) is not before.block(e.src)
                               for e in design.edges if e.dst == a.node_id and e.src != INPUT)]
    assert fed_by_a_changed_block             # its feeder changed, but not what it reads


def test_alpha_rho_and_dtype_sweeps_equal_fresh_analyses():
    for design in (load_preset("googlenet"), load_preset("mobilenet_v2"), generated_dense(60)):
        previous = analyze(design)
        for alpha, rho, dtype in [(0.5, 1.0, "fp32"), (0.51, 1.0, "fp32"), (0.51, 0.75, "fp32"),
                                  (0.51, 0.75, "fp16"), (0.75, 0.75, "fp16"), (1.0, 1.0, "int8")]:
            design.alpha, design.rho, design.dtype = alpha, rho, dtype
            previous = same_as_fresh(design, previous)


def test_edits_made_in_place_without_events_are_seen():
    design = generated_chain(12)
    ids = list(design.nodes)
    previous = analyze(design)

    design.nodes[ids[5]].params["out_channels"] = 48             # a width
    previous = same_as_fresh(design, previous)
    assert previous.block(ids[5]).output_shape[0] == 48

    design.nodes[ids[3]].params["kernel"] = 5                     # same shape, wider field
    fire = previous.block(ids[4])
    previous = same_as_fresh(design, previous)
    assert previous.block(ids[4]).output_shape == fire.output_shape
    assert previous.block(ids[4]).field.size == fire.field.size + 2

    design.nodes[ids[3]].name = "renamed"                         # a name
    previous = same_as_fresh(design, previous)
    assert previous.block(ids[3]).name == "renamed"

    design.edges[:] = [e for e in design.edges if e.dst != ids[7]]   # a wire cut
    previous = same_as_fresh(design, previous)
    assert not previous.block(ids[7]).ok and not previous.ok

    design.edges.append(Edge(ids[6], ids[7]))                     # and wired back
    previous = same_as_fresh(design, previous)
    assert previous.ok

    design.edges[design.edges.index(Edge(ids[6], ids[7]))] = Edge(ids[4], ids[7])  # re-wired
    previous = same_as_fresh(design, previous)

    design.nodes[ids[2]].kind = "dwconv"                          # a kind
    design.nodes[ids[2]].params = {}
    previous = same_as_fresh(design, previous)
    assert previous.block(ids[2]).kind == "dwconv"

    design.nodes[ids[8]].width = "fixed"                          # a width rule
    design.alpha = 0.5
    previous = same_as_fresh(design, previous)
    assert previous.block(ids[8]).output_shape[0] == 32            # fire: 16 + 16, unscaled

    design.input_shape = (3, 40, 40)                              # the image
    previous = same_as_fresh(design, previous)

    design.nodes[ids[5]].params["out_channels"] = 0               # an error, then mended
    previous = same_as_fresh(design, previous)
    assert not previous.ok
    design.nodes[ids[5]].params["out_channels"] = 48
    same_as_fresh(design, previous)


def test_an_input_node_swap_of_two_ports_is_seen():
    design = load_preset("googlenet")
    previous = analyze(design)
    concat = next(n for n in design.nodes.values() if n.kind == "concat")
    ports = [i for i, e in enumerate(design.edges) if e.dst == concat.id]
    a, b = ports[:2]
    ea, eb = design.edges[a], design.edges[b]
    design.edges[a], design.edges[b] = replace(ea, port=eb.port), replace(eb, port=ea.port)
    after = same_as_fresh(design, previous)
    assert after.block(concat.id).input_shapes != previous.block(concat.id).input_shapes


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(design=designs(), data=st.data())
def test_random_designs_and_in_place_edits_equal_fresh_analyses(design, data):
    previous = analyze(design)
    for _ in range(4):
        ids = list(design.nodes)
        edit = data.draw(st.sampled_from(["alpha", "rho", "dtype", "param", "edge", "none"]))
        if edit == "alpha":
            design.alpha = data.draw(st.sampled_from([0.25, 0.26, 0.5, 1.0, 1.4]))
        elif edit == "rho":
            design.rho = data.draw(st.sampled_from([0.5, 1.0, 1.5]))
        elif edit == "dtype":
            design.dtype = data.draw(st.sampled_from(sorted(DTYPES)))
        elif edit == "param" and ids:
            node = design.nodes[data.draw(st.sampled_from(ids))]
            if node.params:
                key = data.draw(st.sampled_from(sorted(node.params)))
                if isinstance(node.params[key], int) and not isinstance(node.params[key], bool):
                    node.params[key] = data.draw(st.integers(0, 40))
        elif edit == "edge" and ids and design.edges:
            i = data.draw(st.integers(0, len(design.edges) - 1))
            src = data.draw(st.sampled_from([INPUT, *ids]))
            design.edges[i] = replace(design.edges[i], src=src)
        previous = same_as_fresh(design, previous)


def test_a_tick_that_changes_every_width_keeps_the_memory_plan_and_equals_fresh():
    """128 channels, floor rounding: every 0.01 of α changes every block's widths, and an
    inverted residual's skip comes and goes (its fire input rounds apart from its output)."""
    design = generated_chain(24, channels=128)
    design.rounding = "floor"
    design.alpha = 0.5
    previous = analyze(design)
    plans = []
    for alpha in (0.51, 0.52, 0.53, 0.52, 0.51, 0.5, 0.75, 1.2):
        design.alpha = alpha
        after = same_as_fresh(design, previous)
        assert not any(a is b for a, b in zip(after.blocks, previous.blocks))
        plans.append(after.reuse.memory_plans[0])
        previous = after
    assert len({id(p) for p in plans}) < len(plans)       # a plan was taken over
    assert plans[4] is plans[0]                           # 0.51 again: its plan again


def test_a_memory_plan_is_not_taken_over_by_a_changed_structure():
    design = generated_chain(12)
    ids = list(design.nodes)
    previous = analyze(design)
    design.nodes[ids[1]].params["expansion"] = 1          # an ir loses its expand conv
    previous = same_as_fresh(design, previous)
    design.nodes[ids[4]].name = "renamed"                 # a name in the step names
    previous = same_as_fresh(design, previous)
    design.alpha = 0.5
    previous = same_as_fresh(design, previous)
    design.nodes[ids[1]].params["expansion"] = 6
    design.dtype = "fp16"
    same_as_fresh(design, previous)


def test_a_cost_built_without_its_init_equals_one_built_with_it():
    from designer.core.analysis import BlockCost
    for cost in analyze(load_preset("googlenet")).blocks:
        values = [getattr(cost, f) for f in cost.__dataclass_fields__]
        built = BlockCost(*values)
        assert cost == built and vars(cost) == vars(built) and hash(cost) == hash(built)
