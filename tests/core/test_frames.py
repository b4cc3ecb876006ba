"""Frames around expanded groups (issue 12), checked geometrically on the layered layout: each
expanded group's frame holds exactly its own boxes (every one inside, no other box touching
it), nested groups nest, a collapsed group's frame goes (and frames holding it hold its box),
and a group with another block moved in among its boxes gets no frame rather than a wrong one."""
import pytest

from designer.core.builder import generated_dense
from designer.core.frames import LABEL, PAD, group_frames, overlaps
from designer.core.groups import GROUP_PREFIX, design_groups, shown_collapsed
from designer.core.layered import Box
from designer.core.layout import design_drawing
from designer.core.presets import load_preset


def inside(box: Box, frame: Box) -> bool:
    return (frame.x <= box.x and box.x + box.width <= frame.x + frame.width
            and frame.y <= box.y and box.y + box.height <= frame.y + frame.height)


def check(design, boxes, collapsed=None):
    """Every frame holds exactly its members' boxes; returns the frames by name."""
    frames = group_frames(design, boxes, collapsed)
    for f in frames:
        held = {nid for nid, b in boxes.items() if overlaps(b, f.box)}
        assert held == set(f.members), f.name
        assert all(inside(boxes[m], f.box) for m in f.members), f.name
    return {f.name: f for f in frames}


@pytest.mark.parametrize("name", ["resnet18_layers", "googlenet", "efficientnet_b0",
                                  "shufflenet_v2_x1_0"])
def test_every_expanded_group_of_a_preset_is_framed_around_exactly_its_boxes(name):
    design = load_preset(name)
    frames = check(design, design_drawing(design).boxes)
    assert set(frames) == set(design_groups(design))


def test_resnet18s_blocks_nest_in_their_layers_with_room_for_labels():
    design = load_preset("resnet18_layers")
    boxes = design_drawing(design).boxes
    frames = check(design, boxes)
    layer, unit = frames["layer1"], frames["layer1.0"]
    assert (layer.depth, unit.depth) == (0, 1) and (layer.holds, unit.holds) == (1, 0)
    assert inside(unit.box, layer.box)
    assert set(unit.members) == {n for n in design.nodes if n.startswith("layer1.0.")}
    conv1 = boxes["layer1.0.conv1"]
    assert conv1.x - unit.x == PAD and conv1.y - unit.y == PAD + LABEL  # nothing in the way


def test_a_collapsed_group_loses_its_frame_and_its_box_stays_in_the_frame_around_it():
    design = load_preset("resnet18_layers")
    collapsed = shown_collapsed(design, ["layer1.0"])
    drawing = design_drawing(design, collapsed=collapsed)
    frames = check(design, drawing.boxes, collapsed)
    assert "layer1.0" not in frames
    assert GROUP_PREFIX + "layer1.0" in frames["layer1"].members
    collapsed = shown_collapsed(design, ["layer1"])
    frames = check(design, design_drawing(design, collapsed=collapsed).boxes, collapsed)
    assert not {"layer1", "layer1.0", "layer1.1"} & set(frames)


def test_a_frame_gives_way_to_a_block_close_by_and_none_is_drawn_around_a_stranger():
    design = load_preset("googlenet")
    boxes = dict(design_drawing(design).boxes)
    frame = check(design, boxes)["inception3a"]
    # a block moved in just beside the group: the frame pulls in on that side, still holding all
    right = frame.x + frame.width
    boxes["conv2"] = Box(right - 4, frame.y + 40, 100, 50)
    moved = check(design, boxes)["inception3a"]
    assert moved.x + moved.width <= right - 4
    # a block moved in among the group's boxes: no rectangle could hold them without it
    first = boxes["inception3a.branch1"]
    boxes["conv2"] = Box(first.x, first.y + first.height + 2, 10, 10)
    assert "inception3a" not in check(design, boxes)


def test_dense_generated_design_frames_hold_exactly_their_boxes():
    design = generated_dense(120)
    check(design, design_drawing(design).boxes)
