"""The Design tab driven with real events (pytest-qt, offscreen): inspector in step with undo,
partial totals, expand/collapse, chart labels, hover and log axis, slider marks, undo steps,
zoom/pan/fit, auto-layout, formulas, palette drops."""
import itertools
import math

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QFontMetricsF, QImage, QPainter, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

import blocks
from designer.core.analysis import analyze
from designer.core.design import INPUT
from designer.core.layout import auto_layout
from designer.core.presets import load_preset
from designer.ui.canvas.node_item import TEXT_WIDTH, fitted
from designer.ui.canvas.palette import entries, icon_labels
from designer.ui.style import SELECTED, kind_colour


@pytest.fixture
def big(window):
    def make(preset):
        w = window(load_preset(preset))
        w.resize(1600, 1000)
        QTest.qWait(20)
        return w
    return make


def node(w, name):
    return w.document.design.node_by_name(name)


# -- inspector ----------------------------------------------------------------------------------
def test_inspector_shows_the_document_after_undo_and_redo(v2):
    w = v2
    n = node(w, "conv_last")
    w.document.select([n.id])
    groups = w.inspector.editors["groups"]
    groups.setValue(3)
    assert w.document.design.nodes[n.id].params["groups"] == 3
    w.document.undo_stack.undo()
    assert w.document.design.nodes[n.id].params["groups"] == 1
    assert w.inspector.editors["groups"].value() == 1
    assert w.inspector.message.text() == ""
    w.document.undo_stack.redo()
    assert w.inspector.editors["groups"].value() == 3
    assert w.document.undo_stack.count() == 1  # showing the value pushed nothing


def note_fits(inspector) -> bool:
    note = inspector.scaled
    return (note.geometry().bottom() <= inspector.height()
            and note.height() >= note.heightForWidth(note.width()))


def test_inspector_rows_and_width_note_are_never_cut_off(big, qtbot):
    w = big("mobilenet_v1")
    w.scaling.alpha.setValue(50)
    for name in ("conv1", "sep4", "fc"):
        w.document.select([node(w, name).id])
        inspector = w.inspector
        qtbot.waitUntil(lambda: note_fits(w.inspector), timeout=2000)
        for editor in inspector.editors.values():
            assert editor.geometry().bottom() <= inspector.height(), name


def settle() -> None:
    """Run what is already queued (the inspector refits on a zero-delay timer after a layout
    request), twice, since a refit queues a layout of its own."""
    for _ in range(2):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def test_inspector_dock_keeps_a_height_set_by_hand(big, qtbot):
    """A refit would grow the dock by at least its 30 px margin; the dock area may still share
    out a pixel or two of rounding when the rows below change, which is not a refit."""
    w = big("mobilenet_v2")
    dock = w.inspector_dock
    w.document.select([node(w, "block3").id])
    qtbot.waitUntil(lambda: note_fits(w.inspector), timeout=2000)
    settle()
    fitted_height = dock.height()
    w.resizeDocks([dock], [fitted_height + 120], Qt.Vertical)  # what dragging its edge does
    qtbot.waitUntil(lambda: dock.height() > fitted_height + 60, timeout=2000)
    settle()
    by_hand = dock.height()
    for name in ("block7", "block12", "classifier", "conv1"):
        w.document.select([node(w, name).id])
        qtbot.waitUntil(lambda n=name: w.inspector.editors["name"].text() == n, timeout=2000)
        settle()
        assert abs(dock.height() - by_hand) <= 3, name


def test_inspector_refuses_a_duplicate_name_and_shows_auto_padding(v2):
    w = v2
    n = node(w, "block3")
    w.document.select([n.id])
    name = w.inspector.editors["name"]
    name.setText("block4")
    name.editingFinished.emit()
    assert w.document.design.nodes[n.id].name == "block3" and name.text() == "block3"
    assert "block4" in w.inspector.message.text() and "already" in w.inspector.message.text()
    assert w.document.undo_stack.count() == 0
    w.document.select([node(w, "conv1").id])
    padding = w.inspector.editors["padding"]
    assert padding.value() == -1 and padding.text() == "auto"


