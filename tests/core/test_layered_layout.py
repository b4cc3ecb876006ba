"""The layered layout, checked geometrically: every wire drawn, none through a box other than its
own two, no two boxes overlapping, wires sampled finely on curves, branches in port order."""
import math

import pytest

from designer.core.builder import Builder, generated_dense
from designer.core.design import INPUT, Design, Edge, Node
from designer.core.layered import Box, layered_layout, overlapping, segments_cross_box
from designer.core.layout import NODE_HEIGHT, NODE_WIDTH, auto_layout, design_drawing
from designer.core.presets import load_preset


def designs():
    return {"resnet18": load_preset("resnet18_layers"), "googlenet": load_preset("googlenet"),
            "dense": generated_dense(60)}


def check_geometry(design: Design, drawing) -> None:
    boxes = drawing.boxes
    assert set(boxes) == {INPUT, *design.nodes}
    assert overlapping(boxes) == []
    assert sorted((w.src, w.dst, w.port) for w in drawing.wires) == \
        sorted((e.src, e.dst, e.port) for e in design.edges)
    for w in drawing.wires:
        src, dst = boxes[w.src], boxes[w.dst]
        assert w.points[0] == pytest.approx((src.centre_x, src.bottom))
        assert w.points[-1] == pytest.approx((dst.centre_x, dst.y))
        for nid, box in boxes.items():
            if nid not in (w.src, w.dst):
                assert not segments_cross_box(w.points, box), f"{w.src}->{w.dst} crosses {nid}"
        for (x0, y0), (x1, y1) in zip(w.points, w.points[1:]):
            assert y1 >= y0 - 1e-9, "wires run downwards"
            if abs(x1 - x0) > 0.5:
                assert math.dist((x0, y0), (x1, y1)) <= 8.0 + 1e-9, "curves sampled every 8 px"


@pytest.mark.parametrize("name", ["resnet18", "googlenet", "dense"])
def test_no_wire_crosses_a_box_and_no_boxes_overlap(name):
    design = designs()[name]
    check_geometry(design, design_drawing(design))


def test_the_generated_design_has_dense_concats_and_a_long_residual():
    design = generated_dense(60)
    widest = max(len(design.inputs_of(n)) for n in design.nodes)
    assert widest >= 4
    assert Edge("stem", "long_skip", 1) in design.edges
    boxes = design_drawing(design).boxes
    assert boxes["long_skip"].y - boxes["stem"].bottom > 20 * NODE_HEIGHT


def test_googlenet_branches_sit_side_by_side_in_port_order():
    design = load_preset("googlenet")
    boxes = design_drawing(design).boxes
    concats = [n for n in design.nodes.values() if n.kind == "concat"]
    assert len(concats) == 9
    for node in concats:
        xs = [boxes[e.src].centre_x for e in design.inputs_of(node.id)]
        assert xs == sorted(xs), node.name
        firsts = [n for n in design.nodes if n.startswith(node.name + ".branch")
                  and n[-1] in "1a"]
        tops = {boxes[n].y for n in firsts}
        assert len(tops) == 1, f"{node.name}: the branches start on one row"


def test_googlenet_stands_straight_each_module_under_the_one_before():
    """Each inception module centred under the concat above it, as dagre draws it: weighing all
    four branches alike (the first one's wire only lightly) put every concat half a column
    right of the one before, so the network ran down a diagonal 1,805 px wide."""
    design = load_preset("googlenet")
    boxes = design_drawing(design).boxes
    trunk = [boxes[n.id].centre_x for n in design.nodes.values()
             if n.kind == "concat" or n.name.startswith("maxpool")]
    assert max(trunk) - min(trunk) < 2 * NODE_WIDTH / 3
    left = min(b.x for b in boxes.values())
    right = max(b.x + b.width for b in boxes.values())
    assert right - left < 5 * NODE_WIDTH


def test_chains_are_straight_columns_and_skips_go_beside_them():
    design = load_preset("resnet18_layers")
    drawing = design_drawing(design)
    boxes = drawing.boxes
    assert boxes["layer1.0.conv1"].centre_x == pytest.approx(boxes["layer1.0.conv2"].centre_x)
    skip = next(w for w in drawing.wires if (w.src, w.dst) == ("maxpool", "layer1.0.add"))
    beside = max(x for x, _ in skip.points)
    assert beside >= boxes["layer1.0.conv1"].x + NODE_WIDTH + 10


