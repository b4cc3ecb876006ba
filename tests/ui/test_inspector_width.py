"""Issue 17: where α does not scale a block the inspector says so, not "width rule: scale"."""
from PySide6.QtWidgets import QLabel

from designer.core.presets import load_preset


def shown_texts(w) -> list[str]:
    return [lb.text() for lb in w.inspector.findChildren(QLabel) if lb.isVisibleTo(w.inspector)]


def test_inspector_says_fixed_classifier_for_a_linear_block(window, qtbot):
    w = window(load_preset("mobilenet_v1"))
    w.document.select([w.document.design.node_by_name("fc").id])
    qtbot.waitUntil(lambda: "fixed (classifier)" in shown_texts(w))
    assert not w.inspector.width_rule.isVisibleTo(w.inspector)
    w.document.select([w.document.design.node_by_name("sep3").id])
    qtbot.waitUntil(lambda: w.inspector.width_rule.isVisibleTo(w.inspector))
    assert "fixed (classifier)" not in shown_texts(w)


def test_a_linear_wired_on_to_another_becomes_a_width_alpha_scales(window, qtbot):
    """Wiring a linear layer after the classifier makes the classifier a hidden layer: the
    inspector, open on it, swaps "fixed (classifier)" for the width rule (to keep it fixed
    by hand), offers no "hidden" box to contradict the wiring, and undo swaps back."""
    from designer.core.editing import add_block

    w = window(load_preset("mobilenet_v1"))
    fc = w.document.design.node_by_name("fc").id
    w.document.select([fc])
    qtbot.waitUntil(lambda: "fixed (classifier)" in shown_texts(w))
    assert "hidden" not in w.inspector.editors and "out_features" in w.inspector.editors
    w.document.push(add_block(w.document.design, "linear", {"out_features": 10}, after=fc))
    assert w.document.design.nodes[fc].params["hidden"] is True
    qtbot.waitUntil(lambda: w.inspector.width_rule.isVisibleTo(w.inspector))
    assert "fixed (classifier)" not in shown_texts(w)
    w.document.undo_stack.undo()
    qtbot.waitUntil(lambda: "fixed (classifier)" in shown_texts(w))
