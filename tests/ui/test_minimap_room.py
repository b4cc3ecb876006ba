"""The overview never covers a block, and a fitted view keeps the design's input in sight.

At 1366×768 in presentation the canvas is some 340 px wide: the overview, an overlay in its
corner, covered block2's cost line, and presentation's zoom (about the view's centre) pushed the
input block's top out of view. Checked geometrically, through the view's scene mapping, as a
user would see it."""
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from designer.core.design import INPUT
from designer.core.presets import load_preset


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def opened(window, name, size, presenting=False):
    """As ``convsketch NAME`` opens it (shown, then fitted), at ``size``."""
    w = window(load_preset(name))
    w.resize(*size)
    settle()
    w.view.fit()
    if presenting:
        w.presentation.enter(size)
    settle()
    return w


def in_viewport(view, item, rect) -> QRect:
    """``rect`` of ``item`` as the viewport shows it (its own pixels), cut to what is in view."""
    shown = view.mapFromScene(item.mapToScene(rect)).boundingRect()
    return shown.intersected(view.viewport().rect())


def covered_texts(w) -> list[str]:
    """The blocks' lines (name, shape, cost) whose visible part the overview overlaps."""
    view = w.view
    if not view.minimap.isVisible():
        return []
    minimap = QRect(view.viewport().mapFrom(view, view.minimap.pos()), view.minimap.size())
    return [f"{item.title}: {text}" for item in view.scene().items_by_id.values()
            if item.isVisible() for text, rect in item.rows()
            if not in_viewport(view, item, rect).isEmpty()
            and in_viewport(view, item, rect).intersects(minimap)]


def input_in_view(w) -> bool:
    view = w.view
    item = view.scene().items_by_id[INPUT]
    return view.viewport().rect().contains(
        view.mapFromScene(item.sceneBoundingRect()).boundingRect())


@pytest.mark.parametrize("name", ["mobilenet_v2", "googlenet", "resnet18_layers"])
def test_presentation_at_1366_hides_no_block_and_shows_the_input(window, name):
    w = opened(window, name, (1366, 768), presenting=True)
    try:
        assert w.view.viewport().width() < 400  # the narrow canvas this is about
        assert covered_texts(w) == []
        assert input_in_view(w)
        assert w.view.transform().m11() >= 0.6  # blocks drawn whole, names readable
    finally:
        w.presentation.leave()
    settle()
    assert input_in_view(w) and covered_texts(w) == []


def test_on_a_wide_canvas_the_overview_has_a_strip_of_its_own(window):
    w = opened(window, "googlenet", (1920, 1080))
    view = w.view
    assert view.minimap.isVisible(), "GoogLeNet is longer than the canvas: the overview helps"
    assert not view.minimap.geometry().intersects(view.viewport().geometry())
    assert covered_texts(w) == [] and input_in_view(w)


def test_the_overview_goes_when_the_whole_design_is_in_view(window):
    w = opened(window, "squeezenet1_1", (1920, 1080))
    view = w.view
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert seen.contains(view.scene().itemsBoundingRect())
    assert not view.minimap.isVisible()
    view.zoom(1.0 / view.transform().m11())   # blocks at full size: the design is longer
    assert view.minimap.isVisible()
    assert not view.minimap.geometry().intersects(view.viewport().geometry())


def test_a_fitted_view_refits_as_the_window_settles_until_the_user_zooms(window):
    w = opened(window, "mobilenet_v2", (1920, 1080))
    view = w.view
    w.resize(1366, 768)
    settle()
    assert input_in_view(w)
    wheel = QWheelEvent(QPointF(100, 100), view.viewport().mapToGlobal(QPointF(100, 100)),
                        QPoint(0, 0), QPoint(0, 120), Qt.NoButton, Qt.NoModifier,
                        Qt.NoScrollPhase, False)
    view.wheelEvent(wheel)
    zoomed = view.transform().m11()
    w.resize(1600, 1000)
    settle()
    assert view.transform().m11() == pytest.approx(zoomed), "the user's zoom is kept"


def test_at_1366_a_design_longer_than_the_canvas_gets_the_overview(window):
    """MobileNetV2 at 1366×768 shows 4 of its 22 blocks at full size: the overview, in a strip
    of its own, shows the rest and takes the canvas there, and the block in view stays whole."""
    w = opened(window, "mobilenet_v2", (1366, 768))
    view = w.view
    assert view.transform().m11() >= 0.6 and view.viewport().width() < 400   # blocks readable
    assert view.minimap.isVisible()
    assert not view.minimap.geometry().intersects(view.viewport().geometry())
    assert covered_texts(w) == [] and input_in_view(w)
