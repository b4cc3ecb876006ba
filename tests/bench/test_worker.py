"""The timing worker, run as the app and the command line run it: a real process."""
import json
import os
import sys
import threading
import time

import pytest

from designer import lifeline
from designer.bench import worker
from designer.bench.runner import BenchError, available_devices, make_job, run_bench
from designer.bench.stats import BLOCK_SUM_FACTOR, blocks_vs_whole, blocks_vs_whole_text
from designer.core.builder import Builder
from tests.bench import fake_worker


def small():
    b = Builder("small", input_shape=(3, 32, 32))
    b.add("conv", "stem", out_channels=16, stride=2)
    b.add("sepconv", "sep", out_channels=32)
    b.add("ir", "ir", out_channels=32)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()


_before: set[int] = set()


@pytest.fixture(autouse=True)
def _children_before():
    """The children alive when the test starts (another test's worker still being stopped)
    are not this test's to answer for."""
    _before.clear()
    _before.update(children(every=True))


def children(every: bool = False):
    """Live (non-zombie) child processes this test started, from /proc."""
    found = []
    for stat in os.listdir("/proc"):
        if not stat.isdigit():
            continue
        try:
            with open(f"/proc/{stat}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and (every or int(stat) not in _before):
            found.append(int(stat))
    return found


def tiny():
    """About 13 µs a run in torch eager on this machine: thousands of runs in a tenth of a
    second, so run counts say what governs, not how busy the machine is."""
    b = Builder("tiny", input_shape=(3, 4, 4))
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=2)
    return b.build()


def per_block_job():
    return make_job(small(), "both", threads=1, budget_s=0.3, max_runs=30, warmup=2,
                    per_block=True)


def test_times_a_real_model_with_both_runtimes_and_per_block():
    """A real run, and the factor users are told (blocks timed one by one add up to the whole
    within BLOCK_SUM_FACTOR) holds for it. On this machine the ratio read 0.89–1.11 in 20 runs
    with 3 to 6 busy processes beside it on 2 cores, and once 1.69: a spell of load that hits
    only the block rounds can move it. Users who see a ratio outside the factor are told the
    machine was busy and to time again; the test does exactly that, once, so it fails only if
    two timings in a row miss the stated factor (the arithmetic and the flag are checked
    exactly in test_stats.py)."""
    progress = []
    result = run_bench(per_block_job(), lambda f, m: progress.append(f))
    torch_t, ort_t = result["timings"]
    assert (torch_t.runtime, ort_t.runtime) == ("torch", "onnxruntime")
    for t in (torch_t, ort_t):
        assert 0 < t.min_ms <= t.q1_ms <= t.median_ms <= t.q3_ms <= t.p95_ms
        assert t.runs >= 5 and t.threads == 1 and t.environment["torch"]
    assert progress and progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    blocks = torch_t.blocks
    assert [b.name for b in blocks] == ["stem", "sep", "ir", "pool", "fc"]
    assert ort_t.blocks == () and torch_t.note is None
    for b in blocks:
        assert b.runs == blocks[0].runs >= worker.MIN_BLOCK_RUNS
        assert 0 < b.q1_ms <= b.median_ms <= b.q3_ms
        assert b.iqr_ms == pytest.approx(b.q3_ms - b.q1_ms)
        assert b.noisy == (b.iqr_ms > 0.1 * b.median_ms)
    total, whole, ratio = blocks_vs_whole(torch_t)
    assert total == pytest.approx(sum(b.median_ms for b in blocks))
    assert whole == torch_t.median_ms
    assert f"{ratio:.2f}× the whole model's median" in blocks_vs_whole_text(torch_t)
    if not 1 / BLOCK_SUM_FACTOR <= ratio <= BLOCK_SUM_FACTOR:
        assert "time again" in blocks_vs_whole_text(torch_t)
        again = run_bench(per_block_job())["timings"][0]
        ratio = blocks_vs_whole(again)[2]
    assert 1 / BLOCK_SUM_FACTOR <= ratio <= BLOCK_SUM_FACTOR


def test_onnxruntime_per_block_times_torch_for_the_blocks_and_says_so():
    result = run_bench(make_job(small(), "onnxruntime", threads=1, budget_s=0.2, warmup=1,
                                per_block=True))
    torch_t, ort_t = result["timings"]
    assert torch_t.runtime == "torch" and torch_t.note == worker.TORCH_FOR_BLOCKS
    assert len(torch_t.blocks) == 5 and ort_t.blocks == ()


def test_blocks_are_timed_in_interleaved_rounds_at_least_twenty_each(capsys):
    from types import SimpleNamespace

    import torch

    calls = []

    class Recorder(torch.nn.Module):
        def __init__(self, name):
            super().__init__()
            self.name = name

        def forward(self, x):
            calls.append(self.name)
            return x
    modules = [(SimpleNamespace(name=n, kind="conv", macs=1, input_shapes=[(1, 2, 2)]),
                Recorder(n)) for n in "abc"]
    with torch.inference_mode():
        blocks = worker.time_blocks(modules, 1, "cpu", warmup=0, budget_s=0.0)
    assert calls == list("abc") * worker.MIN_BLOCK_RUNS
    assert [b.runs for b in blocks] == [worker.MIN_BLOCK_RUNS] * 3


def test_onnxruntime_threads_do_not_spin_between_runs():
    """Spinning threads held both cores after each onnxruntime run: torch, run next, read
    20 ms instead of 10 ms with --runtime both."""
    options = worker.ort_session_options(2)
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert options.get_session_config_entry("session.inter_op.allow_spinning") == "0"
    assert options.intra_op_num_threads == 2


