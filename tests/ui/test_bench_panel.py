"""The Timing tab: results kept with the design (undoable, saved), Cancel, and a crashing worker
reported while the app keeps working."""
import os

from designer.core import io
from designer.core.builder import Builder
from designer.core.timings import latest


def small():
    b = Builder("small", input_shape=(3, 32, 32))
    b.add("conv", "stem", out_channels=8, stride=2)
    b.add("sepconv", "sep", out_channels=16)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()


def test_time_it_keeps_results_with_the_design(window, qtbot, tmp_path):
    w = window(small())
    panel = w.bench_panel
    panel.seconds.setValue(0.3)
    panel.threads.setValue(1)
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=5_000)
    d = w.document.design
    assert latest(d, "torch")["median_ms"] > 0 and latest(d, "onnxruntime")["median_ms"] > 0
    assert "median" in panel.status.text() and panel.progress.value() == 100
    assert len(panel.plot.getPlotItem().items) == 2
    assert w.files._save_to(tmp_path / "timed.json")
    assert latest(io.load(tmp_path / "timed.json"), "torch") == latest(d, "torch")
    w.document.undo_stack.undo()
    assert latest(d) is None


def test_cancel(window, qtbot):
    w = window(small())
    panel = w.bench_panel
    panel.seconds.setValue(60)
    panel.start()
    qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=60_000)
    panel.cancel()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=30_000)
    assert "cancelled" in panel.status.text() and latest(w.document.design) is None


def test_crashing_worker_is_reported_and_the_app_keeps_working(window, qtbot):
    w = window(small())
    panel = w.bench_panel
    panel.env = {**os.environ, "CONVSKETCH_WORKER_FAULT": "crash"}
    panel.start()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=60_000)
    assert "failed" in panel.status.text() and "unexpectedly" in panel.status.text()
    w.scaling.alpha.setValue(50)
    assert w.document.analysis.ok and w.document.design.alpha == 0.5


def run_panel(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=5_000)


def test_batch_two_with_both_runtimes_and_the_seconds_box_governs(window, qtbot):
    w = window(small())
    panel = w.bench_panel
    panel.batch.setValue(2)
    panel.threads.setValue(1)
    panel.per_block.setChecked(False)
    assert panel.limit.currentText() == "seconds" and not panel.runs.isEnabled()
    panel.seconds.setValue(0.6)
    run_panel(panel, qtbot)
    d = w.document.design
    torch_t, ort_t = latest(d, "torch"), latest(d, "onnxruntime")
    assert torch_t["batch"] == ort_t["batch"] == 2, panel.status.text()
    # The old 200-run cap stopped a tiny model long before its time budget.
    assert torch_t["runs"] > 200 and "batch 2" in panel.status.text()
    panel.limit.setCurrentText("runs")
    assert panel.runs.isEnabled() and not panel.seconds.isEnabled()
    panel.runs.setValue(9)
    panel.runtime.setCurrentText("torch")
    run_panel(panel, qtbot)
    assert latest(d, "torch")["runs"] == 9


def test_devices_are_asked_of_a_worker_when_the_tab_is_shown(window, qtbot):
    import torch

    w = window(small())
    panel = w.bench_panel
    assert not panel.devices_asked
    w.tabs.setCurrentWidget(panel)
    assert panel.devices_asked
    want = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    qtbot.waitUntil(lambda: [panel.device.itemText(i) for i in range(panel.device.count())]
                    == want, timeout=60_000)


def test_per_block_chart_names_wide_spread_and_the_sum_factor(window, qtbot):
    from designer.bench.stats import BLOCK_SUM_FACTOR

    w = window(small())
    panel = w.bench_panel
    panel.runtime.setCurrentText("onnxruntime")
    panel.seconds.setValue(0.3)
    panel.threads.setValue(1)
    run_panel(panel, qtbot)
    t = latest(w.document.design, "torch")
    assert t["note"] in panel.status.text() and len(t["blocks"]) == 4
    note = panel.blocks_note.text()
    assert note.startswith("Blocks timed one by one add up to ")
    assert f"expected within {BLOCK_SUM_FACTOR:g}×" in note
    noisy = [b["name"] for b in t["blocks"] if b["noisy"]]
    assert ("Wide spread" in note) == bool(noisy) and all(n in note for n in noisy)
    latency_bars = panel.plot.getPlotItem().items[0]
    colours = latency_bars.opts["brushes"]
    assert colours == ["#b7c9e8" if b["noisy"] else "#4a78c2" for b in t["blocks"]]
