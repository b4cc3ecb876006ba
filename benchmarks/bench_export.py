"""Export time for MobileNetV2: .py (generate + build + check), ONNX (export + checker +
onnxruntime comparison), legacy against dynamo exporter, in one process after torch is imported.

Goal (issue 4): ONNX export of MobileNetV2 at most 2 s.
Run: python benchmarks/bench_export.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn, repeats=5):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    t = time.perf_counter()
    import torch
    print(f"import torch: {time.perf_counter() - t:.2f} s (once per process)")
    from designer.core.presets import load_preset
    from designer.export.files import export_py
    from designer.export.onnx_export import export_onnx
    from designer.export.pytorch import build_module

    design = load_preset("mobilenet_v2")
    out = Path(tempfile.mkdtemp())
    export_onnx(design, out / "warm.onnx")
    model = build_module(design).eval()
    x = torch.randn(1, 3, 224, 224)

    def dynamo():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (x,), str(out / "d.onnx"), dynamo=True,
                              external_data=False, verbose=False)
    rows = [(".py: generate, build, check", timed(lambda: export_py(design, out / "m.py"))),
            ("ONNX (legacy) + checker + onnxruntime",
             timed(lambda: export_onnx(design, out / "m.onnx"))),
            ("torch.onnx dynamo exporter alone", timed(dynamo, 2))]
    for name, (med, lo, hi) in rows:
        print(f"{name:<40} median {med:.2f} s  (min {lo:.2f}, max {hi:.2f})")


if __name__ == "__main__":
    main()
