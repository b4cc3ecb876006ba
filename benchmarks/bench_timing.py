"""ConvSketch's timing of MobileNetV2 against torch.utils.benchmark, measured in the same run.

Many short rounds, alternating which goes first: ConvSketch's worker (``--runtime both``, as
users run it: torch and onnxruntime runs interleaved) and torch.utils.benchmark in this process,
same thread count. Each round gives a ratio (ConvSketch's torch median / torch.utils.benchmark's
median); the goal (issue 6) is the median ratio within 10 % of 1. Also prints onnxruntime's
median. On a shared machine the per-round ratios swing: read their spread before the verdict.

Both sides start from the same allocator state: the worker settles glibc's mmap threshold
before timing (designer.bench.worker.settle_allocator, about 25 % on MobileNetV2 in torch eager),
and so does this process before torch.utils.benchmark's rounds; the figure before settling is
printed once for comparison.

Run: python benchmarks/bench_timing.py [ROUNDS] [SECONDS]
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

THREADS = 2
GOAL = 0.10


def quartiles(values: list[float]) -> tuple[float, float]:
    from designer.bench.stats import percentile

    ordered = sorted(values)
    return percentile(ordered, 0.25), percentile(ordered, 0.75)


def main(rounds: int = 10, seconds: float = 1.0) -> int:
    import torch
    import torch.utils.benchmark as tb

    from designer.bench.runner import make_job, run_bench
    from designer.bench.worker import settle_allocator
    from designer.core.presets import load_preset
    from designer.core.timings import Timing
    from designer.export.pytorch import build_module

    design = load_preset("mobilenet_v2")
    torch.set_num_threads(THREADS)
    model = build_module(design).eval()
    x = torch.randn(1, 3, 224, 224)

    def reference() -> float:
        with torch.inference_mode():
            timer = tb.Timer("model(x)", globals={"model": model, "x": x}, num_threads=THREADS)
            return timer.blocked_autorange(min_run_time=seconds).median * 1e3

    def ours() -> tuple[Timing, Timing]:
        torch_t, ort_t = run_bench(make_job(design, "both", threads=THREADS,
                                            budget_s=seconds))["timings"]
        return torch_t, ort_t

    print(f"MobileNetV2, batch 1, {THREADS} threads, {rounds} rounds of {seconds:g} s each side")
    print(f"torch.utils.benchmark before settling the allocator: {reference():.2f} ms")
    settle_allocator()
    ratios, ort_medians, torch_medians, ref_medians = [], [], [], []
    for r in range(rounds):
        if r % 2 == 0:
            torch_t, ort_t = ours()
            theirs = reference()
        else:
            theirs = reference()
            torch_t, ort_t = ours()
        ratios.append(torch_t.median_ms / theirs)
        torch_medians.append(torch_t.median_ms)
        ref_medians.append(theirs)
        ort_medians.append(ort_t.median_ms)
        print(f"round {r + 1:>2}: ConvSketch torch {torch_t.median_ms:6.2f} ms (IQR "
              f"{torch_t.iqr_ms:.2f}), torch.utils.benchmark {theirs:6.2f} ms, ratio "
              f"{ratios[-1]:.3f}; onnxruntime {ort_t.median_ms:5.2f} ms (IQR "
              f"{ort_t.iqr_ms:.2f})", flush=True)
    ratio = statistics.median(ratios)
    q1, q3 = quartiles(ratios)
    o1, o3 = quartiles(ort_medians)
    t1, t3 = quartiles(torch_medians)
    ok = abs(ratio - 1) <= GOAL
    print(f"ConvSketch torch: median of rounds {statistics.median(torch_medians):.2f} ms "
          f"(IQR {t1:.2f}–{t3:.2f}); torch.utils.benchmark {statistics.median(ref_medians):.2f} ms")
    print(f"onnxruntime: median of rounds {statistics.median(ort_medians):.2f} ms "
          f"(IQR {o1:.2f}–{o3:.2f})")
    print(f"ratio ConvSketch / torch.utils.benchmark: median {ratio:.3f} ({100 * (ratio - 1):+.1f} %), "
          f"IQR {q1:.3f}–{q3:.3f}, range {min(ratios):.3f}–{max(ratios):.3f}")
    print(f"{'PASS' if ok else 'FAIL'}: median ratio within {GOAL:.0%} of 1 (goal of issue 6)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10,
                  float(sys.argv[2]) if len(sys.argv) > 2 else 1.0))
