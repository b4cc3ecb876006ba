"""Issue 17's chart truths in the Design tab: the ghost of α = 1, ρ = 1 behind the bars with a
y axis that holds while α moves, units from the values, the memory chart's block names and its
peak label inside the plot, and words instead of empty axes."""
from __future__ import annotations

import math

from PySide6.QtGui import QImage, QPainter

from designer.core.analysis import analyze
from designer.core.commands import SetSetting
from designer.core.design import Design
from designer.core.presets import load_preset
from designer.core.timings import Timing


def tick_texts(plot, side="bottom"):
    axis = plot.getAxis(side)
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    return [(rect, text) for rect, _, text in specs[2]]


def test_the_ghost_is_the_unscaled_design_and_the_y_axis_holds_while_alpha_moves(window):
    w = window(load_preset("mobilenet_v1"))
    c = w.charts
    assert not c.ghost_bars.isVisible()                   # at α = 1, ρ = 1 there is no ghost
    full = analyze(load_preset("mobilenet_v1"))
    ranges = []
    for alpha in (0.75, 0.5, 0.25):
        w.document.push(SetSetting("alpha", alpha))
        assert c.ghost_bars.isVisible()
        assert list(c.ghost_bars.opts["height"]) == [b.macs for b in full.blocks]
        assert list(c.bars.opts["height"]) == [b.macs for b in w.document.analysis.blocks]
        ranges.append(c.bars_plot.getPlotItem().vb.viewRange()[1])
    assert ranges[0] == ranges[1] == ranges[2]            # fixed while dragging
    assert ranges[0][0] == 0 and ranges[0][1] >= max(b.macs for b in full.blocks)
    assert c.value_axis.label.toPlainText().strip() == "MACs (M)"


def test_units_come_from_the_values(window):
    small = load_preset("mobilenet_v1")
    small.alpha, small.rho = 0.25, 128 / 224
    w = window(small)
    # the α = 1, ρ = 1 ghost (6.4 MB at its peak) holds the axis in MB while α is small ...
    assert w.charts.memory_plot.value_axis.label.toPlainText().strip() == "Live memory (MB)"
    w.charts.metric_box.setCurrentText("Activation memory")
    assert w.charts.value_axis.label.toPlainText().strip() == "Activation memory (MB)"
    # ... and the design on its own, at 524 kB, reads in kB, not "MB (x0.001)"
    w.charts.memory_plot.show_analysis(w.document.analysis)
    assert w.document.analysis.peak_activation_bytes == 524_288
    assert w.charts.memory_plot.value_axis.label.toPlainText().strip() == "Live memory (kB)"
    texts = [t for _, t in tick_texts(w.charts.memory_plot, "left")]
    assert texts and all(0 <= float(t.replace(",", "")) < 1000 for t in texts)  # kB: no "e"


def test_memory_chart_names_blocks_starts_at_zero_and_keeps_the_peak_label_inside(window, qtbot):
    w = window(load_preset("vgg16"))
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: w.charts.memory_plot.width() > 300)
    m = w.charts.memory_plot
    m.show_analysis(w.document.analysis)
    names = [t for _, t in tick_texts(m)]
    a = w.document.analysis
    assert names and set(names) <= {b.name for b in a.blocks}
    assert a.peak_at.split("/")[0] in names                   # the peak's block is named
    assert m.getPlotItem().vb.viewRange()[1][0] == 0
    vb = m.getPlotItem().vb
    label = m.peak_label.mapRectToScene(m.peak_label.boundingRect())
    assert vb.sceneBoundingRect().contains(label), (label, vb.sceneBoundingRect())


def test_vgg16s_largest_bar_is_named(window, qtbot):
    w = window(load_preset("vgg16"))
    w.charts.metric_box.setCurrentText("Parameters")
    qtbot.waitUntil(lambda: "fc6" in [t for _, t in tick_texts(w.charts.bars_plot)])


def test_an_empty_design_says_what_to_do(window):
    w = window(Design())
    assert w.charts.empty.textItem.toPlainText().startswith("Nothing to count yet: drag a block")


