"""The Timing tab: results kept with the design (undoable, saved), Cancel, and a crashing worker
reported while the app keeps working."""
import sys
import threading

from designer.core import io
from designer.core.builder import Builder
from designer.core.commands import MoveNodes, SetParam, SetSetting
from designer.core.timings import Timing, latest
from designer.ui.timing import bench_panel


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
    assert latest(d, "torch").median_ms > 0 and latest(d, "onnxruntime").median_ms > 0
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


def test_crashing_worker_is_reported_and_the_app_keeps_working(window, qtbot, monkeypatch):
    from designer.bench import runner
    from tests.bench import fake_worker

    monkeypatch.setattr(runner, "worker_command", lambda: fake_worker.command("crash"))
    w = window(small())
    panel = w.bench_panel
    panel.start()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=60_000)
    assert "failed" in panel.status.text() and "unexpectedly" in panel.status.text()
    w.scaling.alpha.setValue(50)
    assert w.document.analysis.ok and w.document.design.alpha == 0.5


def run_panel(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=5_000)


def test_batch_two_with_both_runtimes_and_the_seconds_box_governs(window, qtbot, monkeypatch):
    """The seconds box sends a time budget and no run cap (the old 200-run cap stopped a tiny
    model long before its budget); that the worker then runs until the budget is spent is
    shown in tests/bench/test_worker.py, where run counts do not depend on a busy machine."""
    jobs = []
    real_run_bench = bench_panel.run_bench
    monkeypatch.setattr(bench_panel, "run_bench",
                        lambda job, *a, **k: jobs.append(job) or real_run_bench(job, *a, **k))
    w = window(small())
    panel = w.bench_panel
    panel.batch.setValue(2)
    panel.threads.setValue(1)
    panel.per_block.setChecked(False)
    assert panel.limit.currentText() == "seconds" and not panel.runs.isEnabled()
    panel.seconds.setValue(0.6)
    run_panel(panel, qtbot)
    assert (jobs[0]["budget_s"], jobs[0]["max_runs"]) == (0.6, None)
    d = w.document.design
    torch_t, ort_t = latest(d, "torch"), latest(d, "onnxruntime")
    assert torch_t.batch == ort_t.batch == 2, panel.status.text()
    assert torch_t.runs >= 5 and "batch 2" in panel.status.text()
    panel.limit.setCurrentText("runs")
    assert panel.runs.isEnabled() and not panel.seconds.isEnabled()
    panel.runs.setValue(9)
    panel.runtime.setCurrentText("torch")
    run_panel(panel, qtbot)
    assert (jobs[1]["budget_s"], jobs[1]["max_runs"]) == (None, 9)
    assert latest(d, "torch").runs == 9


def test_devices_are_asked_of_a_worker_when_the_tab_is_shown(window, qtbot):
    import torch

    w = window(small())
    panel = w.bench_panel
    assert not panel.devices_asked
    w.tabs.setCurrentWidget(panel)
    assert panel.devices_asked
    want = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    qtbot.waitUntil(lambda: not panel.probing, timeout=60_000)
    assert [panel.device.itemText(i) for i in range(panel.device.count())] == want


