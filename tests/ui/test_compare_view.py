"""The workshop tabs in the app: Compare includes the open design live and reacts to α changes;
Sweep and Block kinds draw what the core computes; every chart and table saves as real files
that read back; one presentation switch enlarges every chart."""
import csv
import io
import math
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from designer.core.analysis import analyze
from designer.core.block_compare import compare_blocks
from designer.core.presets import load_preset
from designer.core.timings import Timing


def read_back(folder, name):
    """The PNG decodes to a real picture, the SVG parses, and both are non-trivial."""
    image = QImage(str(folder / f"{name}.png"))
    assert image.width() > 800 and image.height() > 400
    root = ET.parse(folder / f"{name}.svg").getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 50
    return image


def test_compare_view_reacts_to_alpha_and_saves(v2, tmp_path):
    w = v2
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    view.add_design("mobilenet_v1", load_preset("mobilenet_v1"))
    assert [r.macs for r in view.comparison.rows] == [300_774_272, 568_740_352]
    view.set_scaling(1, alpha=0.5)
    assert view.comparison.rows[1].macs == 149_497_088
    assert view.table.cellWidget(1, 1).value() == 0.5
    view.table.cellWidget(1, 2).setValue(160)
    assert view.comparison.rows[1].macs == 76_524_800 and view.comparison.rows[1].resolution == "160×160"
    view.table.cellWidget(1, 2).setValue(224)
    heights = list(view.bar_chart.getItem(0, 1).items[0].opts["height"])
    assert heights == [300.774272, 149.497088]
    w.scaling.alpha.setValue(50)
    half = load_preset("mobilenet_v2")
    half.alpha = 0.5
    assert view.comparison.rows[0].macs == analyze(half).macs
    assert view.bar_chart.getItem(0, 1).items[0].opts["height"][0] == analyze(half).macs / 1e6
    point, label = view.scatter.points[0]
    assert point.points()[0].pos().x() == math.log10(analyze(half).macs) and label.isVisible()
    assert "MobileNetV2\n" + f"{analyze(half).macs:,} MACs" in point.points()[0].data()
    view.set_baseline(1)
    assert view.comparison.ratio(0, "macs") == analyze(half).macs / 149_497_088
    assert view.results.item(0, 0).text() == "MobileNetV2"
    written = view.save_all(tmp_path / "slides")
    assert {p.name for p in written} == {"compare.png", "compare.svg", "pareto.png", "pareto.svg",
                                         "compare.csv", "compare.md"}
    read_back(tmp_path / "slides", "compare")
    read_back(tmp_path / "slides", "pareto")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "slides" / "compare.csv").read_text())))
    assert int(rows[1]["macs"]) == 149_497_088
    md = (tmp_path / "slides" / "compare.md").read_text(encoding="utf-8")
    assert "| 149,497,088 |" in md and "Ratios (×) are to mobilenet_v1 α=0.5 224px" in md


def test_latency_scatter_when_timings_are_kept(v2, tmp_path):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    assert view.latency_scatter is None and view.charts.count() == 2
    timed = load_preset("squeezenet1_1")
    timed.extra["timings"] = [Timing(7.25, "torch", alpha=1.0, rho=1.0, device="cpu")]
    view.add_design("squeezenet1_1", timed)
    assert view.comparison.rows[0].latency_ms is None
    assert view.comparison.rows[1].latency_ms == 7.25
    tabs = [view.charts.tabText(i) for i in range(view.charts.count())]
    assert tabs == ["Bars", "MACs vs parameters", "MACs vs latency"]
    spots = [s for item in view.latency_scatter.getPlotItem().items
             if hasattr(item, "points") for s in item.points()]
    assert any("7.25 ms" in s.data() for s in spots)
    names = {p.name for p in view.save_all(tmp_path / "t")}
    assert {"pareto_latency.png", "pareto_latency.svg"} <= names
    read_back(tmp_path / "t", "pareto_latency")


