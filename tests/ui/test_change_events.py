"""One step is one event: deleting 50 blocks, pasting 50 and auto-laying out 300 each re-run the
analysis once and bring the canvas in step once, done, undone and redone (they were 101, 99 and
250 of each when every sub-edit told the views)."""
import pytest
from PySide6.QtCore import QPointF

from designer.core.builder import generated_chain
from designer.core.design import INPUT
from designer.ui.canvas.canvas import CanvasScene
from designer.ui.shell import document as document_module


@pytest.fixture
def counted(window, monkeypatch):
    """A window on a 300-block chain, and the counts of analyses and canvas updates since."""
    counts = {"analyses": 0, "syncs": 0}
    analyze, apply = document_module.analyze, CanvasScene._apply

    def counting_analyze(design, previous=None):
        counts["analyses"] += 1
        return analyze(design, previous)

    def counting_apply(self, *args, **kwargs):
        counts["syncs"] += 1
        return apply(self, *args, **kwargs)

    monkeypatch.setattr(document_module, "analyze", counting_analyze)
    monkeypatch.setattr(CanvasScene, "_apply", counting_apply)
    design = generated_chain(300)
    w = window(design)
    counts.update(analyses=0, syncs=0)
    return w, counts


def one_step_each_way(w, counts, step):
    step()
    assert counts == {"analyses": 1, "syncs": 1}
    for move in (w.document.undo_stack.undo, w.document.undo_stack.redo):
        counts.update(analyses=0, syncs=0)
        move()
        assert counts == {"analyses": 1, "syncs": 1}


def test_deleting_50_blocks_is_one_event(counted):
    w, counts = counted
    doomed = list(w.document.design.nodes)[100:150]
    w.document.select(doomed)
    counts.update(analyses=0, syncs=0)
    one_step_each_way(w, counts, w.delete_selected)
    assert not set(doomed) & set(w.scene.items_by_id)
    assert len(w.scene.items_by_id) == 251 and len(w.scene.edge_items) == 249  # 51 wires go
    w.document.undo_stack.undo()
    assert set(doomed) <= set(w.scene.items_by_id) and len(w.scene.edge_items) == 300


def test_pasting_50_blocks_is_one_event(counted):
    w, counts = counted
    w.document.select(list(w.document.design.nodes)[:50])
    w.copy()
    w.document.select([])
    counts.update(analyses=0, syncs=0)
    one_step_each_way(w, counts, w.paste)
    assert len(w.scene.items_by_id) == 351
    assert len(w.scene.edge_items) == len(w.document.design.edges) == 349
    assert set(w.scene.items_by_id) == {INPUT, *w.document.design.nodes}


def test_auto_layout_of_300_blocks_is_one_event_without_an_analysis(counted):
    w, counts = counted
    design = w.document.design
    for i, nid in enumerate(design.nodes):  # scattered, so that every block moves
        design.layout[nid] = (float(i % 7) * 300, float(i) * 40)
    w.scene.rebuild()
    counts.update(analyses=0, syncs=0)
    w.auto_layout()
    assert counts == {"analyses": 0, "syncs": 1}
    for nid, (x, y) in design.layout.items():
        assert w.scene.items_by_id[nid].pos() == QPointF(x, y)
    edge = design.edges[10]
    item = next(i for i in w.scene.edge_items if i.edge == edge)
    assert item.path().pointAtPercent(0) == w.scene.items_by_id[edge.src].output_port()
    assert item.path().pointAtPercent(1) == w.scene.items_by_id[edge.dst].input_port()
    w.document.undo_stack.undo()
    assert counts == {"analyses": 0, "syncs": 2}
    assert w.scene.items_by_id[list(design.nodes)[3]].pos() == QPointF(900, 120)