def test_batch_two_with_both_runtimes():
    result = run_bench(make_job(small(), "both", threads=1, batch=2, budget_s=0.2, warmup=1))
    assert [(t.runtime, t.batch) for t in result["timings"]] == [("torch", 2),
                                                                      ("onnxruntime", 2)]
    assert all(t.median_ms > 0 and t.runs >= 5 for t in result["timings"])


def test_the_time_budget_governs_without_a_run_cap():
    """Runs grow with the budget (8× the budget, about 8× the runs: fewer only if the machine
    slowed eightfold between the two), and a tiny model runs far past the old 200-run cap."""
    short, long = (run_bench(make_job(tiny(), "torch", threads=1, budget_s=s, warmup=1))
                   ["timings"][0].runs for s in (0.1, 0.8))
    assert long > short and long > 200
    (t,) = run_bench(make_job(small(), "torch", threads=1, budget_s=None, max_runs=7,
                              warmup=1))["timings"]
    assert t.runs == 7
    with pytest.raises(ValueError):
        make_job(small(), budget_s=None, max_runs=None)


def test_a_worker_flooding_stderr_does_not_stall(monkeypatch):
    from designer.bench import runner

    monkeypatch.setattr(runner, "worker_command", lambda: fake_worker.command("stderr"))
    t = time.perf_counter()
    result = run_bench(make_job(small(), "torch", budget_s=0.1, warmup=1), timeout_s=60)
    assert result["timings"][0].runs >= 5 and time.perf_counter() - t < 40


def test_a_worker_gone_before_reading_its_job_is_an_error_not_a_broken_pipe(monkeypatch):
    """Cancel can stop the worker before the job is written: the write then raises
    BrokenPipeError, which must come back as the BenchError callers handle."""
    from designer.bench import runner

    monkeypatch.setattr(runner, "worker_command", lambda: [sys.executable, "-c", "pass"])
    job = {**make_job(tiny()), "padding": "x" * 1_000_000}  # more than the pipe holds
    with pytest.raises(BenchError, match="stopped unexpectedly"):
        run_bench(job)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(BenchError, match="^cancelled$"):
        run_bench(job, cancel=cancel)
    assert children() == []


def test_a_worker_that_cannot_start_is_an_error(monkeypatch, tmp_path):
    from designer.bench import runner

    monkeypatch.setattr(runner, "worker_command", lambda: [str(tmp_path / "no-python")])
    with pytest.raises(BenchError, match="could not start the timing worker"):
        run_bench(make_job(tiny()))


def test_devices_are_asked_of_a_worker():
    import torch

    assert available_devices() == ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def test_cancel_stops_the_worker_and_leaves_no_process():
    cancel = threading.Event()
    threading.Timer(1.5, cancel.set).start()
    t = time.perf_counter()
    with pytest.raises(BenchError, match="cancelled"):
        run_bench(make_job(small(), "torch", budget_s=60, max_runs=10**6), cancel=cancel)
    assert time.perf_counter() - t < 20
    assert children() == []


@pytest.mark.parametrize("fault,words", [("crash", "stopped unexpectedly"),
                                         ("oom", "out of memory")])
def test_a_crashing_worker_is_an_error_not_a_crash(fault, words, monkeypatch):
    from designer.bench import runner

    monkeypatch.setattr(runner, "worker_command", lambda: fake_worker.command(fault))
    with pytest.raises(BenchError, match=words):
        run_bench(make_job(small()))
    assert children() == []


def test_cuda_asked_for_without_cuda_is_reported():
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(BenchError, match="CUDA"):
        run_bench(make_job(small(), device="cuda"))


def test_a_design_too_big_for_memory_is_reported_as_out_of_memory():
    b = Builder("huge", input_shape=(3, 4096, 4096))
    b.add("conv", "c", out_channels=65536)
    with pytest.raises(BenchError, match="^out of memory while building the model to time it: "
                                         "1,900,544 parameters .* so nothing was tried"):
        run_bench(make_job(b.build(), "torch", budget_s=0.1, warmup=1))
    assert children() == []


def descendants(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_the_worker_dies_with_a_killed_command_line(signal_name):
    """Killed (or terminated, or hung up on) while it times, `bench` leaves no worker behind:
    the kernel's parent-death signal and the worker's watch on its stdin both see to it."""
    import signal
    import subprocess

    cli = subprocess.Popen([sys.executable, "-m", "designer", "bench", "squeezenet1_1",
                            "--runtime", "torch", "--seconds", "120", "--threads", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not descendants(cli.pid) and time.monotonic() < deadline and cli.poll() is None:
            time.sleep(0.05)
        (worker_pid,) = descendants(cli.pid)
        os.kill(cli.pid, getattr(signal, signal_name))
        cli.wait(60)
        deadline = time.monotonic() + 60
        while alive(worker_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker_pid)
    finally:
        if cli.poll() is None:
            cli.kill()


def test_the_worker_ends_itself_when_its_parent_closes_stdin():
    """The watchdog everywhere (not only where PR_SET_PDEATHSIG exists): end of stdin ends it."""
    import subprocess

    process = subprocess.Popen([sys.executable, "-m", "designer.bench.worker"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    process.stdin.write(json.dumps(make_job(small(), "torch", budget_s=120, warmup=1)) + "\n")
    process.stdin.flush()
    assert "progress" in process.stdout.readline()
    process.stdin.close()
    assert process.wait(60) == lifeline.EXIT_ORPHANED