def test_closing_the_window_stops_its_device_probe(window, qtbot, monkeypatch):
    """A window closed while its worker is still answering which devices exist leaves no
    worker process behind."""
    from designer.bench import runner
    from tests.bench.test_worker import children

    monkeypatch.setattr(runner, "_devices", None)
    monkeypatch.setattr(runner, "worker_command",   # a worker that would answer in a minute
                        lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    started = []
    real = runner.subprocess.Popen
    monkeypatch.setattr(runner.subprocess, "Popen",
                        lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    w = window(small())
    w.tabs.setCurrentWidget(w.bench_panel)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    w.close()
    qtbot.waitUntil(lambda: started[0].poll() is not None, timeout=10_000)
    assert started[0].pid not in children(every=True)


def test_per_block_chart_names_wide_spread_and_the_sum_factor(window, qtbot):
    from designer.bench.stats import BLOCK_SUM_FACTOR

    w = window(small())
    panel = w.bench_panel
    panel.runtime.setCurrentText("onnxruntime")
    panel.seconds.setValue(0.3)
    panel.threads.setValue(1)
    run_panel(panel, qtbot)
    t = latest(w.document.design, "torch")
    assert t.note in panel.status.text() and len(t.blocks) == 4
    note = panel.blocks_note.text()
    assert note.startswith("Blocks timed one by one add up to ")
    assert f"expected within {BLOCK_SUM_FACTOR:g}×" in note
    noisy = [b.name for b in t.blocks if b.noisy]
    assert ("Wide spread" in note) == bool(noisy) and all(n in note for n in noisy)
    latency_bars = panel.plot.getPlotItem().items[0]
    colours = latency_bars.opts["brushes"]
    assert colours == ["#b7c9e8" if b.noisy else "#4a78c2" for b in t.blocks]


def fake_timing(runtime="torch", **more):
    return Timing.from_dict({"runtime": runtime, "device": "cpu", "batch": 1, "threads": 1, "alpha": 1.0,
            "rho": 1.0, "environment": {"cpu": "a test CPU"}, "median_ms": 1.25, "q1_ms": 1.0,
            "q3_ms": 1.5, "iqr_ms": 0.5, "p95_ms": 2.0, "min_ms": 0.9, "runs": 40,
            "noisy": True, **more})


class HeldRunner:
    """Stands in for run_bench: holds the timing until released, then returns a fixed result."""

    def __init__(self, result=None):
        self.release = threading.Event()
        self.jobs = []
        self.result = result or {"timings": [fake_timing()]}

    def __call__(self, job, on_progress=None, cancel=None, env=None, **_):
        self.jobs.append(job)
        self.release.wait(30)
        return self.result


def test_time_it_waits_for_the_device_check(window, qtbot, monkeypatch):
    """On 2 cores a timing started while the device check imports torch shares the CPU with
    that import: Time it stays off until the check answers."""
    answer = threading.Event()

    def slow_check(cancel=None):
        answer.wait(30)
        return ["cpu"]
    monkeypatch.setattr(bench_panel, "available_devices", slow_check)
    runner = HeldRunner()
    runner.release.set()
    monkeypatch.setattr(bench_panel, "run_bench", runner)
    w = window(small())
    panel = w.bench_panel
    assert panel.start_button.isEnabled()
    w.tabs.setCurrentWidget(panel)
    assert not panel.start_button.isEnabled() and "Checking devices…" in panel.status.text()
    panel.start()
    qtbot.wait(100)
    assert runner.jobs == [] and not panel.running
    answer.set()
    qtbot.waitUntil(panel.start_button.isEnabled, timeout=10_000)
    assert "Checking devices" not in panel.status.text()
    run_panel(panel, qtbot)
    assert len(runner.jobs) == 1 and latest(w.document.design, "torch").median_ms == 1.25


def test_a_failing_device_check_leaves_the_cpu_and_says_so(window, qtbot, monkeypatch):
    def broken_check(cancel=None):
        raise OSError("fork failed")
    monkeypatch.setattr(bench_panel, "available_devices", broken_check)
    w = window(small())
    panel = w.bench_panel
    w.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.start_button.isEnabled, timeout=10_000)
    assert "Could not check for a GPU (OSError: fork failed)" in panel.status.text()
    assert [panel.device.itemText(i) for i in range(panel.device.count())] == ["cpu"]


def test_an_unexpected_error_in_the_runner_brings_time_it_back(window, qtbot, monkeypatch):
    """Cancel before the job is written used to raise BrokenPipeError out of the runner: any
    exception, not only BenchError, must end the timing with a message."""
    def broken_runner(job, *args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(bench_panel, "run_bench", broken_runner)
    w = window(small())
    panel = w.bench_panel
    panel.start()
    qtbot.waitUntil(panel.start_button.isEnabled, timeout=10_000)
    text = panel.status.text()
    assert text.startswith("Timing failed: unexpected error") and "BrokenPipeError" in text
    assert not panel.cancel_button.isEnabled() and latest(w.document.design) is None
    assert not w.document.modified


def time_while(window, qtbot, monkeypatch, change, runner=None):
    """Start a timing of ``small()`` that the runner holds, ``change(window)`` while it runs,
    then let it finish; returns the window."""
    runner = runner or HeldRunner()
    monkeypatch.setattr(bench_panel, "run_bench", runner)
    w = window(small())
    panel = w.bench_panel
    panel.start()
    qtbot.waitUntil(lambda: len(runner.jobs) == 1, timeout=5_000)
    change(w)
    runner.release.set()
    qtbot.waitUntil(panel.start_button.isEnabled, timeout=10_000)
    return w


def test_a_result_is_not_kept_on_a_design_edited_while_it_ran(window, qtbot, monkeypatch):
    w = time_while(window, qtbot, monkeypatch,
                   lambda w: w.document.push(SetParam("stem", "out_channels", 12)))
    panel = w.bench_panel
    d = w.document.design
    assert latest(d) is None and "timings" not in d.extra
    assert w.document.undo_stack.count() == 1  # the edit, no "keep timing"
    text = panel.status.text()
    assert text.startswith("<b>Not kept:</b> the design changed while it was being timed")
    assert "median 1.25 ms" in text and "a test CPU" in text


def test_a_result_is_not_kept_on_another_design_opened_while_it_ran(window, qtbot, monkeypatch):
    # the same network from another file: not what was timed
    w = time_while(window, qtbot, monkeypatch, lambda w: w.document.load(small(), None))
    assert latest(w.document.design) is None and "Not kept" in w.bench_panel.status.text()


def test_moving_or_renaming_while_it_runs_keeps_the_result(window, qtbot, monkeypatch):
    blocks = [{"name": "stem", "kind": "conv", "macs": 300, "median_ms": 0.5, "q1_ms": 0.5,
               "q3_ms": 0.5, "iqr_ms": 0.0, "runs": 20, "noisy": False},
              {"name": "fc", "kind": "linear", "macs": 100, "median_ms": 1.5, "q1_ms": 1.5,
               "q3_ms": 1.5, "iqr_ms": 0.0, "runs": 20, "noisy": True}]
    def move_and_rename(w):
        w.document.push(MoveNodes({"stem": (300.0, 20.0)}))
        w.document.push(SetSetting("name", "renamed"))
    w = time_while(window, qtbot, monkeypatch, move_and_rename,
                   HeldRunner({"timings": [fake_timing(blocks=blocks)]}))
    panel = w.bench_panel
    assert latest(w.document.design, "torch").median_ms == 1.25
    latency_bars, macs_bars = panel.plot.getPlotItem().items
    assert list(latency_bars.opts["height"]) == [25.0, 75.0]
    assert list(macs_bars.opts["height"]) == [75.0, 25.0]


def test_a_screenshot_of_kept_timings_shows_them_not_the_device_check(window, qtbot):
    """``screenshot --tab timing`` of a design that keeps timings waits for the device check, whose
    "Checking devices…" would otherwise stand where the kept timings' summary belongs."""
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from designer.cli.screenshot import show_tab

    design = io.load(Path(__file__).parents[1] / "core" / "data"
                     / "timed_before_the_timing_record.json")
    w = window(design)
    show_tab(w, "timing", QApplication.instance())
    status = w.bench_panel.status.text()
    assert bench_panel.CHECKING_DEVICES not in status
    assert "<b>torch</b>" in status and "<b>onnxruntime</b>" in status
