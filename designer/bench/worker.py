"""The timing worker: ``python -m designer.bench.worker`` reads one job (one line of JSON) on stdin
and writes JSON lines on stdout: ``{"progress": f, "message": s}`` while it works, then one
``{"result": …}`` or ``{"error": …}``. It alone imports torch and onnxruntime. It dies with its
parent (:func:`designer.lifeline.die_with_parent`): the parent keeps stdin open while it waits.

Timing: the model in eval mode under ``torch.inference_mode``, ``torch.set_num_threads``,
warm-up runs first, then runs until the time budget or the run count is reached; with both
runtimes, short chunks of runs alternate (up to 10 runs or 0.1 s of torch, then as many of
onnxruntime, …) so both see the same machine state without one run after another paying for
the other runtime's threads (alternating every run cost torch about 10 %), and onnxruntime's
threads do not spin-wait between runs. On CUDA every run is bracketed by
``torch.cuda.synchronize()``. Per-block timings are torch eager and belong to the torch entry
(torch is timed too when only onnxruntime was asked for, and the entry says why).
"""
from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from designer.core import io
from designer.core.machine import cpu_model
from designer.core.timings import BlockTiming, Timing
from designer.lifeline import die_with_parent

from .peak_memory import eager_peak_bytes
from .stats import summarize

BLOCK_BUDGET_SHARE = 0.3
MIN_BLOCK_RUNS = 20
TORCH_FOR_BLOCKS = "timed for the per-block chart: blocks run in torch eager"
PROGRESS_EVERY_S = 0.05
CHUNK_RUNS, CHUNK_S = 10, 0.1
_last_progress = 0.0


