"""Inserting where the eye is: after the selected block (re-wiring what it fed, pushing the blocks
below down) and on a wire (splicing the block in); each one undo step that undoes exactly."""
from designer.core import io
from designer.core.analysis import analyze
from designer.core.design import Edge
from designer.core.editing import ROW, insert_after, splice
from designer.core.layered import Box, overlapping
from designer.core.layout import NODE_HEIGHT, NODE_WIDTH
from designer.core.presets import load_preset


def test_insert_after_rewires_every_successor_and_pushes_the_rest_down():
    design = load_preset("resnet18_layers")
    before = io.to_dict(design)
    old_layout = dict(design.layout)
    command = insert_after(design, "conv", {"out_channels": 64, "padding": 1}, "maxpool")
    command.do(design)
    new = command.commands[1].node.id
    assert design.inputs_of(new) == [Edge("maxpool", new, 0)]
    assert {(e.dst, e.port) for e in design.consumers_of(new)} == {("layer1.0.conv1", 0),
                                                                  ("layer1.0.add", 1)}
    assert design.consumers_of("maxpool") == [Edge("maxpool", new, 0)]
    assert analyze(design).ok
    mx, my = old_layout["maxpool"]
    assert design.layout[new] == (mx, my + ROW)
    for nid, (x, y) in old_layout.items():
        expected = (x, y + ROW) if y > my else (x, y)
        assert design.layout[nid] == expected, nid
    boxes = {n: Box(x - NODE_WIDTH / 2, y, NODE_WIDTH, NODE_HEIGHT)
             for n, (x, y) in design.layout.items()}
    assert overlapping(boxes) == [], "the new block hides none"
    command.undo(design)
    assert io.to_dict(design) == before


def test_inserting_after_the_last_block_leaves_nothing_dangling():
    design = load_preset("mobilenet_v2")
    last = list(design.nodes)[-1]
    command = insert_after(design, "linear", {"out_features": 10}, last)
    command.do(design)
    problems = analyze(design).problems
    assert not problems
    command.undo(design)
    assert not analyze(design).problems


def test_splice_puts_the_block_on_the_wire_at_the_drop_point():
    design = load_preset("googlenet")
    before = io.to_dict(design)
    wire = Edge("inception3a.branch3b", "inception3a", 2)
    command = splice(design, "conv", {"out_channels": 32, "padding": 1}, wire, (15.0, 25.0))
    command.do(design)
    new = command.commands[0].node.id
    assert wire not in design.edges
    assert Edge("inception3a.branch3b", new, 0) in design.edges
    assert Edge(new, "inception3a", 2) in design.edges
    assert design.layout[new] == (15.0, 25.0)
    assert analyze(design).ok
    command.undo(design)
    assert io.to_dict(design) == before


def test_a_block_spliced_into_a_short_wire_pushes_the_blocks_below_down_and_hides_none():
    """Dropped on the wire between two stacked blocks, the new block takes the row under the
    source and the blocks below it move down just enough: it hides none of them."""
    design = load_preset("mobilenet_v2")
    old_layout = dict(design.layout)
    sx, sy = old_layout["block3"]
    drop = (sx, sy + NODE_HEIGHT + 12.0)
    command = splice(design, "add", None, Edge("block3", "block4", 0), drop)
    command.do(design)
    new = command.commands[0].node.id
    assert design.layout[new] == (sx, sy + ROW)
    boxes = {n: Box(x - NODE_WIDTH / 2, y, NODE_WIDTH, NODE_HEIGHT)
             for n, (x, y) in design.layout.items()}
    assert overlapping(boxes) == [], "the spliced block hides none"
    for nid, (x, y) in old_layout.items():
        assert design.layout[nid][1] >= y and design.layout[nid][0] == x, nid
        if y <= sy:
            assert design.layout[nid] == (x, y), f"{nid} above the wire stays"
    command.undo(design)
    assert design.layout == old_layout


def test_a_block_spliced_right_under_its_source_keeps_a_wire_gap_from_it():
    """Dropped on the wire just below the source's port, the new block goes down to one gap
    below the source: squeezed closer, the wire between them looped out around the side."""
    design = load_preset("mobilenet_v2")
    sx, sy = design.layout["block3"]
    command = splice(design, "maxpool", None, Edge("block3", "block4", 0),
                     (sx, sy + NODE_HEIGHT + 4.0))
    command.do(design)
    new = command.commands[0].node.id
    assert design.layout[new] == (sx, sy + ROW)
    assert design.layout["block4"][1] >= sy + 2 * ROW
