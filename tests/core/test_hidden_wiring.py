"""Which linear layers α scales is read from the wiring, in every design alike: a linear layer
whose output reaches another linear layer (through dropout, flatten, add and concat alone) is
hidden, and α scales it; linear layers an add sums share one answer; the classifier never scales. A head wired by hand, a preset rewired, undo and redo,
an old file whose flags predate its wiring, presets and imports all follow the one rule
(``designer.core.hidden_linears``), and at α = 1 nothing changes."""
import json

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.commands import History, RemoveEdge, RemoveNodes, SetNodeAttr
from designer.core.design import Edge, Node
from designer.core.editing import add_block
from designer.core.hidden_linears import hidden_linears, sync_hidden_linears
from designer.core.presets import PRESET_DIR, load_preset, names


def widths(design):
    """Each linear layer's output width, by name, as the analysis sees it."""
    return {b.name: b.output_shape[0] for b in analyze(design).blocks
            if b.kind == "linear" and b.ok}


def head():
    """A pooled feature map and two linear layers placed from the palette, not yet wired to
    each other: ``a`` is the design's classifier, ``b`` stands apart."""
    b = Builder("hand", (64, 7, 7))
    b.add("gap", "pool")
    b.add("linear", "a", out_features=256)
    d = b.build(alpha=0.5)
    return d, History(d)


def add(design, history, kind, name, after, **params):
    """A block placed from the palette and wired after ``after``, as the app does it."""
    command = add_block(design, kind, params, (0.0, 0.0), after=after, name=name)
    history.push(command)
    return command.node.id


def test_a_hand_wired_hidden_linear_scales_and_undo_takes_it_back():
    d, h = head()
    assert widths(d) == {"a": 256}                        # the classifier: never scaled
    drop = add(d, h, "dropout", "drop", "a")
    events = []
    d.subscribe(events.append)
    c = add(d, h, "linear", "classes", drop, out_features=10)   # wired on: a is hidden now
    assert d.nodes["a"].params["hidden"] is True and "a" in events[-1].nodes_changed
    assert widths(d) == {"a": 128, "classes": 10}
    h.undo()                                              # a is the classifier again
    assert d.nodes["a"].params["hidden"] is False and widths(d) == {"a": 256}
    h.redo()
    assert widths(d) == {"a": 128, "classes": 10}
    h.push(RemoveEdge(Edge(drop, c, 0)))               # unwired by hand
    assert widths(d)["a"] == 256
    h.undo()
    assert widths(d)["a"] == 128
    h.push(SetNodeAttr(c, "kind", "dropout"))             # the last layer is no linear now
    assert d.nodes["a"].params["hidden"] is False
    d.alpha = 1.0
    assert widths(d) == {"a": 256}


def test_a_rewired_preset_follows_its_wiring():
    """VGG16 with fc7 and fc8 deleted: fc6 makes the outputs now, and α leaves them be."""
    d = load_preset("vgg16")
    d.alpha = 0.5
    h = History(d)
    assert widths(d) == {"fc6": 2048, "fc7": 2048, "fc8": 1000}
    ids = [d.node_by_name(n).id for n in ("fc7", "fc8")]
    h.push(RemoveNodes(ids))
    assert widths(d) == {"fc6": 4096}
    h.undo()
    assert widths(d) == {"fc6": 2048, "fc7": 2048, "fc8": 1000}


def test_an_old_file_whose_flags_predate_its_wiring_opens_by_the_wiring(tmp_path):
    """A file saved before the rule applied to hand-wired designs: the hidden layer unflagged,
    the classifier flagged. It opens, analyses by the wiring, and saves the flags it follows."""
    d, h = head()
    add(d, h, "linear", "classes", "a", out_features=10)
    data = json.loads(io.dumps(d))
    for node in data["nodes"]:
        if node["kind"] == "linear":
            node["params"]["hidden"] = node["name"] == "classes"        # both wrong
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    opened = io.load(old)
    assert widths(opened) == {"a": 128, "classes": 10}
    again = tmp_path / "again.json"
    io.save(opened, again)
    flags = {n["name"]: n["params"]["hidden"] for n in json.loads(again.read_text())["nodes"]
             if n["kind"] == "linear"}
    assert flags == {"a": True, "classes": False}
    assert widths(io.load(again)) == widths(opened)


