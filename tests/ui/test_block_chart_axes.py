"""The Design tab's per-block chart makes room for its axis labels as the workshop's charts do:
on every metric, linear and log ("0.002 ms", "500MB", "100k"), at 1366×768 and 1920×1080, at a
desk's and a projector's font, every tick label the value axis means to write is drawn whole
inside it and clear of its title, and the block names under the bars fit the bottom axis."""
import pytest
from PySide6.QtGui import QFontMetricsF

from designer.ui.charts.axis_room import tick_strings
from tests.ui.test_axis_room import assert_room, drawn_labels, laid_out
from tests.ui.test_estimate_ui import PROFILE

NEEDS = {("Estimated latency", True): ("0.001 ms", "0.01 ms", "0.1 ms", "1 ms"),
         ("Activation memory", True): ("10kB", "100kB", "1MB", "10MB"),
         ("MACs", True): ("100k", "1M", "10M")}


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_the_per_block_value_axis_makes_room_for_its_labels(v2, qtbot, size, presentation):
    v2.document.set_profile(PROFILE)
    v2.resize(*size)
    if presentation:
        v2.presentation.enter(size)
    try:
        charts = v2.charts
        for metric in ("Estimated latency", "Activation memory", "MACs", "Parameters"):
            for log in (True, False):
                charts.metric_box.setCurrentText(metric)
                charts.log.setChecked(log)
                axis = charts.bars_plot.getAxis("left")
                points = (axis.style["tickFont"] or axis.font()).pointSize()
                assert points > 10 if presentation else points <= 10   # 9 pt × 1.28 or 1.8
                qtbot.waitUntil(lambda a=axis: a.isVisible() and laid_out(a))
                needs = NEEDS.get((metric, log), ())
                if presentation and log:   # a projector's font: every other power of ten
                    needs = needs[::2] if len(needs) > 3 else needs[:1]
                labels_fit(axis, needs)
                bottom = charts.bars_plot.getAxis("bottom")
                qtbot.waitUntil(lambda b=bottom: b.height() == b.minimumHeight())
                assert_room(bottom)
    finally:
        if presentation:          # the theme's scale is global: the next test's desk
            v2.presentation.leave()


def labels_fit(axis, needs):
    """Every label pyqtgraph would draw at this axis's length (a log axis's 2 and 5 × 10^k only
    while they leave room along it: ``tick_strings``) is drawn, whole, inside the axis, clear
    of the title, which runs outside them."""
    meant = tick_strings(axis)
    assert set(needs) <= set(meant), (needs, meant)
    drawn = drawn_labels(axis)
    assert {text for _, text in drawn} >= set(meant), "a tick label was dropped for want of room"
    metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
    widest = max(metrics.horizontalAdvance(s) for s in meant)
    assert axis.width() >= widest + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    title = axis.label.mapRectToParent(axis.label.boundingRect())
    for rect, text in drawn:
        assert rect.left() >= 0 and rect.right() <= axis.width()
        assert rect.width() >= metrics.horizontalAdvance(text)
        assert title.right() < rect.left(), f"the title runs over {text!r}"
