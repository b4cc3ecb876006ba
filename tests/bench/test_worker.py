"""The timing worker, run as the app and the command line run it: a real process."""
import os
import threading
import time

import pytest

from designer.bench.runner import BenchError, make_job, run_bench
from designer.core.builder import Builder


def small():
    b = Builder("small", input_shape=(3, 32, 32))
    b.add("conv", "stem", out_channels=16, stride=2)
    b.add("sepconv", "sep", out_channels=32)
    b.add("ir", "ir", out_channels=32)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()


def children():
    """Live (non-zombie) child processes of this test process, from /proc."""
    found = []
    for stat in os.listdir("/proc"):
        if not stat.isdigit():
            continue
        try:
            fields = open(f"/proc/{stat}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(int(stat))
    return found


def test_times_a_real_model_with_both_runtimes_and_per_block():
    progress = []
    result = run_bench(make_job(small(), "both", threads=1, budget_s=0.3, max_runs=30,
                                warmup=2, per_block=True), lambda f, m: progress.append(f))
    torch_t, ort_t = result["timings"]
    assert (torch_t["runtime"], ort_t["runtime"]) == ("torch", "onnxruntime")
    for t in (torch_t, ort_t):
        assert 0 < t["min_ms"] <= t["q1_ms"] <= t["median_ms"] <= t["q3_ms"] <= t["p95_ms"]
        assert t["runs"] >= 5 and t["threads"] == 1 and t["environment"]["torch"]
    assert progress and progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    blocks = torch_t["blocks"]
    assert [b["name"] for b in blocks] == ["stem", "sep", "ir", "pool", "fc"]
    total = sum(b["median_ms"] for b in blocks)
    # Blocks timed alone add up to the whole within a factor of 4 (per-call overheads differ).
    assert torch_t["median_ms"] / 4 <= total <= torch_t["median_ms"] * 4


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
def test_a_crashing_worker_is_an_error_not_a_crash(fault, words):
    env = {**os.environ, "CONVSKETCH_WORKER_FAULT": fault}
    with pytest.raises(BenchError, match=words):
        run_bench(make_job(small()), env=env)
    assert children() == []


def test_cuda_asked_for_without_cuda_is_reported():
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(BenchError, match="CUDA"):
        run_bench(make_job(small(), device="cuda"))
