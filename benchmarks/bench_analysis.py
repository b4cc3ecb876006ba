"""Analysis speed: MobileNetV2 and a generated 1,000-block design, and the ratio to fvcore counting
the same MobileNetV2 (built from ConvSketch's own export) in the same run.

Goals (issue 2): at least 100x faster than fvcore; 1,000 blocks in at most 20 ms.
Run: python benchmarks/bench_analysis.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blocks.registry import _expand  # noqa: E402
from designer.core import memory, scaling  # noqa: E402
from designer.core.analysis import analyze  # noqa: E402
from designer.core.builder import generated_chain  # noqa: E402
from designer.core.presets import load_preset  # noqa: E402


def clear_caches() -> None:
    for cache in (_expand, scaling._cached_block, scaling._scaled, memory.block_template):
        cache.cache_clear()


def median_ms(fn, repeats: int, cold: bool = False) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        if cold:
            clear_caches()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    q = statistics.quantiles(times, n=4)
    return statistics.median(times), q[0], q[2]


def main() -> None:
    v2 = load_preset("mobilenet_v2")
    big = generated_chain(1000)
    assert analyze(big).ok and len(big.nodes) == 1000
    rows = [("MobileNetV2, cold caches", median_ms(lambda: analyze(v2), 50, cold=True)),
            ("MobileNetV2, warm (slider tick)", median_ms(lambda: analyze(v2), 200)),
            ("1,000 blocks, cold caches", median_ms(lambda: analyze(big), 20, cold=True)),
            ("1,000 blocks, warm", median_ms(lambda: analyze(big), 50))]
    fv = None
    try:
        import torch
        from fvcore.nn import FlopCountAnalysis

        from designer.export.pytorch import build_module
        model = build_module(v2).eval()
        x = torch.randn(1, *analyze(v2).input_shape)

        def count():
            f = FlopCountAnalysis(model, x)
            f.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            return f.total()
        count()
        fv = median_ms(count, 5)
        rows.append(("fvcore on the exported MobileNetV2", fv))
    except ImportError as err:
        print(f"(fvcore comparison skipped: {err})")
    print(f"{'what':<38} {'median ms':>10} {'IQR ms':>16}")
    for name, (med, q1, q3) in rows:
        print(f"{name:<38} {med:>10.3f} {q1:>7.3f}–{q3:<7.3f}")
    if fv:
        print(f"ConvSketch is {fv[0] / rows[0][1][0]:.0f}x faster than fvcore with cold caches, "
              f"{fv[0] / rows[1][1][0]:.0f}x warm (goal >= 100x)")
    print(f"1,000 blocks: {rows[2][1][0]:.1f} ms cold (goal <= 20 ms)")


if __name__ == "__main__":
    main()