def test_invalid_block_early_in_resnet18_keeps_later_numbers_and_says_partial(window):
    w = window(load_preset("resnet18_layers"))
    full = analyze(load_preset("resnet18_layers"))
    conv = node(w, "layer1.0.conv1")
    w.document.select([conv.id])
    w.inspector.editors["groups"].setValue(3)
    a = w.document.analysis
    assert a.macs == full.macs - full.block(conv.id).macs
    assert w.scene.items_by_id[conv.id].error
    assert w.scene.items_by_id[conv.id].badge == "not counted · output 64×56×56"
    later = node(w, "layer4.1.conv2")
    assert not w.scene.items_by_id[later.id].error
    assert w.scene.items_by_id[later.id].badge == "2.36M params · 115.61M MACs"
    assert "partial: 1 block(s) invalid" in w.totals.text()
    assert f"{a.macs:,}" in w.totals.text()
    w.document.undo_stack.undo()
    assert "partial" not in w.totals.text()


# -- canvas ---------------------------------------------------------------------------------------
def double_click(w, item):
    w.view.centerOn(item)
    pos = w.view.mapFromScene(item.scenePos() + QPointF(30, 30))
    QTest.mouseDClick(w.view.viewport(), Qt.LeftButton, pos=pos)
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=pos)  # a real double-click ends here


def test_expanding_a_block_moves_the_blocks_below_and_collapsing_puts_them_back(v2):
    w = v2
    item = w.scene.items_by_id[node(w, "block3").id]
    below = w.scene.items_by_id[node(w, "block4").id]
    last = w.scene.items_by_id[node(w, "classifier").id]
    above = w.scene.items_by_id[node(w, "block2").id]
    layout = dict(w.document.design.layout)
    y_below, y_last, y_above = below.pos().y(), last.pos().y(), above.pos().y()
    double_click(w, item)
    assert item.expanded and len(item.layer_lines) == 4  # expand, depthwise, project, add
    extra = item.height() - item.collapsed_height()
    assert extra == 4 * 16 + 6
    assert item.pos().y() + item.height() < below.pos().y()
    assert below.pos().y() == y_below + extra and last.pos().y() == y_last + extra
    assert above.pos().y() == y_above
    assert w.document.design.layout == layout and w.document.undo_stack.count() == 0
    double_click(w, item)
    assert not item.expanded and below.pos().y() == y_below and last.pos().y() == y_last


def mouse_drag(w, item, by: QPointF) -> QPointF:
    """Drag ``item`` by ``by`` (scene units) with real mouse events; return where it was dropped
    (its position after the last move, before the release)."""
    grip = item.scenePos() + QPointF(-40, 20)
    w.view.centerOn(grip + by / 2)
    start = w.view.mapFromScene(grip)
    end = w.view.mapFromScene(grip + by)
    QTest.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    for k in range(1, 6):
        QTest.mouseMove(w.view.viewport(), pos=start + (end - start) * k / 5)
    dropped = item.pos()
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=end)
    return dropped


def test_a_dragged_block_lands_where_dropped_across_an_expanded_block(v2):
    w = v2
    expanded = w.scene.items_by_id[node(w, "block3").id]
    double_click(w, expanded)
    assert expanded.expanded
    extra = expanded.height() - expanded.collapsed_height()
    block2 = w.scene.items_by_id[node(w, "block2").id]
    dropped = mouse_drag(w, block2, QPointF(120, 260))  # from above block3 to below it
    assert dropped.y() > expanded.pos().y() + expanded.height()
    assert block2.pos().x() == pytest.approx(dropped.x())
    assert block2.pos().y() == pytest.approx(dropped.y())
    assert w.document.design.layout[block2.node_id][1] == pytest.approx(dropped.y() - extra)
    block5 = w.scene.items_by_id[node(w, "block5").id]
    dropped = mouse_drag(w, block5, QPointF(-120, -380))  # from below block3 to above it
    assert dropped.y() + block5.height() < expanded.pos().y()
    assert block5.pos().y() == pytest.approx(dropped.y())
    assert w.document.design.layout[block5.node_id][1] == pytest.approx(dropped.y())
    assert w.document.undo_stack.count() == 2 and expanded.expanded


