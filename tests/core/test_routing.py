"""Wires after blocks are moved by hand: the ones nothing moved keep their layered route, the
others are routed again around the boxes in the way; none passes through a box but its own."""
import pytest

from designer.core.layered import Box, segments_cross_box
from designer.core.layout import design_drawing
from designer.core.presets import load_preset
from designer.core.routing import boxes_at, drawing_at, route_wire


def clear(drawing):
    for w in drawing.wires:
        for nid, box in drawing.boxes.items():
            if nid not in (w.src, w.dst):
                assert not segments_cross_box(w.points, box), f"{w.src}->{w.dst} crosses {nid}"


def test_untouched_wires_keep_their_route_and_moved_ones_go_around():
    design = load_preset("resnet18_layers")
    reference = design_drawing(design)
    boxes = dict(reference.boxes)
    conv = boxes["layer1.0.conv1"]
    boxes["layer1.0.conv1"] = Box(conv.x + 500, conv.y + 30, conv.width, conv.height)
    drawing = drawing_at(design, boxes, reference)
    clear(drawing)
    same = {(w.src, w.dst, w.port): w for w in reference.wires}
    for w in drawing.wires:
        if "layer1.0.conv1" not in (w.src, w.dst):
            assert w is same[(w.src, w.dst, w.port)]
    assert len(drawing.wires) == len(design.edges)


def test_a_block_dropped_on_a_wire_pushes_only_that_wire_aside():
    design = load_preset("resnet18_layers")
    reference = design_drawing(design)
    boxes = dict(reference.boxes)
    skip = next(w for w in reference.wires if (w.src, w.dst) == ("maxpool", "layer1.0.add"))
    x = max(p[0] for p in skip.points)
    conv2 = boxes["layer1.1.conv1"]
    boxes["layer1.1.conv1"] = Box(x - 20, boxes["layer1.0.conv2"].y, conv2.width, conv2.height)
    drawing = drawing_at(design, boxes, reference)
    clear(drawing)


@pytest.mark.parametrize("dy", [300.0, 40.0, -200.0])
def test_route_wire_goes_around_a_box_in_the_way(dy):
    a = Box(0, 0, 210, 74)
    b = Box(0, 74 + dy, 210, 74) if dy > 0 else Box(300, dy, 210, 74)
    wall = Box(-50, 100, 310, 74) if dy == 300.0 else Box(600, 600, 10, 10)
    points = route_wire(a, b, [wall])
    assert points[0] == (105.0, 74.0) and points[-1] == (b.centre_x, b.y)
    assert not segments_cross_box(points, wall)


def test_positions_become_boxes_by_centre_and_top():
    assert boxes_at({"a": (100.0, 20.0)}, {"a": 90.0}) == {"a": Box(-5.0, 20.0, 210.0, 90.0)}


def test_a_wire_between_blocks_that_did_not_move_keeps_its_route_when_another_moves_away():
    design = load_preset("googlenet")
    reference = design_drawing(design)
    boxes = dict(reference.boxes)
    far = boxes["fc"]
    boxes["fc"] = Box(far.x + 2000, far.y, far.width, far.height)
    drawing = drawing_at(design, boxes, reference)
    kept = sum(w in reference.wires for w in drawing.wires)
    assert kept == len(design.edges) - 1
    clear(drawing)