def emit(**message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def progress(fraction: float, message: str, final: bool = False) -> None:
    """Emit progress at most every PROGRESS_EVERY_S (a tiny model runs thousands of times)."""
    global _last_progress
    now = time.perf_counter()
    if final or now - _last_progress >= PROGRESS_EVERY_S:
        _last_progress = now
        emit(progress=fraction, message=message)


def _timer(fn, device: str):
    """A function that runs ``fn`` once and returns the milliseconds it took (synchronised)."""
    import torch

    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def run() -> float:
        sync()
        t = time.perf_counter()
        fn()
        sync()
        return (time.perf_counter() - t) * 1e3
    return run


def ort_session_options(threads: int):
    """onnxruntime's options for timing. Its intra-op threads spin-wait after each run by
    default, holding the cores the next torch run needs (torch read 20 ms instead of 10 ms with
    both runtimes on 2 cores): spinning is turned off so alternated runs do not bias each other."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


def _ort_runner(design, x_numpy, threads: int, folder: Path):
    import onnxruntime as ort

    from designer.export.onnx_export import export_onnx

    path = folder / "model.onnx"
    export_onnx(design, path, batch=x_numpy.shape[0])
    session = ort.InferenceSession(str(path), ort_session_options(threads),
                                   providers=["CPUExecutionProvider"])

    def run() -> float:
        t = time.perf_counter()
        session.run(None, {"input": x_numpy})
        return (time.perf_counter() - t) * 1e3
    return run


def _limit(value, cast):
    return float("inf") if value is None else cast(value)


def settle_allocator() -> None:
    """Allocate and free one 16 MB block before timing. glibc's malloc raises its mmap threshold
    after such a free, and from then on torch's activation buffers come from the heap instead of
    fresh zeroed pages: MobileNetV2 in torch eager reads about 12 ms before that, 9 ms after. An
    ONNX export does it by the way, so without this torch's figure depended on whether
    onnxruntime was also timed; now every timing starts from the state of a process that has
    been running a while."""
    import torch

    block = torch.empty(16 << 20, dtype=torch.uint8)
    block.fill_(1)
    del block


def probe_devices() -> dict:
    import torch

    return {"devices": ["cpu"] + (["cuda"] if torch.cuda.is_available() else []),
            "torch": torch.__version__}


@dataclass(frozen=True)
class Plan:
    """What one job asks for, read and checked before anything is built."""

    design: object
    analysis: object
    threads: int
    batch: int
    device: str
    runtimes: tuple[str, ...]
    torch_added: bool
    per_block: bool
    budget_s: float
    max_runs: float
    warmup: int


def plan_of(job: dict) -> Plan:
    import torch

    from designer.core.analysis import analyze

    design = io.loads(job["design"])
    device = job.get("device", "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("CUDA was asked for but is not available on this machine")
    asked = job.get("runtime", "torch")
    runtimes = {"both": ["torch", "onnxruntime"]}.get(asked, [asked])
    per_block = bool(job.get("per_block"))
    torch_added = per_block and "torch" not in runtimes
    if torch_added:
        runtimes = ["torch", *runtimes]
    if device == "cuda" and "onnxruntime" in runtimes:
        raise RuntimeError("onnxruntime timing runs on the CPU only")
    unknown = [rt for rt in runtimes if rt not in ("torch", "onnxruntime")]
    if unknown:
        raise ValueError(f"unknown runtime {unknown[0]!r}")
    return Plan(design, analyze(design), int(job.get("threads") or torch.get_num_threads()),
                int(job.get("batch", 1)), device, tuple(runtimes), torch_added, per_block,
                _limit(job.get("budget_s", 3.0), float), _limit(job.get("max_runs"), int),
                int(job.get("warmup", 5)))


def run_job(job: dict) -> dict:
    """Time one job: its plan, the memory check, the runners, the interleaved runs, the
    per-block rounds, and the results as the app keeps them."""
    import torch

    from designer.export.memory import memory_guard
    from designer.export.pytorch import build_block_modules, build_module

    if job.get("probe") == "devices":
        return probe_devices()
    plan = plan_of(job)
    with memory_guard(plan.analysis, "building the model to time it", plan.batch):
        torch.set_num_threads(plan.threads)
        emit(progress=0.02, message="building the model")
        model = build_module(plan.design).eval().to(plan.device)
        x = torch.randn(plan.batch, *plan.analysis.input_shape, device=plan.device)
    load_before = _load_average()
    with tempfile.TemporaryDirectory() as folder, torch.inference_mode():
        runners = make_runners(plan, model, x, Path(folder))
        times, elapsed = time_runners(plan, runners)
        peak_bytes = (eager_peak_bytes(lambda: model(x), [x], plan.device)
                      if "torch" in times else None)
        blocks = []
        if plan.per_block:
            blocks = time_blocks(build_block_modules(plan.design), plan.batch, plan.device,
                                 plan.warmup, BLOCK_BUDGET_SHARE * min(plan.budget_s, elapsed),
                                 plan.max_runs)
    load = max(load_before, _load_average())
    return {"timings": [t.to_dict() for t in results_of(plan, times, peak_bytes, blocks, load)]}


def make_runners(plan: Plan, model, x, folder: Path) -> dict:
    runners = {}
    for rt in plan.runtimes:
        if rt == "torch":
            runners[rt] = _timer(lambda: model(x), plan.device)
        else:
            emit(progress=0.05, message="exporting to ONNX")
            runners[rt] = _ort_runner(plan.design, x.cpu().numpy(), plan.threads, folder)
    return runners


def time_runners(plan: Plan, runners: dict) -> tuple[dict[str, list[float]], float]:
    """Warm-up, then chunks of runs of each runtime in turn until the budget or the run count;
    returns the times per runtime and the seconds the timing took."""
    settle_allocator()
    for _ in range(plan.warmup):
        for run in runners.values():
            run()
    share = 0.7 if plan.per_block else 1.0
    times: dict[str, list[float]] = {rt: [] for rt in runners}
    start = time.perf_counter()
    while True:
        for rt, run in runners.items():
            chunk_start = time.perf_counter()
            for _ in range(int(min(CHUNK_RUNS, plan.max_runs - len(times[rt])))):
                times[rt].append(run())
                if time.perf_counter() - chunk_start >= CHUNK_S:
                    break
        elapsed = time.perf_counter() - start
        n = min(len(ts) for ts in times.values())
        fraction = min(1.0, max(elapsed / plan.budget_s, n / plan.max_runs))
        done = n >= plan.max_runs or (elapsed >= plan.budget_s and n >= 5)
        progress(0.1 + (share - 0.1) * fraction, f"{n} runs", final=done)
        if done:
            return times, elapsed


def results_of(plan: Plan, times: dict, peak_bytes: int | None, blocks: list[BlockTiming],
               load: float | None) -> list[Timing]:
    import onnxruntime
    import torch

    env = {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
           "threads": plan.threads, "cpu": cpu_model(), "device": plan.device,
           "python": platform.python_version(), "cores": os.cpu_count(),
           "load_average": load}
    results = [Timing(runtime=rt, device=plan.device, batch=plan.batch, threads=plan.threads,
                      alpha=plan.design.alpha, rho=plan.design.rho, environment=env,
                      **summarize(ts).to_dict()) for rt, ts in times.items()]
    first = {"peak_memory_bytes": peak_bytes, "blocks": tuple(blocks),
             "note": TORCH_FOR_BLOCKS if blocks and plan.torch_added else None}
    results[0] = dataclasses.replace(results[0], **first)
    return results


def _load_average() -> float | None:
    """The system's one-minute load average, where it has one: how contended the cores were."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def time_blocks(modules, batch: int, device: str, warmup: int, budget_s: float,
                max_rounds: float = float("inf")) -> list[BlockTiming]:
    """Each block on its own input, in rounds over all blocks (block 1, 2, …, n, then again), so
    a slow spell of the machine touches every block alike rather than a few. At least
    MIN_BLOCK_RUNS rounds, more while the budget lasts (up to ``max_rounds``)."""
    import torch

    runs = []
    for cost, module in modules:
        module = module.eval().to(device)
        inputs = [torch.randn(batch, *s, device=device) for s in cost.input_shapes]
        runs.append(_timer(lambda m=module, xs=inputs: m(*xs), device))
    for _ in range(warmup):
        for run in runs:
            run()
    times: list[list[float]] = [[] for _ in runs]
    start = time.perf_counter()
    rounds = 0
    while True:
        for ts, run in zip(times, runs):
            ts.append(run())
        rounds += 1
        elapsed = time.perf_counter() - start
        done = rounds >= MIN_BLOCK_RUNS and (elapsed >= budget_s or rounds >= max_rounds)
        fraction = 1.0 if done else min(1.0, max(rounds / MIN_BLOCK_RUNS * 0.5,
                                                           elapsed / max(budget_s, 1e-9)))
        progress(0.7 + 0.3 * fraction, f"blocks: {rounds} rounds", final=done)
        if done:
            break
    out = []
    for (cost, _), ts in zip(modules, times):
        s = summarize(ts)
        out.append(BlockTiming(cost.name, s.median_ms, cost.kind, cost.macs, s.q1_ms, s.q3_ms,
                               s.iqr_ms, s.runs, s.noisy))
    return out




def main() -> int:
    try:
        job = json.loads(sys.stdin.buffer.readline())
        die_with_parent()
        emit(result=run_job(job))
        return 0
    except Exception as err:  # noqa: BLE001 - reported to the app, which keeps running
        from designer.export.memory import is_out_of_memory
        from designer.export.pytorch import ExportError

        emit(error=str(err) if isinstance(err, ExportError)
             else f"out of memory: {err}" if is_out_of_memory(err)
             else f"{type(err).__name__}: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