def test_badges_and_names_fit_inside_their_nodes(window):
    for preset in ("resnet18_layers", "resnet18", "googlenet", "squeezenet1_0", "efficientnet_b0"):
        w = window(load_preset(preset))
        for item in w.scene.items_by_id.values():
            for text, points, bold, width in item.texts():
                f, shown = fitted(text, points, bold, width)
                assert QFontMetricsF(f).horizontalAdvance(shown) <= width, (preset, text)
                if text.endswith("MACs"):
                    assert shown == text, (preset, text)  # cost badges shrink, never lose digits
        w.close()
    assert TEXT_WIDTH < 210


def test_zoom_pan_and_fit(v2):
    w = v2
    view = w.view
    view.fit()
    s0 = view.transform().m11()
    assert view.MIN_FIT_SCALE <= s0 <= 1.2
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert seen.contains(w.scene.itemsBoundingRect()), "issue 12: the whole network is fitted"
    top = seen.top()
    assert top <= w.scene.items_by_id[INPUT].scenePos().y()
    wheel = QWheelEvent(QPointF(100, 100), view.viewport().mapToGlobal(QPointF(100, 100)),
                        QPoint(0, 0), QPoint(0, 120), Qt.NoButton, Qt.NoModifier,
                        Qt.NoScrollPhase, False)
    view.wheelEvent(wheel)
    assert view.transform().m11() == pytest.approx(s0 * 1.15)
    view.zoom(1 / 1.15)
    assert view.transform().m11() == pytest.approx(s0)
    view.zoom(4.0)  # close enough to the blocks that there is something to pan over
    s0 = view.transform().m11()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    QTest.mousePress(view.viewport(), Qt.MiddleButton, pos=QPoint(200, 400))
    QTest.mouseMove(view.viewport(), pos=QPoint(200, 300))
    QTest.mouseRelease(view.viewport(), Qt.MiddleButton, pos=QPoint(200, 300))
    assert bar.value() == before + 100
    view.zoom(100)  # refused: beyond the zoom limit
    assert view.transform().m11() == pytest.approx(s0)


def test_auto_layout_after_a_move_is_one_undo_step(v2):
    w = v2
    item = w.scene.items_by_id[node(w, "block6").id]
    w.view.centerOn(item)
    start = w.view.mapFromScene(item.scenePos() + QPointF(-40, 20))
    QTest.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    for k in range(1, 6):
        QTest.mouseMove(w.view.viewport(), pos=start + QPoint(30 * k, 0))
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=start + QPoint(150, 0))
    moved = w.document.design.layout[item.node_id]
    assert w.document.undo_stack.undoText() == "move" and moved[0] > 100
    w.auto_layout()
    expected = auto_layout(w.document.design)
    assert {n: w.document.design.layout[n] for n in expected} == expected
    assert item.pos() == QPointF(*expected[item.node_id])
    w.document.undo_stack.undo()
    assert w.document.design.layout[item.node_id] == moved


def test_palette_drop_uses_the_palettes_own_mime_data(window):
    w = window()
    item = w.palette.findItems("Grouped conv", Qt.MatchExactly)[0]
    mime = w.palette.mimeData([item])
    event = QDropEvent(QPointF(w.view.mapFromScene(QPointF(0, 120))), Qt.CopyAction, mime,
                       Qt.LeftButton, Qt.NoModifier)
    w.view.dropEvent(event)
    (nid,) = w.document.design.nodes
    assert w.document.design.nodes[nid].kind == "conv"
    assert w.document.design.nodes[nid].params["groups"] == 4
    assert [(e.src, e.dst) for e in w.document.design.edges] == [(INPUT, nid)]


