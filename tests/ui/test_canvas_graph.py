"""The canvas as a graph (issue 12), driven as a user drives it (pytest-qt, offscreen): wires
routed beside the blocks on the scene itself, a block dropped on a wire spliced in, a palette
double-click inserting after the selected block, the problems panel telling root causes from
waiting blocks, collapsed groups keeping every total, the minimap and selection moving the view."""
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QKeySequence
from PySide6.QtTest import QTest

from designer.core import io
from designer.core.builder import generated_dense
from designer.core.commands import SetParam
from designer.core.design import Design, Edge
from designer.core.groups import GROUP_PREFIX
from designer.core.layered import Box, overlapping, segments_cross_box
from designer.core.presets import load_preset
from designer.ui.canvas.node_item import LOD_SCALE
from designer.ui.style import ERROR, WAITING_TEXT


def check_scene(w):
    """The scene's own items: no two shown boxes overlap, no wire enters a box but its ends'."""
    boxes = w.scene.boxes()
    assert overlapping(boxes) == []
    owner = {m: g for g, members in w.scene.collapsed.items() for m in members}
    for item in w.scene.edge_items:
        ends = {owner.get(item.edge.src, item.edge.src), owner.get(item.edge.dst, item.edge.dst)}
        path = item.path()
        points = [(path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount())]
        assert points == [tuple(p) for p in item.points]
        for nid, box in boxes.items():
            if nid not in ends:
                assert not segments_cross_box(points, box), f"{item.edge} crosses {nid}"


@pytest.mark.parametrize("design", ["resnet18_layers", "resnet18", "googlenet", "dense"])
def test_scene_items_pass_the_geometric_checks(window, design):
    w = window(generated_dense(60) if design == "dense" else load_preset(design))
    assert len(w.scene.edge_items) == len(w.document.design.edges)
    check_scene(w)


def test_moving_a_block_by_hand_reroutes_its_wires_and_ctrl_l_lays_out_again(window, qtbot):
    w = window(load_preset("resnet18_layers"))
    item = w.scene.items_by_id["layer1.0.conv1"]
    w.view.resetTransform()
    w.view.centerOn(item)
    start = w.view.mapFromScene(item.scenePos() + QPointF(-40, 20))
    QTest.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    QTest.mouseMove(w.view.viewport(), pos=start + QPoint(300, 40))
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=start + QPoint(300, 40))
    assert w.document.design.layout["layer1.0.conv1"][0] > 200
    check_scene(w)
    hand = dict(w.document.design.layout)
    w.scaling.alpha.setValue(50)
    assert w.document.design.layout == hand, "positions placed by hand stay"
    w.auto_layout()
    assert w.document.design.layout != hand
    check_scene(w)
    w.document.undo_stack.undo()
    assert w.document.design.layout == hand


def drop_on(w, title, scene_pos):
    item = w.palette.findItems(title, Qt.MatchExactly)[0]
    mime = w.palette.mimeData([item])
    w.view.dropEvent(QDropEvent(QPointF(w.view.mapFromScene(scene_pos)), Qt.CopyAction, mime,
                                Qt.LeftButton, Qt.NoModifier))


def test_a_block_dropped_on_a_wire_is_spliced_in_and_selected_and_undo_restores(window):
    w = window(load_preset("resnet18_layers"))
    before = io.dumps(w.document.design)
    skip = next(i for i in w.scene.edge_items if i.edge == Edge("maxpool", "layer1.0.add", 1))
    x, y = max(skip.points, key=lambda p: p[0])
    w.view.resetTransform()
    w.view.centerOn(x, y)
    drop_on(w, "Convolution", QPointF(x, y))
    (new,) = set(w.document.design.nodes) - set(load_preset("resnet18_layers").nodes)
    edges = w.document.design.edges
    assert Edge("maxpool", new, 0) in edges and Edge(new, "layer1.0.add", 1) in edges
    assert Edge("maxpool", "layer1.0.add", 1) not in edges
    assert w.document.selected == [new]
    assert w.document.design.layout[new] == pytest.approx((x, y), abs=1.0)
    w.document.undo_stack.undo()
    assert io.dumps(w.document.design) == before


def test_a_block_dropped_away_from_wires_lands_there_selected(window):
    w = window(load_preset("resnet18_layers"))
    w.view.resetTransform()
    spot = QPointF(-900, 300)
    w.view.centerOn(spot)
    drop_on(w, "Max pool", spot)
    (new,) = w.document.selected
    assert w.document.design.nodes[new].kind == "maxpool"
    assert w.scene.items_by_id[new].pos() == spot


