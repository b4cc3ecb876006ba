"""Analysis speed: MobileNetV2 and two generated 1,000-block designs, and the ratio to fvcore
counting the same MobileNetV2 (built from ConvSketch's own export) in the same run.

The repeated design cycles through four block configurations, so after its first blocks even a
"cold" run mostly hits the block caches; the distinct design gives every block its own width, so a
cold run misses on every block: the worst case for the 20 ms goal.

Goals (issue 2): at least 100x faster than fvcore; 1,000 blocks in at most 20 ms.
Run: python benchmarks/bench_analysis.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blocks.registry import _expand
from designer.core import memory, receptive_field, scaling
from designer.core.analysis import analyze
from designer.core.builder import Builder, generated_chain
from designer.core.design import Design
from designer.core.presets import load_preset


def clear_caches() -> None:
    for cache in (_expand, scaling._cached_block, scaling._scaled, scaling._node_block,
                  memory.block_template,
                  receptive_field.block_field, receptive_field._by_spatial):
        cache.cache_clear()


def distinct_chain(n_blocks: int) -> Design:
    """``n_blocks`` blocks, no two alike: conv, inverted residual, separable and fire in turn,
    each with its own channel count, on a 64×64 input."""
    b = Builder(f"{n_blocks} distinct blocks", (3, 64, 64))
    for i in range(n_blocks):
        c = 16 + i
        kind, params = [("conv", {"out_channels": c}), ("ir", {"out_channels": c}),
                        ("sepconv", {"out_channels": c}),
                        ("fire", {"squeeze": 8 + i % 8, "expand1x1": c // 2,
                                  "expand3x3": c - c // 2})][i % 4]
        b.add(kind, f"{kind}{i}", **params)
    return b.build()


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
    distinct = distinct_chain(1000)
    for d in (big, distinct):
        assert analyze(d).ok and len(d.nodes) == 1000
    assert len({(n.kind, tuple(sorted(n.params.items()))) for n in distinct.nodes.values()}) == 1000
    rows = [("MobileNetV2, cold caches", median_ms(lambda: analyze(v2), 50, cold=True)),
            ("MobileNetV2, warm (slider tick)", median_ms(lambda: analyze(v2), 200)),
            ("1,000 blocks, cold caches", median_ms(lambda: analyze(big), 20, cold=True)),
            ("1,000 blocks, warm", median_ms(lambda: analyze(big), 50)),
            ("1,000 distinct blocks, cold caches",
             median_ms(lambda: analyze(distinct), 20, cold=True)),
            ("1,000 distinct blocks, warm", median_ms(lambda: analyze(distinct), 50))]
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
    print(f"{'what':<40} {'median ms':>10} {'IQR ms':>16}")
    for name, (med, q1, q3) in rows:
        print(f"{name:<40} {med:>10.3f} {q1:>7.3f}–{q3:<7.3f}")
    if fv:
        print(f"ConvSketch is {fv[0] / rows[0][1][0]:.0f}x faster than fvcore with cold caches, "
              f"{fv[0] / rows[1][1][0]:.0f}x warm (goal >= 100x)")
    print(f"1,000 blocks: {rows[2][1][0]:.1f} ms cold with 4 repeated configurations, "
          f"{rows[4][1][0]:.1f} ms cold with 1,000 distinct ones (goal <= 20 ms)")


if __name__ == "__main__":
    main()