def test_palette_icons_have_distinct_labels(window):
    w = window()
    labels = icon_labels()
    assert sorted(labels) == sorted(t for t, _, _ in entries())
    assert len(set(labels.values())) == len(entries())
    images = [w.palette.item(i).icon().pixmap(22, 22).toImage() for i in range(3)]
    assert images[0] != images[1] and images[0] != images[2] and images[1] != images[2]


@pytest.fixture
def throwaway_kind():
    """A kind registered only for one test, as a new block file would register it."""
    from dataclasses import dataclass

    @blocks.register("throwaway", colour="#12ab34",
                     palette=[blocks.PaletteEntry("Throwaway block", "TW", {"out_channels": 8})])
    @dataclass(frozen=True)
    class Throwaway(blocks.get("pwconv")):
        pass
    yield Throwaway
    blocks.unregister("throwaway")


def test_a_new_kind_declares_its_palette_entry_and_colour_in_its_own_file(throwaway_kind,
                                                                          window, qtbot):
    w = window()
    item = w.palette.findItems("Throwaway block", Qt.MatchExactly)[0]
    assert item.data(Qt.UserRole) == ("throwaway", {"out_channels": 8})
    assert item is w.palette.item(w.palette.count() - 1)
    icon = item.icon().pixmap(22, 22).toImage()
    assert icon.pixelColor(11, 4) == QColor("#12ab34")
    w.palette.itemDoubleClicked.emit(item)
    (nid,) = w.document.design.nodes
    assert w.document.design.nodes[nid].kind == "throwaway"
    box = w.scene.items_by_id[nid]
    drawn = QImage(box.boundingRect().size().toSize(), QImage.Format_ARGB32)
    drawn.fill(Qt.white)
    painter = QPainter(drawn)
    painter.translate(-box.boundingRect().topLeft())
    box.paint(painter, None)
    painter.end()
    band = box.body().topLeft() - box.boundingRect().topLeft() + QPointF(4, 30)
    assert drawn.pixelColor(band.toPoint()) == QColor("#12ab34")
    w.document.select([])  # the appended block is selected, and its bar drawn in SELECTED
    assert [QColor(b).name() for b in w.charts.bars.opts["brushes"]] == ["#12ab34"]


# -- charts ----------------------------------------------------------------------------------------
def drawn_labels(w):
    axis = w.charts.bars_plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    return [(rect, text) for rect, _, text in specs[2]]


@pytest.mark.parametrize("preset", ["mobilenet_v2", "googlenet"])
def test_bar_labels_do_not_overlap_at_1600_by_1000(big, preset):
    w = big(preset)
    labels = drawn_labels(w)
    names = w.charts.names
    largest = max(range(len(names)), key=w.charts.values.__getitem__)  # issue 17: the largest
    assert names[largest] in [text for _, text in labels] and len(labels) >= 3  # bar is named
    for (a, _), (b, _) in itertools.pairwise(labels):
        assert a.right() <= b.left(), (a, b)
    axis = w.charts.bars_plot.getAxis("bottom")
    for rect, _ in labels:
        assert rect.left() >= 0 and rect.right() <= axis.width()


def test_selection_colour_stands_apart_from_every_kind_colour():
    def rgb(c):
        c = QColor(c)
        return (c.redF(), c.greenF(), c.blueF())
    kinds = [*blocks.BLOCKS, INPUT]
    assert min(math.dist(rgb(SELECTED), rgb(kind_colour(k))) for k in kinds) > 0.45