def test_sweep_tab_draws_tables_6_and_7_with_hover_numbers(window, tmp_path):
    w = window(load_preset("mobilenet_v1"))
    view = w.sweep_view
    w.tabs.setCurrentWidget(view)
    marks = {(p.alpha, p.resolution): p for p in view.curves.marks}
    assert round(marks[(0.5, 224)].macs / 1e6) == 149 and round(marks[(1.0, 160)].macs / 1e6) == 291
    assert view.table.item(2, 0).text() == "149.5 M MACs / 1.33 M params"
    macs_over_alpha = view.chart.panels[0]
    tips = [s.data() for item in macs_over_alpha.items if hasattr(item, "points")
            for s in item.points()]
    assert len(tips) == 16
    assert "α = 0.5, 224×224\n149,497,088 MACs\n1,331,592 parameters" in tips
    view.alphas.setText("1,0.5")
    view.resolutions.setText("224,oops")
    view.refresh()
    assert "resolutions" in view.error.text() and len(view.curves.marks) == 16
    view.resolutions.setText("224")
    view.refresh()
    assert view.error.text() == "" and len(view.curves.marks) == 2
    written = view.save_all(tmp_path / "s")
    assert {p.name for p in written} == {"sweep.png", "sweep.svg", "sweep.csv", "sweep.md"}
    read_back(tmp_path / "s", "sweep")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s" / "sweep.csv").read_text())))
    assert [int(r["macs"]) for r in rows] == [568_740_352, 149_497_088]


def test_sweep_follows_the_open_design(window):
    w = window(load_preset("mobilenet_v1"))
    w.tabs.setCurrentWidget(w.sweep_view)
    before = w.sweep_view.curves.marks[0].macs
    from designer.core.commands import SetParam, SetSetting
    node = next(n for n in w.document.design.nodes.values() if n.kind == "sepconv")
    w.document.push(SetParam(node.id, "out_channels", node.params["out_channels"] * 2))
    after = w.sweep_view.curves.marks[0]
    assert after.macs > before and after.macs == analyze(w.document.design).macs
    drawn = w.sweep_view.curves
    w.scaling.alpha.setValue(50)
    assert w.sweep_view.curves is drawn  # α is the sweep's own axis: no redraw on a slider tick
    w.document.push(SetSetting("rounding", "divisible8"))  # the preset rounds with floor
    assert w.sweep_view.curves is not drawn


def test_block_kinds_tab_redraws_on_shape_change(v2, tmp_path):
    view = v2.block_view
    v2.tabs.setCurrentWidget(view)
    expected = compare_blocks((64, 56, 56), 128)
    assert [r.macs for r in view.comparison.rows] == [r.macs for r in expected.rows]
    view.fields["m"].setValue(256)
    expected = compare_blocks((64, 56, 56), 256)
    assert list(view.chart.bar_items["macs"].opts["height"]) == [r.macs / 1e6
                                                                  for r in expected.rows]
    assert view.table.item(2, 4).text() == f"{expected.rows[2].params_ratio:.3f}"
    view.fields["g"].setValue(3)
    assert "Left out: grouped conv, g = 3" in view.error.text()
    assert "Left out: channel shuffle, g = 3" in view.error.text()
    assert len(view.comparison.rows) == 12 - 3   # grouped conv, shuffle, ShuffleNetV2 (C ≠ M)
    written = view.save_all(tmp_path / "b")
    assert {p.name for p in written} == {"blocks.png", "blocks.svg", "blocks.csv", "blocks.md"}
    read_back(tmp_path / "b", "blocks")
    md = (tmp_path / "b" / "blocks.md").read_text(encoding="utf-8")
    assert "C·H·W·(K² + M) = 64·56·56·(3² + 256)" in md


@pytest.mark.parametrize("start", ["compare_view", "sweep_view", "block_view"])
def test_one_presentation_switch_for_every_workshop_chart(v2, start):
    views = [v2.compare_view, v2.sweep_view, v2.block_view]
    for view in views:
        v2.tabs.setCurrentWidget(view)
    small = v2.compare_view.bar_chart.getItem(0, 0).getAxis("left").style["tickFont"].pointSize()
    getattr(v2, start).presentation.setChecked(True)
    assert all(view.presentation.isChecked() for view in views)
    for view in views:
        v2.tabs.setCurrentWidget(view)
    big = v2.compare_view.bar_chart.getItem(0, 0).getAxis("left").style["tickFont"].pointSize()
    assert big > small
    assert v2.sweep_view.chart.panels[0].getAxis("left").style["tickFont"].pointSize() == big
    assert v2.block_view.table.font().pointSize() == 15
    assert v2.compare_view.results.font().pointSize() == 15
    for view in views:                      # a room must read "Left out: …" and "Invalid: …"
        assert view.error.notice.font().pointSize() == 15
        assert view.error.save_status.font().pointSize() == 15
    v2.compare_view.presentation.setChecked(False)
    assert v2.block_view.error.notice.font().pointSize() < 15
    entries = [a.text() for a in v2.menu("Tools").actions()]
    assert {"Compare designs", "Sweep α × resolution", "Compare block kinds"} <= set(entries)