def test_double_click_in_the_palette_inserts_after_the_selected_block(window, qtbot):
    w = window(load_preset("mobilenet_v2"))
    before = io.dumps(w.document.design)
    w.document.select(["block3"])
    successor = [e.dst for e in w.document.design.consumers_of("block3")]
    old_layout = dict(w.document.design.layout)
    item = w.palette.findItems("Depthwise conv", Qt.MatchExactly)[0]
    centre = w.palette.visualItemRect(item).center()
    QTest.mouseClick(w.palette.viewport(), Qt.LeftButton, pos=centre)  # a double-click's press
    QTest.mouseDClick(w.palette.viewport(), Qt.LeftButton, pos=centre)
    (new,) = w.document.selected
    assert new not in old_layout
    design = w.document.design
    assert [e.src for e in design.inputs_of(new)] == ["block3"]
    assert [e.dst for e in design.consumers_of(new)] == successor
    assert w.document.analysis.ok, "the successor reads the new block: nothing dangles"
    assert design.layout["block4"][1] > old_layout["block4"][1], "the rest is pushed down"
    check_scene(w)
    assert overlapping(w.scene.boxes()) == []
    w.document.undo_stack.undo()
    assert io.dumps(w.document.design) == before


def test_problems_panel_separates_the_root_cause_from_blocks_waiting_on_it(window, qtbot):
    w = window(load_preset("resnet18_layers"))
    assert w.problems.list.count() == 0 and "No problems" in w.problems.summary.text()
    w.document.push(SetParam("layer2.0.conv1", "stride", 1))
    rows = [w.problems.list.item(i) for i in range(w.problems.list.count())]
    assert len(rows) == 20
    assert rows[0].foreground().color() == ERROR
    assert "128×56×56, 128×28×28" in rows[0].text() and "port 1 from layer2.0.downsample" in \
        rows[0].text()
    assert all(r.foreground().color() == WAITING_TEXT for r in rows[1:])
    assert rows[-1].text() == "⋯ fc: waiting on layer2.0.add"
    assert w.problems.summary.text().startswith("1 root cause")
    root = w.scene.items_by_id["layer2.0.add"]
    assert root.error and root.waiting is None
    assert "port 1 from layer2.0.downsample: 128×28×28" in root.toolTip()
    fc = w.scene.items_by_id["fc"]
    assert fc.waiting == "layer2.0.add" and fc.texts()[1][0] == "⋯ waiting on layer2.0.add"
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["conv1"])
    w.problems.list.itemClicked.emit(rows[-1])
    assert w.document.selected == ["fc"]
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert seen.contains(fc.sceneBoundingRect())


def test_a_design_opened_with_a_problem_shows_the_problems_panel_in_front(window):
    """Opened broken (a file saved mid-edit), the design's problem is not left to a status-bar
    line: the Problems tab is in front, as when a problem first appears while editing."""
    design = load_preset("resnet18_layers")
    SetParam("layer2.0.conv2", "stride", 2).do(design)
    w = window(design)
    assert w.problems.list.count() == 20
    assert not w.problems.visibleRegion().isEmpty() and w.formulas.visibleRegion().isEmpty()


def test_collapsing_a_group_keeps_every_total_and_draws_one_box(window, tmp_path):
    w = window(load_preset("googlenet"))
    totals = w.totals.text()
    analysis = w.document.analysis.to_dict()
    w.scene.set_group_collapsed("inception3a", True)
    gid = GROUP_PREFIX + "inception3a"
    box = w.scene.group_items[gid]
    assert box.title == "▸ inception3a" and box.subtitle == "group of 8 blocks"
    assert box.badge == "155.87k params · 121.63M MACs"
    assert not w.scene.items_by_id["inception3a.branch1"].isVisible()
    assert w.totals.text() == totals and w.document.analysis.to_dict() == analysis
    assert not w.document.modified, "collapsing is view state, not an edit"
    check_scene(w)
    into = [i for i in w.scene.edge_items if i.edge.dst == "inception3a.branch1"]
    assert into and into[0].points[-1] == pytest.approx((box.pos().x(), box.pos().y()))
    w.document.save(tmp_path / "g.json")
    assert io.load(tmp_path / "g.json").view == {"collapsed": ["inception3a"]}
    w.scene.set_group_collapsed("inception3a", False)
    assert gid not in w.scene.group_items and w.scene.items_by_id["inception3a.branch1"].isVisible()
    check_scene(w)


