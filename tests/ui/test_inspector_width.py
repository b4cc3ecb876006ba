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