def test_log_toggle_uses_a_real_log_axis(v2):
    w = v2
    w.charts.log.setChecked(True)
    axis = w.charts.bars_plot.getAxis("left")
    assert (7.0, "10M") in axis._tickLevels[0] and (6.0, "1M") in axis._tickLevels[0]
    a = w.document.analysis
    y0 = w.charts.bars.opts["y0"]
    assert [y0 + h if h else 0 for h in w.charts.bars.opts["height"]] == \
        pytest.approx([math.log10(b.macs) if b.macs else 0 for b in a.blocks])
    w.charts.log.setChecked(False)
    assert axis._tickLevels is None and w.charts.bars.opts["y0"] == 0
    assert list(w.charts.bars.opts["height"]) == [b.macs for b in a.blocks]


def test_memory_chart_peak_is_the_analysis_peak_and_hover_shows_bytes_and_layer(v2, qtbot):
    w = v2
    qtbot.wait(50)
    a = w.document.analysis
    xs, ys = w.charts.peak.getData()
    assert ys[0] == a.peak_activation_bytes == max(a.memory_live)  # plotted in bytes
    at = w.charts.memory_plot.step_at(xs[0])
    assert a.memory_timeline[at][0] == a.peak_at
    assert w.charts.names[round(xs[0])] == a.memory_steps[0][at]   # over its block's bar
    vb = w.charts.memory_plot.getPlotItem().vb
    step = 40
    x = w.charts.memory_plot.axis.positions[step]
    pos = w.charts.memory_plot.mapFromScene(vb.mapViewToScene(QPointF(x, 1)))
    QTest.mouseMove(w.charts.memory_plot.viewport(), pos=pos)
    qtbot.waitUntil(lambda: "live" in w.charts.info.text())
    name, live = a.memory_timeline[step]
    assert w.charts.info.text().startswith(f"{name}: {live:,} B live")


def test_bar_click_and_hover_with_real_mouse_events(v2, qtbot):
    w = v2
    w.charts.metric_box.setCurrentText("Activation memory")
    qtbot.wait(50)
    vb = w.charts.bars_plot.getPlotItem().vb
    i = 5
    pos = w.charts.bars_plot.mapFromScene(vb.mapViewToScene(QPointF(i, 1)))
    QTest.mouseMove(w.charts.bars_plot.viewport(), pos=pos)
    qtbot.waitUntil(lambda: w.charts.info.text() != "")
    cost = w.document.analysis.block(w.charts.ids[i])
    assert w.charts.info.text().startswith(f"{cost.name}: {cost.activation_bytes:,} B")
    QTest.mouseClick(w.charts.bars_plot.viewport(), Qt.LeftButton, pos=pos)
    assert w.document.selected == [w.charts.ids[i]]
    assert w.scene.items_by_id[w.charts.ids[i]].isSelected()
    assert w.charts.bars.opts["brushes"][i] == SELECTED.name()


def test_formula_panel_shows_the_selected_blocks_numbers(v2):
    w = v2
    n = node(w, "block3")
    w.document.select([n.id])
    text = w.formulas.toPlainText()
    assert "block3 (ir)" in text
    assert "1²·24·144·56·56 = 10,838,016" in text and "3²·144·56·56 = 4,064,256" in text
    assert f"{w.document.analysis.block(n.id).macs:,} MACs" in text
    w.scaling.alpha.setValue(50)
    assert f"{w.document.analysis.block(n.id).macs:,} MACs" in w.formulas.toPlainText()


# -- scaling bar ---------------------------------------------------------------------------------
def handle_rect(slider):
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    return slider.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, slider)


def handle_centre(slider):
    return handle_rect(slider).center().x()


def test_slider_marks_are_labelled_where_the_handle_sits(v2):
    bar = v2.scaling
    assert [label for label, _ in bar.rho.mark_positions()] == ["224", "192", "160", "128", "96"]
    assert [label for label, _ in bar.alpha.mark_positions()] == ["1", "0.75", "0.5", "0.25"]
    for slider, value in ((bar.alpha, 50), (bar.rho, round(100 * 160 / 224))):
        slider.setValue(value)
        x = {v: x for (v, _), (_, x) in zip(slider.marks, slider.mark_positions())}[value]
        assert abs(x - handle_centre(slider)) <= 1
    metrics = bar.rho.fontMetrics()
    rects = [bar.rho.label_rect(label, x, metrics) for label, x in bar.rho.mark_positions()]
    rects.sort(key=lambda r: r.left())
    assert all(a.right() < b.left() for a, b in itertools.pairwise(rects))
    assert all(r.left() >= 0 and r.right() < bar.rho.width() for r in rects)


