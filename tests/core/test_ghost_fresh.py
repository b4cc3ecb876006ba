"""The ghost (the design at α = 1, ρ = 1) is cached on the design's ``structure_revision``, so
every path that changes what the unscaled analysis reads must bump it. Every kind of edit, done,
undone and redone, loading another design into the document's object, the settings that matter
at α = 1 (dtype, input shape) and the wiring's own flags: after each, the cached ghost is the
analysis of the design as it now is, never the one before."""
import copy

import pytest

from designer.core.analysis import analyze
from designer.core.commands import (
    AddEdge,
    History,
    Macro,
    MoveNodes,
    RemoveEdge,
    RemoveNodes,
    SetNodeAttr,
    SetParam,
    SetSetting,
)
from designer.core.design import Edge
from designer.core.editing import add_block, insert_after
from designer.core.ghost import Ghost
from designer.core.presets import load_preset


def figures(analysis):
    return (analysis.params, analysis.macs, analysis.peak_activation_bytes,
            [(b.name, b.output_shape) for b in analysis.blocks])


def fresh(design):
    """The unscaled analysis worked out from scratch."""
    unscaled = copy.deepcopy(design)
    unscaled.alpha, unscaled.rho = 1.0, 1.0
    return figures(analyze(unscaled))


def edits(d):
    """One of each command the app pushes, on MobileNetV2 (built when called: ids differ)."""
    ids = {n.name: n.id for n in d.nodes.values()}
    return [
        SetParam(ids["block3"], "expansion", 4),
        SetParam(ids["classifier"], "out_features", 10),
        SetNodeAttr(ids["conv_last"], "width", "scale"),
        SetNodeAttr(ids["block5"], "name", "renamed"),
        add_block(d, "linear", {"out_features": 7}, after=ids["classifier"]),
        insert_after(d, "dropout", None, ids["avgpool"]),
        RemoveNodes([ids["block7"]]),
        AddEdge(Edge(ids["block6"], ids["block8"], 0)),
        RemoveEdge(Edge("input", ids["conv1"], 0)),
        Macro([SetSetting("dtype", "fp16"), SetSetting("input_shape", (3, 160, 160))]),
        MoveNodes({ids["conv1"]: (5.0, 6.0)}),
    ]


def test_every_edit_undo_and_redo_leaves_no_stale_ghost():
    d = load_preset("mobilenet_v2")
    d.alpha, d.rho = 0.5, 0.75
    ghost, history = Ghost(), History(d)
    assert figures(ghost.of(d)) == fresh(d)
    for command in edits(d):
        history.push(command)
        assert figures(ghost.of(d)) == fresh(d), f"stale after {command.text}"
    while history.undo():
        assert figures(ghost.of(d)) == fresh(d), "stale after an undo"
    while history.redo():
        assert figures(ghost.of(d)) == fresh(d), "stale after a redo"


@pytest.mark.parametrize("other", ["vgg16", "squeezenet1_1"])
def test_another_design_loaded_into_the_same_object_is_seen(other):
    d = load_preset("mobilenet_v2")
    d.alpha = 0.5
    ghost = Ghost()
    before = ghost.of(d)
    d.replace_with(load_preset(other))            # how the document opens a file
    d.alpha = 0.5
    assert ghost.of(d) is not before and figures(ghost.of(d)) == fresh(d)


def test_alpha_and_rho_alone_keep_the_cached_ghost():
    d = load_preset("mobilenet_v2")
    d.alpha = 0.5
    ghost, history = Ghost(), History(d)
    first = ghost.of(d)
    for a in (0.6, 0.7, 0.8):
        history.push(SetSetting("alpha", a, gesture=1))
        history.push(SetSetting("rho", a, gesture=2))
        assert ghost.of(d) is first
