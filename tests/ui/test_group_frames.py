"""Frames around expanded groups on the canvas (issue 12): drawn where core puts them around the
scene's own boxes (an expanded block's full height too), enclosing exactly their members' items
and crossing no other block; clicking a frame's ▾ collapses the group (view state, no edit)."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from designer.core.frames import group_frames
from designer.core.groups import GROUP_PREFIX, design_groups
from designer.core.presets import load_preset


def shown_rects(w):
    """Drawn id -> the scene rectangle of its block's (or collapsed group's) body."""
    items = [(n, i) for n, i in w.scene.items_by_id.items() if i.isVisible()]
    items += list(w.scene.group_items.items())
    return {n: i.mapRectToScene(i.body()) for n, i in items}


def check_frames(w):
    rects = shown_rects(w)
    expected = group_frames(w.document.design, w.scene.boxes(), w.scene.collapsed)
    assert {f.name: f for f in expected} == {n: i.frame for n, i in w.scene.frame_items.items()}
    for name, item in w.scene.frame_items.items():
        frame = item.mapRectToScene(item.frame_rect())
        held = {n for n, r in rects.items() if r.intersects(frame)}
        assert held == set(item.frame.members), name
        assert all(frame.contains(rects[m]) for m in item.frame.members), name


def test_googlenet_frames_every_inception_module_around_exactly_its_blocks(window):
    w = window(load_preset("googlenet"))
    assert set(w.scene.frame_items) == set(design_groups(w.document.design))
    check_frames(w)
    # an expanded block grows: its frame grows with it
    w.scene.items_by_id["inception3a.branch2a"].set_expanded(True)
    check_frames(w)


def test_clicking_a_frames_control_collapses_its_group(window, qtbot):
    w = window(load_preset("resnet18_layers"))
    check_frames(w)
    item = w.scene.frame_items["layer1.0"]
    centre = item.control_rect().center()
    w.view.centerOn(centre)
    at = w.view.mapFromScene(centre)
    assert w.scene.itemAt(QPointF(centre), w.view.transform()) is item
    QTest.mouseClick(w.view.viewport(), Qt.LeftButton, pos=at)
    qtbot.waitUntil(lambda: GROUP_PREFIX + "layer1.0" in w.scene.group_items)
    assert "layer1.0" not in w.scene.frame_items and not w.document.modified
    assert GROUP_PREFIX + "layer1.0" in w.scene.frame_items["layer1"].frame.members
    check_frames(w)