def test_rho_marks_and_picker_follow_another_input_size(window):
    d = load_preset("mobilenet_v2")
    d.input_shape = (3, 160, 160)
    w = window(d)
    bar = w.scaling
    assert [label for label, _ in bar.rho.mark_positions()] == ["160", "137", "114", "91", "69"]
    assert [bar.resolution.itemText(i) for i in range(5)] == \
        ["160 px", "137 px", "114 px", "91 px", "69 px"]
    bar.resolution.activated.emit(2)
    assert w.document.design.rho == 160 / 224
    assert w.document.analysis.input_shape == (3, 114, 114)


def test_rho_picker_sets_exact_resolutions_each_pick_one_step(v2):
    w = v2
    bar = w.scaling
    bar.resolution.activated.emit(2)
    assert w.document.analysis.input_shape == (3, 160, 160) and bar.resolution.currentIndex() == 2
    bar.resolution.activated.emit(3)
    assert w.document.analysis.input_shape == (3, 128, 128)
    assert bar.rho_label.text() == "ρ = 0.571 (128 px)"
    assert w.document.undo_stack.count() == 2
    w.document.undo_stack.undo()
    assert w.document.analysis.input_shape == (3, 160, 160) and bar.resolution.currentIndex() == 2


def drag(slider, to_value):
    start = handle_rect(slider).center()
    span = slider.width()
    end = QPoint(int(span * (to_value - slider.minimum()) / (slider.maximum() - slider.minimum())),
                 start.y())
    QTest.mousePress(slider, Qt.LeftButton, pos=start)
    for k in range(1, 6):
        QTest.mouseMove(slider, pos=start + (end - start) * k / 5)
    QTest.mouseRelease(slider, Qt.LeftButton, pos=end)


def test_two_slider_drags_are_two_undo_steps(v2):
    w = v2
    stack = w.document.undo_stack
    drag(w.scaling.alpha, 75)
    first = w.document.design.alpha
    assert first < 1.0 and stack.count() == 1
    drag(w.scaling.alpha, 40)
    assert w.document.design.alpha < first and stack.count() == 2
    stack.undo()
    assert w.document.design.alpha == first
    stack.undo()
    assert w.document.design.alpha == 1.0


def test_redo_answers_ctrl_y_and_ctrl_shift_z_and_help_explains_the_counting(v2, monkeypatch):
    w = v2
    redo = next(a for a in w.menu("Edit").actions() if a.text().replace("&", "").startswith("Redo"))
    assert {s.toString() for s in redo.shortcuts()} == {"Ctrl+Y", "Ctrl+Shift+Z"}
    help_ = {a.text().replace("&", ""): a for a in w.menu("Help").actions()}
    help_["Counting conventions"].trigger()          # issue 17: a page, no longer a message box
    text = w.help_page.text.toPlainText()
    assert "bias excluded" in text and "peak live memory" in text and "divisible8" in text


def test_inspector_grows_when_an_alpha_change_lengthens_its_width_note(big, qtbot):
    """At α = 1 a fire block's note is short; at 0.75 it lists three widths on three lines: the
    dock must grow then too, not only when another block is selected."""
    w = big("squeezenet1_0")
    w.document.select([node(w, "fire4").id])
    QTest.qWait(50)
    w.scaling.alpha.setValue(75)
    inspector, note = w.inspector, w.inspector.scaled
    assert "expand3x3 128 → 96" in note.text()
    qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width())
                    and note.geometry().bottom() <= inspector.height(), timeout=2000)
