"""Wires on the canvas can be selected with a click, removed with Delete, Backspace or the
right-click menu, and the removal is one undo step (pytest-qt, offscreen, real mouse and keys)."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from designer.core.design import INPUT, Design, Edge
from designer.core.editing import add_block, wire


def two_branches_into_add():
    """input → a, input → b, (a, b) → add → pool: removing a wire leaves add one input short."""
    design = Design()
    a = add_block(design, "conv", {"out_channels": 16}, (-130.0, 120.0), after=INPUT)
    a.do(design)
    b = add_block(design, "conv", {"out_channels": 16}, (130.0, 120.0), after=INPUT)
    b.do(design)
    add = add_block(design, "add", {}, (0.0, 300.0), after=a.node.id)
    add.do(design)
    wire(design, b.node.id, add.node.id).do(design)
    add_block(design, "gap", {}, (0.0, 430.0), after=add.node.id).do(design)
    return design, b.node.id, add.node.id


def click_wire(w, qtbot, edge: Edge, button=Qt.LeftButton) -> QPoint:
    """Click the middle of the wire's drawn curve, in viewport pixels."""
    item = next(i for i in w.scene.edge_items if i.edge == edge)
    point = w.view.mapFromScene(item.path().pointAtPercent(0.5))
    QTest.mouseClick(w.view.viewport(), button, Qt.NoModifier, point)
    return point


def ready(w, qtbot):
    """Fit the design and make the window active, so its Delete shortcut gets the key."""
    w.view.fit()
    with qtbot.waitActive(w):
        w.activateWindow()
    w.view.setFocus()


@pytest.mark.parametrize("key", [Qt.Key_Delete, Qt.Key_Backspace])
def test_click_a_wire_and_press_delete_removes_it_and_undo_restores_it(window, qtbot, key):
    design, b, add = two_branches_into_add()
    w = window(design)
    ready(w, qtbot)
    edge = Edge(b, add, 1)
    before = list(w.document.design.edges)
    assert w.document.analysis.ok
    click_wire(w, qtbot, edge)
    assert w.scene.selected_edges() == [edge] and w.document.selected == []
    item = next(i for i in w.scene.edge_items if i.edge == edge)
    assert item.pen().widthF() == 3.0
    QTest.keyClick(w.view.viewport(), key)
    assert edge not in w.document.design.edges
    assert len(w.document.design.edges) == len(before) - 1
    assert all(i.edge != edge for i in w.scene.edge_items)
    problems = [str(p) for p in w.document.analysis.problems]
    assert "block 'add': add takes at least 2 inputs, 1 is wired" in problems
    assert w.document.modified
    w.document.undo_stack.undo()
    assert w.document.design.edges == before and w.document.analysis.ok
    assert not w.document.modified
    w.document.undo_stack.redo()
    assert edge not in w.document.design.edges


def test_a_click_beside_the_line_still_selects_the_wire_but_far_away_does_not(window, qtbot):
    design, b, add = two_branches_into_add()
    w = window(design)
    ready(w, qtbot)
    edge = Edge(b, add, 1)
    item = next(i for i in w.scene.edge_items if i.edge == edge)
    middle = w.view.mapFromScene(item.path().pointAtPercent(0.5))
    scale = w.view.transform().m11()
    QTest.mouseClick(w.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     middle + QPoint(int(4 * scale) + 1, 0))
    assert w.scene.selected_edges() == [edge]
    QTest.mouseClick(w.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     middle + QPoint(int(40 * scale) + 1, 0))
    assert w.scene.selected_edges() == []


def test_remove_wire_from_the_right_click_menu(window, qtbot):
    design, b, add = two_branches_into_add()
    w = window(design)
    ready(w, qtbot)
    edge = Edge(b, add, 1)
    shown = []

    def choose(menu, _pos):
        shown.append([a.text() for a in menu.actions()])
        return menu.actions()[0]

    w.scene.exec_menu = choose
    point = click_wire(w, qtbot, edge, Qt.RightButton)
    event = QContextMenuEvent(QContextMenuEvent.Mouse, point, w.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(w.view.viewport(), event)
    assert shown == [["Remove wire"]]
    assert edge not in w.document.design.edges
    w.document.undo_stack.undo()
    assert edge in w.document.design.edges


def test_delete_with_blocks_selected_removes_blocks_not_stray_wires(window, qtbot):
    design, b, _ = two_branches_into_add()
    w = window(design)
    ready(w, qtbot)
    w.document.select([b])
    QTest.keyClick(w.view.viewport(), Qt.Key_Delete)
    assert b not in w.document.design.nodes
    assert all(e.src != b and e.dst != b for e in w.document.design.edges)
    assert len(w.document.design.edges) == 3


def test_backspace_in_an_inspector_field_edits_the_field_not_the_design(window, qtbot):
    design, b, _ = two_branches_into_add()
    w = window(design)
    ready(w, qtbot)
    w.document.select([b])
    editor = w.inspector.editors["out_channels"]
    editor.setFocus()
    editor.lineEdit().selectAll()
    QTest.keyClick(editor.lineEdit(), Qt.Key_End)
    QTest.keyClick(editor.lineEdit(), Qt.Key_Backspace)
    assert b in w.document.design.nodes and editor.lineEdit().text() == "1"
