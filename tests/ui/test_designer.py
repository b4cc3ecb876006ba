"""The designer window driven as a user drives it (pytest-qt, offscreen)."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QSpinBox

from designer.core import io
from designer.core.analysis import analyze
from designer.core.design import INPUT
from designer.core.presets import load_preset
from designer.ui.canvas.palette import entries
from designer.ui.style import SELECTED


def drop(w, title, scene_pos, **params):
    """Send the enter, move and drop events the palette's drag would deliver, with the palette's
    own mime data (QDrag.exec returns at once offscreen); then set ``params`` in the inspector."""
    item = w.palette.findItems(title, Qt.MatchExactly)[0]
    mime = w.palette.mimeData([item])
    view_pos = w.view.mapFromScene(scene_pos)
    enter = QDragEnterEvent(view_pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    w.view.dragEnterEvent(enter)
    assert enter.isAccepted()
    w.view.dragMoveEvent(QDragMoveEvent(view_pos, Qt.CopyAction, mime, Qt.LeftButton,
                                        Qt.NoModifier))
    before = set(w.document.design.nodes)
    w.view.dropEvent(QDropEvent(QPointF(view_pos), Qt.CopyAction, mime, Qt.LeftButton,
                                Qt.NoModifier))
    (new,) = set(w.document.design.nodes) - before
    if params:
        selected = list(w.document.selected)
        w.document.select([new])
        for key, value in params.items():
            w.inspector.editors[key].setValue(value)
        w.document.select(selected)
    return new


def palette_append(w, title):
    item = w.palette.findItems(title, Qt.MatchExactly)[0]
    rect = w.palette.visualItemRect(item)
    QTest.mouseDClick(w.palette.viewport(), Qt.LeftButton, pos=rect.center())


def test_drop_from_palette_adds_and_wires_after_the_selection(window):
    w = window()
    drop(w, "Convolution", QPointF(0, 120), out_channels=16)
    d = w.document.design
    (first,) = d.nodes
    assert [(e.src, e.dst) for e in d.edges] == [(INPUT, first)]
    w.document.select([first])
    drop(w, "Depthwise-separable", QPointF(0, 240))
    second = list(d.nodes)[1]
    assert (first, second) in [(e.src, e.dst) for e in d.edges]
    assert w.document.analysis.ok
    assert w.scene.items_by_id[second].subtitle.endswith("64×224×224")


def test_wire_two_blocks_by_dragging_between_ports(window, qtbot):
    w = window()
    drop(w, "Convolution", QPointF(0, 120), out_channels=8)
    w.document.select([])
    drop(w, "Convolution", QPointF(400, 600), out_channels=8)
    a, b = list(w.document.design.nodes)
    assert not any(e.dst == b for e in w.document.design.edges)
    start = w.view.mapFromScene(w.scene.items_by_id[a].output_port())
    end = w.view.mapFromScene(w.scene.items_by_id[b].pos() + QPointF(0, 30))
    QTest.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    QTest.mouseMove(w.view.viewport(), pos=(start + end) / 2)
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=end)
    assert [e.src for e in w.document.design.inputs_of(b)] == [a]
    assert w.document.analysis.ok


def test_edit_a_parameter_in_the_inspector(v2):
    w = v2
    node = w.document.design.node_by_name("block3")
    w.document.select([node.id])
    editor = w.inspector.editors["expansion"]
    assert isinstance(editor, QSpinBox)
    editor.setValue(4)
    assert w.document.design.nodes[node.id].params["expansion"] == 4
    assert w.document.analysis.block(node.id).macs == 56 * 56 * 24 * 4 * (24 + 9 + 24)
    assert f"{w.document.analysis.params:,}" in w.totals.text()


def test_alpha_slider_updates_charts_and_totals(v2):
    w = v2
    w.scaling.alpha.setValue(50)
    expected = load_preset("mobilenet_v2")
    expected.alpha = 0.5
    a = analyze(expected)
    assert w.document.analysis.macs == a.macs
    heights = list(w.charts.bars.opts["height"])
    assert heights == [b.macs for b in a.blocks]
    assert f"{a.params:,}" in w.totals.text() and f"{a.macs:,}" in w.totals.text()
    assert w.scaling.alpha_label.text() == "α = 0.50"


def test_slider_drag_is_one_undo_step_and_redo(v2):
    w = v2
    for v in range(100, 49, -5):
        w.scaling.alpha.setValue(v)
    assert w.document.undo_stack.count() == 1
    w.document.undo_stack.undo()
    assert w.document.design.alpha == 1.0 and w.document.analysis.macs == 300_774_272
    w.document.undo_stack.redo()
    assert w.document.design.alpha == 0.5


def test_invalid_parameter_is_flagged_on_the_node(v2):
    w = v2
    node = w.document.design.node_by_name("conv_last")
    w.document.select([node.id])
    w.inspector.editors["groups"].setValue(3)
    item = w.scene.items_by_id[node.id]
    assert item.error and "groups=3" in item.error and "groups=3" in item.toolTip()
    assert "groups" in w.inspector.message.text()
    assert w.document.analysis.block(w.document.design.node_by_name("block17").id).ok
    assert "1 problem" in w.totals.text()


def test_a_file_with_a_duplicate_name_flags_the_block_until_it_is_renamed(window):
    design = load_preset("mobilenet_v2")
    twin = design.node_by_name("block5")
    twin.name = "block4"
    w = window(io.loads(io.dumps(design)))
    item = w.scene.items_by_id[twin.id]
    assert item.error == "another block is already named 'block4': names must be unique"
    assert not w.scene.items_by_id[w.document.design.node_by_name("block4").id].error
    w.document.select([twin.id])
    assert w.inspector.message.text().startswith("name: another block is already named 'block4'")
    name = w.inspector.editors["name"]
    name.setText("block6")
    name.editingFinished.emit()
    assert w.inspector.message.text() == ("Another block is already named 'block6': names must "
                                          "be unique, so this one stays 'block4'.")
    name.setText("block5")
    name.editingFinished.emit()
    assert w.document.analysis.ok and not item.error and w.inspector.message.text() == ""


def test_save_then_reopen_is_the_same(v2, tmp_path, monkeypatch):
    w = v2
    w.scaling.alpha.setValue(75)
    path = tmp_path / "mine.json"
    assert w.files._save_to(path)
    assert not w.document.modified and not w.isWindowModified()
    before = io.dumps(w.document.design)
    w.document.push(__import__("designer.core.commands", fromlist=["x"]).SetSetting("alpha", 1.0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Discard)
    assert w.files.open_path(str(path))
    assert io.dumps(w.document.design) == before and w.document.design.alpha == 0.75
    assert "mine.json" in w.windowTitle()


def test_bad_file_shows_a_dialog_and_keeps_the_document(v2, tmp_path, monkeypatch):
    w = v2
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1, "nodes": [')
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    before = io.dumps(w.document.design)
    assert not w.files.open_path(str(bad))
    assert shown and "bad.json" in shown[0] and "line 1" in shown[0]
    assert io.dumps(w.document.design) == before


def test_failed_save_reports_and_keeps_work(v2, tmp_path, monkeypatch):
    w = v2
    w.scaling.alpha.setValue(50)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert not w.files._save_to(tmp_path / "missing" / "x.json")
    assert shown and "still open" in shown[0]
    assert w.document.modified and w.document.design.alpha == 0.5


def test_bar_click_selects_block_and_selection_highlights_bar(v2, qtbot):
    w = v2
    node = w.document.design.node_by_name("block2")
    w.document.select([node.id])
    index = w.charts.ids.index(node.id)
    assert w.charts.bars.opts["brushes"][index] == SELECTED.name() == "#ff00c8"
    vb = w.charts.bars_plot.getPlotItem().vb
    scene_pos = vb.mapViewToScene(QPointF(index + 3, 1e6))
    assert w.charts.bar_at(scene_pos) == index + 3
    w.charts._hover(scene_pos)
    target = w.charts.ids[index + 3]
    assert w.document.analysis.block(target).name in w.charts.info.text()


def test_delete_copy_paste_and_undo(v2):
    w = v2
    d = w.document.design
    n = len(d.nodes)
    w.document.select([d.node_by_name("block5").id])
    w.copy()
    w.paste()
    assert len(d.nodes) == n + 1
    w.delete_selected()
    w.document.select([d.node_by_name("block5").id])
    w.delete_selected()
    assert len(d.nodes) == n - 1 and not w.document.analysis.ok
    while w.document.undo_stack.canUndo():
        w.document.undo_stack.undo()
    assert io.dumps(d) == io.dumps(load_preset("mobilenet_v2"))


def test_palette_lists_every_kind_with_formula_tooltips(window):
    w = window()
    import blocks
    assert {k for _, k, _ in entries()} == set(blocks.BLOCKS)
    item = w.palette.findItems("Depthwise-separable", Qt.MatchExactly)[0]
    assert "1/M + 1/K²" in item.toolTip()


def test_inspector_says_what_alpha_makes_of_the_stored_widths(v2):
    w = v2
    w.scaling.alpha.setValue(50)
    w.document.select([w.document.design.node_by_name("block3").id])
    assert w.inspector.editors["out_channels"].value() == 24
    assert "out_channels 24 → 16" in w.inspector.scaled.text()
