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
