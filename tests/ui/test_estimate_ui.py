"""Receptive field and estimated latency in the app: status bar (live under the sliders), chart
metrics with the coverage mark, inspector, canvas tooltips, and the Timing tab's estimate against
measurement. Real widgets; the device profile is a hand-made one unless a test calibrates."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from designer.core.analysis import analyze
from designer.core.latency import KINDS, DeviceProfile, KindRate, estimate
from designer.core.presets import load_preset
from designer.ui.timing.estimate_chart import NO_PROFILE
from tests.ui.test_bench_panel import small

PROFILE = DeviceProfile("hand-made", tuple((k, KindRate(4.0, 25_000.0, 12_000.0)) for k in KINDS),
                        True, threads=1)


def test_status_bar_estimate_follows_every_alpha_tick(v2):
    assert "Est. latency: calibrate (Tools)" in v2.totals.text()
    v2.document.set_profile(PROFILE)
    expected = estimate(v2.document.analysis, PROFILE).latency_ms
    assert f"Est. latency {expected:.1f} ms" in v2.totals.text()
    v2.scaling.alpha.setFocus()
    QTest.keyClick(v2.scaling.alpha, Qt.Key_PageDown)     # one slider step down
    assert v2.document.design.alpha < 1
    lower = estimate(analyze(v2.document.design), PROFILE).latency_ms
    assert lower < expected and f"Est. latency {lower:.1f} ms" in v2.totals.text()


def test_receptive_field_chart_marks_where_the_field_covers_the_input(window):
    w = window(load_preset("vgg16"))
    charts = w.charts
    charts.metric_box.setCurrentText("Receptive field")
    a = w.document.analysis
    assert charts.values == [b.receptive_field for b in a.blocks if b.ok]
    assert charts.reference.isVisible() and charts.reference.value() == 224
    first = next(i for i, b in enumerate(b for b in a.blocks if b.ok) if b.field.covers(a.input_shape))
    assert charts.names[first] == "fc6"
    assert charts.cover.isVisible() and charts.cover.value() == first - 0.5
    assert charts.coverage_text == "input 224 px: from fc6 on, one output sees all of it"
    charts.metric_box.setCurrentText("MACs")
    assert not charts.reference.isVisible() and not charts.cover.isVisible()


def test_estimated_latency_chart_and_its_hover(v2, qtbot):
    charts = v2.charts
    charts.metric_box.setCurrentText("Estimated latency")
    assert charts.values == [0.0] * len(charts.values)
    assert "Calibrate" in charts.info.text()
    v2.document.set_profile(PROFILE)
    est = estimate(v2.document.analysis, PROFILE)
    assert charts.values == [b.latency_ms for b in est.blocks]
    vb = charts.bars_plot.getPlotItem().vb
    charts._hover(vb.mapViewToScene(QPointF(3, charts.values[3] / 2)))
    assert charts.info.text().startswith(f"{charts.names[3]}: {charts.values[3]:.3f} ms estimated")


def test_inspector_and_tooltip_show_the_receptive_field(window):
    w = window(load_preset("vgg16"))
    w.document.select(["pool5"])
    assert w.inspector.sees.text() == "receptive field 212×212 px, jump 32"
    assert w.inspector.sees.toolTip() == ("receptive field 212×212 px of the 224×224 input; "
                                          "outputs 32 px apart")
    assert "receptive field 212×212 px" in w.scene.items_by_id["pool5"].toolTip()
    assert "sees the whole 224×224 input" in w.scene.items_by_id["fc6"].toolTip()
    w.document.set_profile(PROFILE)
    est = estimate(w.document.analysis, PROFILE).by_id()["pool5"]
    assert w.inspector.sees.text() == f"receptive field 212×212 px, jump 32; est. {est:.3f} ms"
    w.document.select(["conv1_1"])
    tip = w.inspector.sees.toolTip().splitlines()
    est = estimate(w.document.analysis, PROFILE).by_id()["conv1_1"]
    assert "Estimated latency, torch eager on hand-made:" in tip
    assert tip[-1] == f"total: {est * 1e3:.1f} µs = {est:.3f} ms"
    assert any(line.startswith("conv (conv_stem): overhead 4.0 µs + max(86,704,128 MACs") for line in tip)


def test_timing_tab_shows_estimate_against_measurement_after_a_run(window, qtbot):
    w = window(small())
    panel = w.bench_panel
    w.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=120_000)
    panel.runtime.setCurrentText("torch")
    panel.seconds.setValue(0.3)
    panel.threads.setValue(1)
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=5_000)
    view = panel.estimate_view
    assert view.isVisible() and view.reason.textItem.toPlainText() == NO_PROFILE
    assert not view.plot.getPlotItem().getAxis("left").isVisible()  # no empty axes
    assert "peak memory, torch eager, measured" in panel.status.text()
    w.document.set_profile(PROFILE)
    from designer.core.timings import latest
    t = latest(w.document.design, "torch")
    c = view.check
    assert [b.name for b in c.blocks] == ["stem", "sep", "pool", "fc"]
    assert [b.measured_ms for b in c.blocks] == [b.median_ms for b in t.blocks]
    assert c.estimated_ms == estimate(w.document.analysis, PROFILE).latency_ms
    assert view.text.text().startswith(f"Estimate {c.estimated_ms:.2f} ms against measured "
                                       f"median {t.median_ms:.2f} ms: error {c.error:+.1%}")
    assert len(view.bars) == 2 and all(b in view.plot.getPlotItem().items for b in view.bars)
    assert view.plot.getPlotItem().getAxis("left").isVisible()
    assert not view.reason.textItem.toPlainText()
