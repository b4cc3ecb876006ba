"""What the charts say when nothing can be counted, and how they keep peaks with more bars than
pixels."""
from designer.core.analysis import analyze
from designer.core.decimate import decimate
from designer.core.design import Design
from designer.core.presets import load_preset
from designer.core.problems import uncounted_reason


def test_an_empty_design_says_what_to_do():
    assert uncounted_reason(Design(), analyze(Design())) == \
        "Nothing to count yet: drag a block from the palette onto the canvas."


def test_groups_on_mobilenet_v2s_first_conv_says_why_nothing_is_counted():
    """Issue 12: groups=2 on the first conv (3 input channels) blanked both charts."""
    design = load_preset("mobilenet_v2")
    first = next(iter(design.nodes))
    design.nodes[first].params["groups"] = 2
    analysis = analyze(design)
    assert not any(b.ok for b in analysis.blocks)
    (root,) = analysis.problems
    assert (root.node_name, root.field) == ("conv1", "groups")
    assert uncounted_reason(design, analysis) == \
        f"Nothing can be counted: conv1.groups: {root.message}; 21 blocks wait on it."


def test_a_counted_design_has_no_reason():
    design = load_preset("resnet18_layers")
    assert uncounted_reason(design, analyze(design)) is None


def test_decimation_keeps_every_peak_and_covers_every_block():
    values = [1.0] * 1000
    values[517] = 50.0
    buckets = decimate(values, 300)
    assert len(buckets) == 300
    assert [i for b in buckets for i in range(b.start, b.stop)] == list(range(1000))
    assert any(b.peak == 517 for b in buckets)
    assert [b.peak for b in decimate([3.0, 1.0, 2.0], 10)] == [0, 1, 2]
    assert decimate([], 10) == []
