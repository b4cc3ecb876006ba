"""The problems list: root causes told from the blocks only waiting on them, each message whole
with the shapes of the inputs and where they come from."""
from hypothesis import HealthCheck, given, settings

from designer.core.analysis import analyze
from designer.core.design import INPUT, Design, Edge, Node
from designer.core.presets import load_preset
from designer.core.problems import problem_items, waiting_on
from tests.core.test_edit_fuzz import designs


def test_one_stride_mistake_in_resnet18_is_one_root_and_nineteen_waiting():
    design = load_preset("resnet18_layers")
    design.nodes["layer2.0.conv1"].params["stride"] = 1
    analysis = analyze(design)
    items = problem_items(design, analysis)
    roots = [i for i in items if i.root]
    waiting = [i for i in items if not i.root]
    assert [(i.name, i.field) for i in roots] == [("layer2.0.add", None)]
    assert roots[0].text == ("layer2.0.add: add needs inputs of one shape, got 128×56×56, "
                             "128×28×28 (inputs: port 0 from layer2.0.conv2: 128×56×56, port 1 "
                             "from layer2.0.downsample: 128×28×28)")
    assert len(waiting) == 19 == sum(not b.ok for b in analysis.blocks) - 1
    assert all(i.waiting_on == ("layer2.0.add",) for i in waiting)
    assert waiting[-1].text == "fc: waiting on layer2.0.add"
    assert waiting_on(design, analysis)["layer4.0.downsample"] == "layer2.0.add"


def test_a_block_waiting_on_two_roots_names_both():
    design = Design()
    for nid, kind, params in (("a", "conv", {"out_channels": 0}), ("b", "conv", {"kernel": 0}),
                              ("cat", "concat", {}), ("fc", "gap", {})):
        design.nodes[nid] = Node(nid, kind, params, nid.upper())
    design.edges = [Edge(INPUT, "a"), Edge(INPUT, "b"), Edge("a", "cat"), Edge("b", "cat", 1),
                    Edge("cat", "fc")]
    items = problem_items(design, analyze(design))
    roots = [(i.name, i.field) for i in items if i.root]
    assert roots == [("A", "out_channels"), ("B", "kernel")]
    assert [i.text for i in items if not i.root] == ["CAT: waiting on A, B", "FC: waiting on A, B"]


def test_a_root_with_a_field_is_placed_at_the_field():
    design = load_preset("mobilenet_v2")
    first = next(iter(design.nodes))
    design.nodes[first].params["groups"] = 2
    items = problem_items(design, analyze(design))
    root = next(i for i in items if i.root)
    assert root.node_id == first and root.field == "groups"
    assert root.text.startswith(f"{design.nodes[first].name}.groups: ")


def test_a_valid_design_has_no_problems():
    design = load_preset("googlenet")
    analysis = analyze(design)
    assert problem_items(design, analysis) == [] and waiting_on(design, analysis) == {}


def test_a_block_left_dangling_mid_chain_is_the_one_used_by_nothing():
    """Issue 12: a block added after conv3 and not wired on was taken for the output, so the
    classifier was blamed."""
    design = load_preset("mobilenet_v2")
    first = next(iter(design.nodes))
    design.nodes["extra"] = Node("extra", "conv", {"out_channels": 8}, "extra")
    design.edges.append(Edge(first, "extra"))
    analysis = analyze(design)
    assert [(p.node_name, p.message.split(":")[0]) for p in analysis.problems] == \
        [("extra", "its output is used by nothing")]
    assert analysis.output_shape == (1000,)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(design=designs())
def test_an_analysis_without_problems_has_no_problem_items(design):
    """The problems panel and the canvas skip problem_items when the analysis reports none."""
    a = analyze(design)
    if not a.problems:
        assert problem_items(design, a) == []