def test_bad_file_and_unwritable_folder_are_reported_not_raised(v2, tmp_path, monkeypatch):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    bad = tmp_path / "broken.json"
    bad.write_text('{"format_version": 1, "nodes": [')
    assert view.add_file(str(bad)) is False
    assert "Not added" in view.error.text() and "broken.json" in view.error.text()
    assert len(view.comparison.rows) == 1
    from designer.core import io as design_io
    good = tmp_path / "v1.json"
    design_io.save(load_preset("mobilenet_v1"), good)
    assert view.add_file(str(good)) and view.error.text() == ""
    assert view.comparison.rows[1].macs == 568_740_352
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(blocked))
    view._save_dialog()
    assert view.error.save_status.text().startswith("Not saved: [Errno 17] File exists: '/")
    assert view.error.text() == ""


def test_an_invalid_open_design_is_flagged_then_cleared(v2):
    from designer.core.commands import SetParam
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    node = next(n for n in v2.document.design.nodes.values() if n.kind == "conv")
    v2.document.push(SetParam(node.id, "groups", 7))  # 7 divides neither 3 nor 32 channels
    assert not v2.document.analysis.ok
    assert view.error.text().startswith("Invalid: MobileNetV2 has 1 problem")
    v2.document.undo_stack.undo()
    assert v2.document.analysis.ok and view.error.text() == ""


def type_into(qtbot, edit, text, enter=True):
    """Replace a line edit's text as a user does: select all, type, and Enter if asked."""
    from PySide6.QtCore import Qt
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, Qt.Key_Return)


@pytest.fixture
def save_into(monkeypatch, tmp_path):
    """The folder dialog answers with an empty folder, made for each save."""
    from PySide6.QtWidgets import QFileDialog
    folders = []

    def choose(*args, **kwargs):
        folders.append(tmp_path / f"slides{len(folders)}")
        folders[-1].mkdir()
        return str(folders[-1])
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose)
    return folders


def test_sweep_refuses_to_save_while_its_marks_are_invalid_and_never_saves_stale_curves(
        window, qtbot, save_into):
    from PySide6.QtCore import Qt
    w = window(load_preset("mobilenet_v1"))
    view = w.sweep_view
    type_into(qtbot, view.alphas, "1,oops", enter=False)
    w.tabs.setCurrentWidget(view)
    assert view.curves is None and view.error.text().startswith("α marks: not a list")
    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    assert view.error.save_status.text() == "Not saved: α marks: not a list of numbers: '1,oops'"
    assert view.error.text().startswith("α marks: not a list")
    assert list(save_into[-1].iterdir()) == []

    type_into(qtbot, view.alphas, "1,0.5")
    assert len(view.curves.marks) == 8 and view.error.text() == ""
    type_into(qtbot, view.resolutions, "224,oops")
    assert view.error.text().startswith("resolutions: not a list") and len(view.curves.marks) == 8
    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    assert view.error.save_status.text() == (
        "Not saved: resolutions: not a list of whole numbers: '224,oops'")
    assert view.error.text().startswith("resolutions: not a list")
    assert list(save_into[-1].iterdir()) == []

    type_into(qtbot, view.resolutions, "160", enter=False)
    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    assert sorted(p.name for p in save_into[-1].iterdir()) == [
        "sweep.csv", "sweep.md", "sweep.png", "sweep.svg"]
    assert view.error.save_status.text() == f"Saved 4 files to {save_into[-1]}"
    assert view.error.text() == ""
    from designer.core.sweep import sweep
    rows = list(csv.DictReader(io.StringIO((save_into[-1] / "sweep.csv").read_text())))
    assert [(float(r["alpha"]), int(r["resolution"]), int(r["macs"])) for r in rows] == [
        (p.alpha, p.resolution, p.macs) for p in sweep(load_preset("mobilenet_v1"), [1, 0.5],
                                                       [160])]
    assert round(int(rows[0]["macs"]) / 1e6, 1) == 290.7  # MobileNet Table 7: 1.0-160, 290 M
    assert [p.resolution for p in view.curves.marks] == [160, 160]
    read_back(save_into[-1], "sweep")


