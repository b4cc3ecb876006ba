"""The timing worker: ``python -m designer.bench.worker`` reads one job (JSON) on stdin and writes
JSON lines on stdout: ``{"progress": f, "message": s}`` while it works, then one ``{"result": …}``
or ``{"error": …}``. It alone imports torch and onnxruntime.

Timing: the model in eval mode under ``torch.inference_mode``, ``torch.set_num_threads``,
warm-up runs first, then runs until the time budget or the run count is reached; with both
runtimes, runs alternate (torch, onnxruntime, torch, …) so both see the same machine state. On
CUDA every run is bracketed by ``torch.cuda.synchronize()``.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from designer.core import io

from .stats import summarize


def emit(**message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


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


def _ort_runner(design, x_numpy, threads: int, folder: Path):
    import onnxruntime as ort

    from designer.export.onnx_export import export_onnx

    path = folder / "model.onnx"
    export_onnx(design, path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run() -> float:
        t = time.perf_counter()
        session.run(None, {"input": x_numpy})
        return (time.perf_counter() - t) * 1e3
    return run


def run_job(job: dict) -> dict:
    import torch

    from designer.core.analysis import analyze
    from designer.export.pytorch import build_block_modules, build_module

    if os.environ.get("CONVSKETCH_WORKER_FAULT") == "crash":
        os._exit(3)
    if os.environ.get("CONVSKETCH_WORKER_FAULT") == "oom":
        raise MemoryError("simulated out-of-memory")
    design = io.loads(job["design"])
    threads = int(job.get("threads") or torch.get_num_threads())
    batch = int(job.get("batch", 1))
    device = job.get("device", "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("CUDA was asked for but is not available on this machine")
    runtimes = {"both": ["torch", "onnxruntime"]}.get(job.get("runtime", "torch"),
                                                       [job.get("runtime", "torch")])
    if device == "cuda" and "onnxruntime" in runtimes:
        raise RuntimeError("onnxruntime timing runs on the CPU only")
    budget_s, max_runs = float(job.get("budget_s", 3.0)), int(job.get("max_runs", 200))
    warmup = int(job.get("warmup", 5))
    torch.set_num_threads(threads)
    analysis = analyze(design)
    emit(progress=0.02, message="building the model")
    model = build_module(design).eval().to(device)
    x = torch.randn(batch, *analysis.input_shape, device=device)
    runners = {}
    with tempfile.TemporaryDirectory() as folder, torch.inference_mode():
        for rt in runtimes:
            if rt == "torch":
                runners[rt] = _timer(lambda: model(x), device)
            elif rt == "onnxruntime":
                emit(progress=0.05, message="exporting to ONNX")
                if batch != 1:
                    raise RuntimeError("onnxruntime timing takes batch 1 (the export's shape)")
                runners[rt] = _ort_runner(design, x.cpu().numpy(), threads, Path(folder))
            else:
                raise ValueError(f"unknown runtime {rt!r}")
        for _ in range(warmup):
            for run in runners.values():
                run()
        times: dict[str, list[float]] = {rt: [] for rt in runners}
        start = time.perf_counter()
        per_block = bool(job.get("per_block"))
        share = 0.7 if per_block else 1.0
        while True:
            for rt, run in runners.items():
                times[rt].append(run())
            elapsed = time.perf_counter() - start
            n = len(times[runtimes[0]])
            fraction = min(1.0, max(elapsed / budget_s, n / max_runs))
            emit(progress=0.1 + (share - 0.1) * fraction, message=f"{n} runs")
            if n >= max_runs or (elapsed >= budget_s and n >= 5):
                break
        blocks = []
        if per_block:
            blocks = _time_blocks(build_block_modules(design), batch, device, warmup,
                                  max(0.5, budget_s * 0.3))
    import onnxruntime
    env = {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
           "threads": threads, "cpu": cpu_model(), "device": device,
           "python": platform.python_version()}
    results = [{"runtime": rt, "device": device, "batch": batch, "threads": threads,
                "alpha": design.alpha, "rho": design.rho, "environment": env,
                **summarize(ts).to_dict()} for rt, ts in times.items()]
    if blocks:
        results[0]["blocks"] = blocks
    return {"timings": results}


def _time_blocks(modules, batch: int, device: str, warmup: int, budget_s: float) -> list[dict]:
    import torch

    out = []
    per_block_budget = budget_s / max(1, len(modules))
    for i, (cost, module) in enumerate(modules):
        module = module.eval().to(device)
        inputs = [torch.randn(batch, *s, device=device) for s in cost.input_shapes]
        run = _timer(lambda m=module, xs=inputs: m(*xs), device)
        for _ in range(warmup):
            run()
        ts, start = [], time.perf_counter()
        while len(ts) < 3 or (time.perf_counter() - start < per_block_budget and len(ts) < 100):
            ts.append(run())
        emit(progress=0.7 + 0.3 * (i + 1) / len(modules), message=f"block {cost.name}")
        s = summarize(ts)
        out.append({"name": cost.name, "kind": cost.kind, "macs": cost.macs,
                    "median_ms": s.median_ms, "iqr_ms": s.iqr_ms, "runs": s.runs})
    return out


def main() -> int:
    try:
        job = json.loads(sys.stdin.read())
        emit(result=run_job(job))
        return 0
    except MemoryError as err:
        emit(error=f"out of memory: {err}")
        return 1
    except Exception as err:  # reported to the app, which keeps running
        emit(error=f"{type(err).__name__}: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