# -- Compare ---------------------------------------------------------------------------------------
def compare_with_vgg(window):
    w = window(load_preset("mobilenet_v1"))
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    view.add_preset("vgg16")
    timed = load_preset("squeezenet1_1")
    timed.extra["timings"] = [Timing(7.25, "torch", alpha=1.0, rho=1.0, device="cpu")]
    view.add_design(timed.name, timed)
    return w, view


def panel_texts(view, metric):
    _, bars, texts = view.bar_chart.parts[metric]
    return list(bars.opts["height"]), [t.textItem.toPlainText() for t in texts]


def test_compare_says_no_timing_and_uses_display_names(window):
    _, view = compare_with_vgg(window)
    assert [r.label for r in view.comparison.rows] == ["MobileNetV1", "VGG16 α=1 224px",
                                                      "SqueezeNet 1.1 α=1 224px"]
    _, texts = panel_texts(view, "latency_ms")
    assert texts == ["no timing", "no timing", "7.25"]


def test_compare_ratio_view_writes_plain_multiples_of_the_baseline(window):
    _, view = compare_with_vgg(window)
    view.view.setCurrentText("ratio to baseline")
    heights, texts = panel_texts(view, "macs")
    rows = view.comparison.rows
    assert heights == [1.0, rows[1].macs / rows[0].macs, rows[2].macs / rows[0].macs]
    assert texts[0] == "1.00×" and texts[1] == f"{rows[1].macs / rows[0].macs:,.1f}×"
    assert all("e+" not in t for t in texts)
    plot = view.bar_chart.parts["macs"][0]
    assert plot.titleLabel.text.startswith("MACs (× MobileNetV1)")


def test_compare_log_view_keeps_small_designs_visible(window):
    _, view = compare_with_vgg(window)
    view.view.setCurrentText("log scale")
    heights, texts = panel_texts(view, "params")
    plot = view.bar_chart.parts["params"][0]
    base = plot.bar_base
    rows = view.comparison.rows
    for h, r in zip(heights, rows):
        assert abs(h + base - math.log10(r.params)) < 1e-12
    # on a linear axis SqueezeNet's bar is under 1 % of VGG16's; on the log axis about a third
    assert rows[2].params / rows[1].params < 0.01 and heights[2] / heights[1] > 0.3
    assert texts == [f"{r.params / 1e6:.3g}" for r in rows]


def major_and_minor(axis):
    """An axis' fixed ticks as two lists of labels: the first level's, then the second's."""
    levels = axis._tickLevels
    assert levels is not None and len(levels) == 2
    return [[text for _, text in level] for level in levels]


def test_compare_log_axes_label_powers_of_ten_and_keep_2_and_5_as_minor_ticks(window, qtbot):
    """Over three decades (SqueezeNet's 1.2M to VGG16's 138M parameters) the panel's major
    ticks are 100k, 1M, 10M, 100M; 2 and 5 × 10^k are minor ticks, drawn shorter, labelled
    only where pyqtgraph finds room: the per-block chart's ticks, one piece of code for both.
    The MACs-vs-parameters scatter's axes read the same way."""
    w, view = compare_with_vgg(window)
    w.resize(1366, 768)
    view.view.setCurrentText("log scale")
    plot = view.bar_chart.parts["params"][0]
    qtbot.waitUntil(lambda: plot.vb.height() > 100)
    majors, minors = major_and_minor(plot.getAxis("left"))
    assert majors == ["100k", "1M", "10M", "100M"]
    assert {"2M", "5M", "20M", "50M"} <= set(minors)
    drawn = [text for _, text in tick_texts(plot, "left")]
    assert set(majors) <= set(drawn)
    for axis in (view.scatter.getPlotItem().getAxis(side) for side in ("bottom", "left")):
        majors, minors = major_and_minor(axis)
        assert majors and all(label.startswith("1") for label in majors)
        assert minors and all(label[0] in "125" for label in minors)


def test_timing_chart_before_a_run_says_what_to_do_and_draws_no_axes(v2):
    panel = v2.bench_panel
    item = panel.plot.getPlotItem()
    assert panel.empty_text == "Run a timing to see latency: press Time it."
    assert not item.getAxis("left").isVisible() and not item.getAxis("bottom").isVisible()
    texts = [i.textItem.toPlainText() for i in item.items if hasattr(i, "textItem")]
    assert texts == [panel.empty_text]