@pytest.mark.parametrize("name", names())
def test_every_preset_file_already_flags_what_its_wiring_says(name):
    """So no preset's figures move, at α = 1 or any other: the flags the files carry are the
    rule's."""
    raw = json.loads((PRESET_DIR / f"{name}.json").read_text())
    stored = {n["id"] for n in raw["nodes"] if n["kind"] == "linear"
              and n.get("params", {}).get("hidden", False)}
    d = load_preset(name)
    assert hidden_linears(d) == stored and sync_hidden_linears(d) == []


def test_the_rule_reaches_through_vector_blocks_only_and_survives_odd_wiring():
    d, h = head()
    pool = add(d, h, "gap", "pool2", "a")
    add(d, h, "linear", "after_pool", pool, out_features=10)   # a pool between: not hidden
    assert hidden_linears(d) == set()
    d2 = Builder("cycle", (8,)).design
    d2.nodes.update({"l": Node("l", "linear", {}, "l"), "x": Node("x", "dropout", {}, "x"),
                     "y": Node("y", "flatten", {}, "y")})
    d2.edges += [Edge("l", "x"), Edge("x", "y"), Edge("y", "x"), Edge("l", "ghost")]
    assert hidden_linears(d2) == set()                     # a cycle and a dangling wire: no hang


def residual_head(into_classifier: bool):
    """``y = fc2(fc1(x)); out = fc1(x) + y``, then a classifier or the design's output."""
    b = Builder("residual head", (64, 7, 7))
    b.add("gap", "pool")
    b.add("linear", "fc1", out_features=256)
    b.add("linear", "fc2", out_features=256)
    b.add("add", "sum", inputs=["fc1", "fc2"])
    if into_classifier:
        b.add("linear", "classes", out_features=10)
    return b.build(alpha=0.5)


def test_a_residual_head_scales_through_its_add_and_stays_valid_under_alpha():
    """fc2 reaches the classifier through the add: hidden, so α scales both sides of the sum
    alike (it used to leave fc2 at 256 beside fc1's 128, and the add was an error)."""
    d = residual_head(into_classifier=True)
    assert all(b.ok for b in analyze(d).blocks)
    assert widths(d) == {"fc1": 128, "fc2": 128, "classes": 10}


def test_the_layers_an_add_sums_share_one_answer_even_at_the_output():
    """With the sum as the design's output fc2 reaches no linear layer, yet fc1 (which feeds
    fc2) is hidden and the add needs one width: fc2 scales with it."""
    d = residual_head(into_classifier=False)
    assert hidden_linears(d) == {"fc1", "fc2"}
    assert all(b.ok for b in analyze(d).blocks) and widths(d) == {"fc1": 128, "fc2": 128}


def test_a_concat_keeps_each_inputs_own_answer_unless_it_feeds_a_linear_layer():
    """Wiring alone (concat refuses vectors today): a head concatenated into the output beside
    a hidden layer stays a classifier; concatenated on into a linear layer, both are hidden."""
    d = Builder("heads", (64,)).design
    for nid in ("feat", "scores", "after", "more"):
        d.nodes[nid] = Node(nid, "linear", {}, nid)
    d.nodes["cat"] = Node("cat", "concat", {}, "cat")
    d.edges += [Edge("feat", "after"), Edge("feat", "cat", 0), Edge("scores", "cat", 1)]
    assert hidden_linears(d) == {"feat"}                  # "scores" is still a classifier
    d.nodes["summed"] = Node("summed", "add", {}, "summed")
    d.edges += [Edge("feat", "summed", 0), Edge("more", "summed", 1)]
    assert hidden_linears(d) == {"feat", "more"}          # an add's inputs agree; a concat's need not
    d.nodes["classes"] = Node("classes", "linear", {}, "classes")
    d.edges.append(Edge("cat", "classes"))
    assert hidden_linears(d) == {"feat", "scores", "more"}