def test_an_unforeseen_failure_while_saving_is_told_in_the_tab(window, qtbot, save_into,
                                                               monkeypatch):
    from PySide6.QtCore import Qt

    from designer.ui.workshop import sweep_view

    def broken(*args):
        raise RuntimeError("a bug in the sweep")
    w = window(load_preset("mobilenet_v1"))
    view = w.sweep_view
    w.tabs.setCurrentWidget(view)
    monkeypatch.setattr(sweep_view, "curves", broken)
    type_into(qtbot, view.alphas, "1,0.25", enter=False)
    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    assert view.error.save_status.text() == ("Not saved: unexpected error (RuntimeError: "
                                             "'a bug in the sweep')")
    assert list(save_into[-1].iterdir()) == []


def test_values_above_narrow_bars_never_overlap(window):
    """GoogLeNet beside MobileNetV2, SqueezeNet 1.1 and VGG16 at 1366×768: the MACs panel is too
    narrow for 0.301 and 0.349 side by side even at 9 pt, so a value that would touch its
    neighbour stands a line higher, and still inside the panel."""
    from PySide6.QtWidgets import QApplication

    w = window(load_preset("googlenet"))
    w.resize(1366, 768)
    w.tabs.setCurrentWidget(w.compare_view)
    for name in ("mobilenet_v2", "squeezenet1_1", "vgg16"):
        w.compare_view.add_preset(name)
    for _ in range(4):
        QApplication.processEvents()
    for metric, (plot, _, texts) in w.compare_view.bar_chart.parts.items():
        boxes = [t.sceneBoundingRect() for t in texts if t.toPlainText()]
        assert len(boxes) == 4
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a.intersected(b)
                assert overlap.width() <= 1 or overlap.height() <= 1, \
                    f"{metric}: values {a.getRect()} and {b.getRect()} overlap"
        top = plot.vb.mapRectToScene(plot.vb.boundingRect()).top()
        assert all(box.top() >= top - 1 for box in boxes), f"{metric}: a value is above the panel"


def test_the_designs_table_shows_only_its_current_widgets(v2, qtbot):
    """Rows rebuilt by each add: the replaced spin boxes, radio buttons and remove buttons
    must not linger over the new ones (they did, at their old column positions, until the
    event loop deleted them: "1.( 1.00", a second radio button, a half-covered remove)."""
    from PySide6.QtWidgets import QWidget

    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    for name in ("mobilenet_v1", "squeezenet1_1", "vgg16"):
        view.add_preset(name)
    table = view.table
    current = {table.cellWidget(r, c) for r in range(table.rowCount())
               for c in range(table.columnCount())} - {None}
    shown = {w for w in table.viewport().findChildren(QWidget)
             if w.isVisibleTo(table) and w.parent() is table.viewport()}
    assert len(current) == 4 * 3 + 2 and shown == current

    def in_their_cells():
        return all(table.cellWidget(r, c).geometry()
                   == table.visualRect(table.model().index(r, c))
                   for r in range(table.rowCount()) for c in range(table.columnCount())
                   if table.cellWidget(r, c) is not None)
    qtbot.waitUntil(in_their_cells)


def test_block_kinds_in_presentation_on_a_small_screen_values_apart_and_a_calm_note(window):
    """1366×768, presentation: eleven ratios at 15 pt above narrow bars ran into each other
    (0.250× 0.119× 0.153×). They now shrink and stack as the Compare tab's do. The default
    shapes (64 → 128) leave out the ShuffleNetV2 unit: that is told as a note, not in red."""
    from PySide6.QtWidgets import QApplication

    from designer.ui.style import ERROR, NOTE

    w = window(load_preset("mobilenet_v2"))
    w.resize(1366, 768)
    view = w.block_view
    w.tabs.setCurrentWidget(view)
    view.presentation.setChecked(True)
    for _ in range(4):
        QApplication.processEvents()
    assert "Left out: ShuffleNetV2 unit" in view.error.text()
    sheet = view.error.notice.styleSheet()
    assert NOTE.name() in sheet and ERROR.name() not in sheet
    plots = [item for item in view.chart.ci.items if hasattr(item, "vb")]
    assert len(plots) == 2
    for plot in plots:
        texts = [t for t in plot.items if hasattr(t, "toPlainText") and t.toPlainText()]
        boxes = [t.sceneBoundingRect() for t in texts]
        assert len(boxes) == len(view.comparison.rows)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a.intersected(b)
                assert overlap.width() <= 1 or overlap.height() <= 1, \
                    f"values {a.getRect()} and {b.getRect()} overlap"
        assert min(t.textItem.font().pointSize() for t in texts) >= 12   # read from the back
    view.fields["m"].setValue(64)
    assert "ShuffleNetV2" not in view.error.text()
