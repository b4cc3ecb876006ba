"""ConvSketch's timing of MobileNetV2 against torch.utils.benchmark, measured in the same run,
alternating rounds (ConvSketch's worker, then torch.utils.benchmark in this process, ...), same
thread count. Goal (issue 6): medians within 10 %. Also prints onnxruntime's median.

Run: python benchmarks/bench_timing.py [ROUNDS]
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

THREADS = 2


def main(rounds: int = 3) -> None:
    import torch
    import torch.utils.benchmark as tb

    from designer.bench.runner import make_job, run_bench
    from designer.core.presets import load_preset
    from designer.export.pytorch import build_module

    design = load_preset("mobilenet_v2")
    torch.set_num_threads(THREADS)
    model = build_module(design).eval()
    x = torch.randn(1, 3, 224, 224)
    ours, theirs, ort = [], [], []
    for r in range(rounds):
        result = run_bench(make_job(design, "both", threads=THREADS, budget_s=4, max_runs=300))
        torch_t, ort_t = result["timings"]
        ours.append(torch_t["median_ms"])
        ort.append(ort_t["median_ms"])
        with torch.inference_mode():
            timer = tb.Timer("model(x)", globals={"model": model, "x": x},
                             num_threads=THREADS)
            m = timer.blocked_autorange(min_run_time=4)
        theirs.append(m.median * 1e3)
        print(f"round {r + 1}: ConvSketch torch {ours[-1]:.2f} ms (IQR {torch_t['iqr_ms']:.2f}), "
              f"torch.utils.benchmark {theirs[-1]:.2f} ms (IQR {m.iqr * 1e3:.2f}), "
              f"onnxruntime {ort[-1]:.2f} ms")
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"median of rounds: ConvSketch {a:.2f} ms, torch.utils.benchmark {b:.2f} ms, "
          f"difference {100 * (a - b) / b:+.1f} % (goal within 10 %); onnxruntime "
          f"{statistics.median(ort):.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
