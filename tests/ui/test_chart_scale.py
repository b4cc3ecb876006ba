"""Charts at scale and when nothing can be counted (issue 12): more blocks than pixels are drawn
as decimated bars that keep every peak and still select the block they show; the memory curve is
drawn as the band it fills, one column a pixel, with its peak kept; and a design in which nothing can
be counted has both charts say why, in core's words, inside the plot, instead of empty axes."""
from __future__ import annotations

from PySide6.QtCore import QPointF

from designer.core.analysis import analyze
from designer.core.builder import generated_chain
from designer.core.commands import SetParam
from designer.core.presets import load_preset
from designer.core.problems import uncounted_reason


def test_a_thousand_blocks_are_decimated_to_the_plots_pixels_keeping_each_peak(window, qtbot):
    design = generated_chain(1000)
    w = window(design)
    w.resize(900, 700)
    c = w.charts
    c.metric_box.setCurrentText("MACs")
    room = int(c.bars_plot.getPlotItem().vb.width())
    qtbot.waitUntil(lambda: len(c.bars.opts["x"]) == min(1000, room))
    assert room < 1000
    heights = list(c.bars.opts["height"])
    macs = [b.macs for b in w.document.analysis.blocks]
    assert max(heights) == max(macs)
    for b in c.buckets:  # each bar shows the largest block of its run
        assert c.heights[b.peak] == max(macs[b.start:b.stop])
    # clicking the bar of a run selects the block it shows
    vb = c.bars_plot.getPlotItem().vb
    run = c.buckets[len(c.buckets) // 2]
    centre = vb.mapViewToScene(QPointF((run.start + run.stop - 1) / 2, heights[0] / 2))
    assert c.bar_at(centre) == run.peak


def test_the_memory_curve_is_a_band_of_at_most_one_column_a_pixel_keeping_its_peak(window, qtbot):
    w = window(generated_chain(1000))
    w.resize(900, 700)
    m = w.charts.memory_plot
    live = list(w.document.analysis.memory_live)
    room = int(m.getPlotItem().vb.width())
    qtbot.waitUntil(lambda: 0 < len(m.band.drawn[0]) <= room)
    assert len(live) > 2 * room
    xs, lows, highs = m.band.drawn
    assert max(highs) == max(live) and min(lows) == min(live)
    assert xs == sorted(xs) and all(lo <= hi for lo, hi in zip(lows, highs))
    # the band spans the blocks' axis, the per-block chart's: block j at x = j
    assert -0.5 <= xs[0] < xs[-1] <= len(w.document.analysis.blocks) - 0.5


def test_groups_2_on_mobilenet_v2s_first_conv_has_both_charts_say_why(window, qtbot):
    """Issue 12: groups=2 on a conv with 3 input channels blanked both charts into axes."""
    w = window(load_preset("mobilenet_v2"))
    first = next(iter(w.document.design.nodes))
    w.document.push(SetParam(first, "groups", 2))
    reason = uncounted_reason(w.document.design, w.document.analysis)
    assert reason.startswith("Nothing can be counted: conv1.groups:")
    c = w.charts
    for plot, text in ((c.bars_plot, c.empty), (c.memory_plot, c.memory_plot.empty)):
        assert text.textItem.toPlainText() == reason
        assert text.isVisible()
        item = plot.getPlotItem()
        assert not item.getAxis("left").isVisible() and not item.getAxis("bottom").isVisible()

        def inside(text=text, plot=plot):
            box = text.mapRectToScene(text.boundingRect())
            view = plot.getPlotItem().vb.sceneBoundingRect()
            return view.contains(box.center()) and box.width() <= view.width()  # wrapped
        qtbot.waitUntil(inside)
    w.document.undo_stack.undo()
    assert c.empty.textItem.toPlainText() == c.memory_plot.empty.textItem.toPlainText() == ""
    assert c.bars_plot.getPlotItem().getAxis("left").isVisible()
    assert c.memory_plot.getPlotItem().getAxis("bottom").isVisible()
    assert uncounted_reason(w.document.design, analyze(w.document.design)) is None
