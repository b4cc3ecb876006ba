"""The per-block chart's log scale is honest: bars rise from a floor under the least value, so a
value under 1 (a block's estimated 0.3 ms) stands at its true height, apart from 1 and from 0;
a value of 0 has no place on a log axis and is not drawn, but marked at the floor and named
beside the menu and on hover; the ghost (α = 1) bars follow the same rule; the ticks read in
the metric's unit, under 1 too."""
import math

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from designer.core.chart_text import log_floor, log_heights
from tests.ui.test_estimate_ui import PROFILE


def tops(charts):
    """Where each drawn bar's top is, on the axis (log10 of its value on the log scale)."""
    y0 = charts.bars.opts["y0"] or 0          # pyqtgraph: None is 0
    return [y0 + h for h in charts.bars.opts["height"]]


def test_the_floor_sits_under_the_least_value_and_a_zero_has_no_bar():
    base = log_floor([0.3, 1, 0, 2e7])
    assert base == -1 and base < math.log10(0.3) - 0.3
    heights = log_heights([0.3, 1, 0, 2e7], base)
    assert heights[2] == 0                                   # 0: no bar
    assert 0 < heights[0] < heights[1] < heights[3]          # 0.3 below 1, both above the floor
    assert math.isclose(base + heights[0], math.log10(0.3))
    assert log_floor([0, None]) == -1 and log_floor([5e6]) == 6


def test_values_under_one_stand_at_their_true_log_height(v2, qtbot):
    charts = v2.charts
    v2.document.set_profile(PROFILE)
    charts.metric_box.setCurrentText("Estimated latency")
    charts.log.setChecked(True)
    values = charts.values
    small = [v for v in values if 0 < v < 1]
    assert len(small) >= 5 and any(v >= 1 for v in values)     # MobileNetV2's blocks: mostly < 1 ms
    for top, v in zip(tops(charts), values):
        assert math.isclose(top, math.log10(v), abs_tol=1e-9)
    low, _ = charts.bars_plot.getPlotItem().vb.viewRange()[1]
    assert low == charts.bars.opts["y0"] < math.log10(min(small))
    assert len({round(t, 6) for t in tops(charts)}) > len(values) // 2   # not all at one height
    ticks = dict(charts.value_axis._tickLevels[0] + charts.value_axis._tickLevels[1])
    assert ticks[-1.0] == "0.1 ms" and ticks[0.0] == "1 ms"
    assert charts.value_axis.labelText == "Estimated latency (log)"
    assert not charts.zero_marks.data.size and charts.info.text() == ""


def test_a_zero_is_marked_at_the_floor_and_named_not_drawn_as_one(v2, qtbot):
    charts = v2.charts
    charts.metric_box.setCurrentText("MACs")
    charts.log.setChecked(True)
    zeros = [i for i, v in enumerate(charts.values) if v == 0]
    assert [charts.names[i] for i in zeros] == ["avgpool", "dropout"]
    heights = charts.bars.opts["height"]
    assert all(heights[i] == 0 for i in zeros)
    assert all(heights[i] > 0 for i in range(len(heights)) if i not in zeros)
    xs, ys = charts.zero_marks.getData()
    assert list(xs) == zeros and all(charts.bars.opts["y0"] < y for y in ys)
    assert charts.info.text() == "0 MACs, not drawn on a log scale: avgpool, dropout"
    assert charts.bars_plot.toolTip() == charts.info.text()
    vb = charts.bars_plot.getPlotItem().vb
    charts._hover(vb.mapViewToScene(QPointF(zeros[0], ys[0])))
    assert charts.info.text() == "avgpool: 0 MACs (0 MAC), not drawn on a log scale"
    charts._hover(vb.mapViewToScene(QPointF(-5, ys[0])))             # off the bars: the note
    assert charts.info.text().startswith("0 MACs, not drawn")
    charts.log.setChecked(False)
    assert not charts.zero_marks.getData()[0].size and charts.info.text() == ""


def test_the_ghost_bars_follow_the_same_log_rule(v2, qtbot):
    charts = v2.charts
    v2.document.set_profile(PROFILE)
    charts.metric_box.setCurrentText("Estimated latency")
    charts.log.setChecked(True)
    v2.scaling.alpha.setValue(50)
    assert v2.document.design.alpha == 0.5
    ghost = charts.ghost_values
    assert ghost and any(0 < v < 1 for v in ghost)
    y0 = charts.ghost_bars.opts["y0"] or 0
    assert y0 == (charts.bars.opts["y0"] or 0) <= log_floor(ghost + charts.values)
    for h, v in zip(charts.ghost_bars.opts["height"], ghost):
        assert math.isclose(y0 + h, math.log10(v), abs_tol=1e-9)


def test_a_long_note_beside_the_menu_never_narrows_the_canvas(v2, qtbot):
    """At 1366×768 the notes beside the menu ("No device profile for this machine yet: …",
    the blocks at 0 on a log scale) end in "…" with the whole text in their tooltip; before,
    the label's width pushed the canvas to a sliver."""
    v2.resize(1366, 768)
    charts = v2.charts
    qtbot.waitUntil(lambda: v2.view.width() > 250)
    canvas = v2.view.width()
    charts.metric_box.setCurrentText("Estimated latency")
    assert charts.info.text().startswith("No device profile")
    QApplication.processEvents()
    assert v2.view.width() == canvas
    assert charts.info.shown().endswith("…") and charts.info.toolTip() == charts.info.text()
    charts.metric_box.setCurrentText("MACs")
    charts.log.setChecked(True)
    QApplication.processEvents()
    assert charts.info.text().startswith("0 MACs") and v2.view.width() == canvas


def test_a_ghost_bar_of_0_stands_where_a_real_0_is_marked(v2, qtbot):
    """The ghost gets no ▽ of its own, as none is needed: a block's 0 (an add's parameters, a
    dropout's MACs) is 0 at any α and ρ, so each ghost bar of 0 stands where the real bar's ▽
    already is. (A ghost that is 0 because the design fails at α = 1 would sit on a real bar
    and read as a 0 it is not.)"""
    charts = v2.charts
    v2.document.set_profile(PROFILE)
    charts.log.setChecked(True)
    v2.scaling.alpha.setValue(50)
    for metric in ("MACs", "Parameters", "Estimated latency"):
        charts.metric_box.setCurrentText(metric)
        ghost_zeros = [i for i, v in enumerate(charts.ghost_values) if v <= 0]
        assert charts.ghost_values and (ghost_zeros or metric == "Estimated latency")
        xs, _ = charts.zero_marks.getData()
        assert list(xs) == ghost_zeros == [i for i, v in enumerate(charts.values) if v <= 0]
