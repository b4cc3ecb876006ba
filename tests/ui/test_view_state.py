"""View state has one home beside the document (DocumentModel.view): block and wire selection
and expanded blocks live there, the canvas items only draw them; opening another design clears
it and every view hears of it (the inspector used to keep showing the old design's block)."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from designer.core import io
from designer.core.commands import RemoveNodes
from designer.core.design import Edge
from designer.core.presets import load_preset


def node_id(w, name):
    return w.document.design.node_by_name(name).id


def double_click(w, item):
    pos = w.view.mapFromScene(item.scenePos() + QPointF(30, 30))
    w.view.centerOn(item)
    pos = w.view.mapFromScene(item.scenePos() + QPointF(30, 30))
    QTest.mouseDClick(w.view.viewport(), Qt.LeftButton, pos=pos)
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=pos)


def test_opening_another_design_clears_the_inspector_and_the_selection(v2, tmp_path, qtbot):
    w = v2
    w.document.select([node_id(w, "block3")])
    assert w.inspector.editors["name"].text() == "block3"
    path = tmp_path / "v1.json"
    io.save(load_preset("mobilenet_v1"), path)
    heard = []
    w.document.selection_changed.connect(heard.append)
    w.document.open(path)
    assert heard == [[]] and w.document.selected == []
    assert w.inspector.editors == {} and w.inspector.node_id is None
    hints = [w.inspector.form.itemAt(i).widget() for i in range(w.inspector.form.count())]
    assert any(getattr(h, "text", lambda: "")() == "Select a block to edit it." for h in hints)
    assert not any(item.isSelected() for item in w.scene.items())
    assert w.document.view.expanded == set() and w.document.view.selected_edges == []


def test_expanded_blocks_live_in_the_view_state_and_are_forgotten_with_their_block(v2):
    w = v2
    block3 = node_id(w, "block3")
    item = w.scene.items_by_id[block3]
    double_click(w, item)
    assert w.document.view.expanded == {block3} and item.expanded
    w.document.push(RemoveNodes([block3]))
    assert w.document.view.expanded == set()
    w.document.undo_stack.undo()
    again = w.scene.items_by_id[block3]
    assert not again.expanded and again.height() == again.collapsed_height()
    w.document.view.set_expanded(block3, True)  # any view may expand it; the canvas follows
    below = w.scene.items_by_id[node_id(w, "block4")]
    assert again.expanded and again.pos().y() + again.height() < below.pos().y()


def test_wire_selection_lives_in_the_view_state(v2):
    w = v2
    edge = Edge(node_id(w, "block3"), node_id(w, "block4"), 0)
    item = next(i for i in w.scene.edge_items if i.edge == edge)
    item.setSelected(True)  # what a click does
    assert w.document.view.selected_edges == [edge] and w.scene.selected_edges() == [edge]
    w.document.view.select_edges([])
    assert not item.isSelected()
    w.document.view.select_edges([edge])
    assert item.isSelected() and item.pen().widthF() == 3.0
    w.delete_selected()
    assert edge not in w.document.design.edges and w.document.view.selected_edges == []