def test_zoomed_out_blocks_are_compact_and_named(window):
    w = window(load_preset("mobilenet_v2"))
    w.view.fit()
    assert w.view.transform().m11() < LOD_SCALE
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert seen.contains(w.scene.itemsBoundingRect()), "the whole network is in view"
    image = w.view.grab().toImage()
    classifier = w.scene.items_by_id["classifier"]
    centre = w.view.mapFromScene(classifier.sceneBoundingRect().center())
    dark = sum(QColor(image.pixel(centre.x() + dx, centre.y())).value() < 100
               for dx in range(-30, 30))
    assert dark > 3, "the name is drawn large enough to see"


def test_an_empty_design_says_what_to_do(window):
    w = window(Design())
    image = w.view.grab().toImage()
    middle = w.view.viewport().rect().center()
    dark = sum(QColor(image.pixel(x, y)).value() < 160
               for x in range(middle.x() - 150, middle.x() + 150)
               for y in range(middle.y() - 30, middle.y() + 30))
    assert dark > 50
    assert not w.view.minimap.isVisible()


def test_the_minimap_moves_the_canvas(window, qtbot):
    w = window(load_preset("googlenet"))
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["input"])
    minimap = w.view.minimap
    qtbot.waitUntil(lambda: minimap.source.height() > 0)
    target = w.scene.items_by_id["fc"].sceneBoundingRect().center()
    point = minimap._to_widget(target).toPoint()
    QTest.mousePress(minimap, Qt.LeftButton, pos=point)
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert seen.contains(target)
    frame = minimap.shown_rect()
    assert frame.contains(QPointF(point))


def test_selecting_a_block_in_the_chart_brings_it_into_view(window):
    w = window(load_preset("googlenet"))
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["input"])
    w.document.select(["inception5b.branch4b"])
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert seen.contains(w.scene.items_by_id["inception5b.branch4b"].sceneBoundingRect())


def test_selecting_a_block_inside_a_collapsed_group_brings_the_group_into_view(window):
    """A chart bar of a block in a collapsed group: its group's box is what is drawn, so that
    box is brought into view (it was left off screen)."""
    w = window(load_preset("googlenet"))
    w.scene.set_group_collapsed("inception5b", True)
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["input"])
    w.document.select(["inception5b.branch4b"])
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    box = w.scene.group_items[GROUP_PREFIX + "inception5b"]
    assert seen.contains(box.sceneBoundingRect())


def test_find_block_selects_a_block_by_name_and_brings_it_into_view(window, monkeypatch):
    """Edit > Find block (Ctrl+F): a name typed (or part of one, any case) selects the block and
    the canvas goes to it, as a chart bar or a Problems row does."""
    from PySide6.QtWidgets import QInputDialog

    w = window(load_preset("googlenet"))
    offered = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, names, *rest:
                        offered.append(list(names)) or ("INCEPTION5B.branch4", True))
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["input"])
    (find,) = [a for a in w.menu("Edit").actions() if a.text() == "&Find block…"]
    assert find.shortcut() == QKeySequence.Find
    find.trigger()
    assert "inception5b.branch4b" in offered[0]
    assert w.document.selected == ["inception5b.branch4a"]
    seen = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert seen.contains(w.scene.items_by_id["inception5b.branch4a"].sceneBoundingRect())


def test_the_input_of_a_hand_made_design_stays_above_the_block_it_feeds(window):
    """A design built from nothing by the palette leaves the input unplaced: it is drawn above
    the block it feeds, also once a skip wire makes the layout give the blocks a lane."""
    from designer.core.editing import wire

    w = window(Design())
    for kind in ("conv", "conv", "conv", "add"):
        w.append_block(kind, {})
    conv1, *_, add = list(w.document.design.nodes)
    w.document.push(wire(w.document.design, conv1, add))
    pos = {nid: item.pos() for nid, item in w.scene.items_by_id.items()}
    assert pos["input"].x() == pos[conv1].x()
    assert pos["input"].y() < pos[conv1].y()


def test_an_alpha_tick_updates_items_in_place(window):
    w = window(load_preset("googlenet"))
    nodes = dict(w.scene.items_by_id)
    wires = list(w.scene.edge_items)
    w.scaling.alpha.setValue(50)
    assert w.scene.items_by_id == nodes and w.scene.edge_items == wires
    assert "64×" not in w.scene.items_by_id["conv1"].subtitle
    assert Box  # the scene's boxes are core's Box