def test_a_collapsed_group_is_one_box_with_the_wires_around_it():
    design = load_preset("googlenet")
    members = [n for n in design.nodes if n.startswith("inception3a")]
    drawing = design_drawing(design, collapsed={"group:inception3a": members})
    assert "group:inception3a" in drawing.boxes
    assert not set(members) & set(drawing.boxes)
    ends = {(w.src, w.dst) for w in drawing.wires}
    assert ("maxpool2", "group:inception3a") in ends
    assert ("group:inception3a", "inception3b.branch1") in ends
    assert not [w for w in drawing.wires if w.src == w.dst]
    assert overlapping(drawing.boxes) == []


def test_expanded_blocks_take_their_height():
    design = load_preset("resnet18_layers")
    drawing = design_drawing(design, heights={"conv1": 200.0})
    assert drawing.boxes["conv1"].height == 200.0
    assert drawing.boxes["maxpool"].y > drawing.boxes["conv1"].bottom
    check_geometry(design, drawing)


def test_cycles_self_loops_and_dangling_edges_still_draw():
    design = Design()
    for nid in ("a", "b", "c"):
        design.nodes[nid] = Node(nid, "conv", {}, nid)
    design.edges = [Edge(INPUT, "a"), Edge("a", "b"), Edge("b", "c"), Edge("c", "a", 1),
                    Edge("b", "b", 1), Edge("ghost", "c", 1)]
    drawing = design_drawing(design)
    assert overlapping(drawing.boxes) == []
    drawn = {(w.src, w.dst, w.port) for w in drawing.wires}
    assert drawn == {(INPUT, "a", 0), ("a", "b", 0), ("b", "c", 0), ("c", "a", 1), ("b", "b", 1)}
    back = next(w for w in drawing.wires if (w.src, w.dst) == ("c", "a"))
    assert back.points[0][1] > back.points[-1][1], "a wire closing a cycle runs upwards"


def test_auto_layout_places_every_block_by_centre_and_top():
    design = load_preset("mobilenet_v2")
    positions = auto_layout(design)
    boxes = design_drawing(design).boxes
    assert set(positions) == {INPUT, *design.nodes}
    for nid, (x, y) in positions.items():
        assert (x, y) == pytest.approx((boxes[nid].centre_x, boxes[nid].y), abs=0.05)


@pytest.mark.parametrize("name", ["googlenet", "resnet18_layers", "mobilenet_v2"])
def test_the_input_sits_at_x_0(name):
    """Files and ``diagram --json`` read from the input: GoogLeNet's stored layout had every
    block near x -2,190 (where the placement sweeps happened to end)."""
    design = load_preset(name)
    assert auto_layout(design)[INPUT][0] == 0.0
    assert design.layout[INPUT][0] == 0.0


def test_an_empty_design_is_its_input():
    drawing = design_drawing(Design())
    assert list(drawing.boxes) == [INPUT] and drawing.wires == ()


def test_geometry_helpers_find_what_they_should():
    box = Box(0, 0, 100, 50)
    assert segments_cross_box([(-10, 25), (110, 25)], box)
    assert not segments_cross_box([(-10, 60), (110, 60)], box)
    assert not segments_cross_box([(50, 50), (50, 90)], box), "touching the edge is not crossing"
    assert overlapping({"a": box, "b": Box(99, 49, 10, 10)}) == [("a", "b")]
    assert overlapping({"a": box, "b": Box(100, 0, 10, 10)}) == []


def test_a_thousand_blocks_lay_out_correctly():
    b = Builder("wide")
    b.add("conv", "stem")
    for i in range(499):
        b.add("conv", f"c{i}", inputs="stem" if i % 50 == 0 else None)
    drawing = layered_layout({n: (NODE_WIDTH, NODE_HEIGHT) for n in b.design.nodes},
                             [(e.src, e.dst, e.port) for e in b.design.edges])
    assert len(drawing.boxes) == 500 and overlapping(drawing.boxes) == []
