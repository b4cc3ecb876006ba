"""Groups from dotted names and from the design's own list; collapsing is view state saved with
the file, keeping every total; the layout draws a collapsed group as one box."""
import json

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.groups import (
    GROUP_PREFIX,
    collapsed_names,
    design_groups,
    group_cost,
    shown_collapsed,
)
from designer.core.layered import overlapping, segments_cross_box
from designer.core.layout import design_drawing
from designer.core.presets import load_preset


def test_dotted_prefixes_make_nested_groups():
    groups = design_groups(load_preset("resnet18_layers"))
    assert set(groups) == {"layer1", "layer2", "layer3", "layer4", "layer1.0", "layer1.1",
                           "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1"}
    assert groups["layer2.0"].members == ("layer2.0.conv1", "layer2.0.conv2",
                                          "layer2.0.downsample", "layer2.0.add")
    assert groups["layer2.0"].parent == "layer2" and groups["layer2"].parent is None


def test_a_block_named_like_its_scope_belongs_to_it():
    groups = design_groups(load_preset("googlenet"))
    assert len(groups) == 9
    assert groups["inception3a"].members[-1] == "inception3a"          # the concat
    assert len(groups["inception3a"].members) == 8


def test_a_group_with_the_members_of_a_larger_one_is_left_out():
    design = load_preset("resnet18_layers")
    for nid in [n for n in design.nodes if n.startswith("layer1.1")]:
        del design.nodes[nid]
    assert "layer1.0" not in design_groups(design) and "layer1" in design_groups(design)


def test_named_groups_and_their_summed_cost():
    design = load_preset("mobilenet_v2")
    first_three = list(design.nodes)[:3]
    design.groups = {"stem": first_three + ["no such block"]}
    analysis = analyze(design)
    group = design_groups(design)["stem"]
    assert group.explicit and group.members == tuple(first_three)
    cost = group_cost(group, analysis)
    blocks = [analysis.block(n) for n in first_three]
    assert (cost.params, cost.macs, cost.other_ops) == (sum(b.params for b in blocks),
                                                       sum(b.macs for b in blocks),
                                                       sum(b.other_ops for b in blocks))
    assert cost.blocks == 3 and cost.invalid == 0


def test_collapsing_changes_no_total_and_draws_one_box():
    design = load_preset("googlenet")
    before = analyze(design).to_dict()
    design.view = {"collapsed": ["inception3a", "inception4a", "gone"]}
    assert analyze(design).to_dict() == before
    shown = shown_collapsed(design)
    assert set(shown) == {GROUP_PREFIX + "inception3a", GROUP_PREFIX + "inception4a"}
    drawing = design_drawing(design, collapsed=shown)
    assert len(drawing.boxes) == 1 + len(design.nodes) - 16 + 2
    assert overlapping(drawing.boxes) == []
    for w in drawing.wires:
        for nid, box in drawing.boxes.items():
            if nid not in (w.src, w.dst):
                assert not segments_cross_box(w.points, box)


def test_a_collapsed_group_inside_a_collapsed_one_is_part_of_the_outer_box():
    design = load_preset("resnet18_layers")
    shown = shown_collapsed(design, ["layer1.0", "layer1"])
    assert list(shown) == [GROUP_PREFIX + "layer1"] and len(shown[GROUP_PREFIX + "layer1"]) == 6


def test_groups_and_collapsed_state_round_trip_and_old_files_still_open(tmp_path):
    design = load_preset("resnet18_layers")
    design.groups = {"head": ["avgpool", "fc"]}
    design.view = {"collapsed": ["layer2", "head"]}
    io.save(design, tmp_path / "r.json")
    back = io.load(tmp_path / "r.json")
    assert back.groups == design.groups and collapsed_names(back) == ["layer2", "head"]
    assert io.to_dict(back) == io.to_dict(design)
    data = json.loads((tmp_path / "r.json").read_text())
    del data["groups"], data["view"]
    old = io.from_dict(data)
    assert old.groups == {} and collapsed_names(old) == []
    assert "groups" not in io.to_dict(old) and "view" not in io.to_dict(old)


@pytest.mark.parametrize("patch, place", [
    ({"groups": {"g": "conv1"}}, "groups.g"),
    ({"groups": {"g": [1, 2]}}, "groups.g"),
    ({"groups": []}, "groups"),
    ({"view": {"collapsed": "layer1"}}, "view.collapsed"),
    ({"view": []}, "view"),
])
def test_bad_groups_or_view_name_the_place(patch, place):
    data = io.to_dict(load_preset("resnet18_layers"))
    data.update(patch)
    with pytest.raises(io.DesignFileError) as err:
        io.from_dict(data, "f.json")
    assert err.value.place == place


def test_the_input_position_is_saved_with_the_layout(tmp_path):
    design = load_preset("vgg16")
    design.layout["input"] = (12.5, -40.0)
    io.save(design, tmp_path / "v.json")
    assert io.load(tmp_path / "v.json").layout["input"] == (12.5, -40.0)
