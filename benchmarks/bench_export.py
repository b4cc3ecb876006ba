"""Export time for MobileNetV2: .py (generate + build + check), ONNX (check + export + checker +
onnxruntime comparison), and the legacy against the dynamo exporter alone, interleaved in one run
so both see the same machine load.

Goal (issue 4): ONNX export of MobileNetV2 at most 2 s. The first export in a process also pays
for torch's import and the exporter's set-up (the app's first export does); it is shown apart.
Run: python benchmarks/bench_export.py [--repeats N]
"""
from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def summary(times: list[float]) -> str:
    q = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    return (f"median {statistics.median(times):.2f} s  (IQR {q[0]:.2f}–{q[2]:.2f}, "
            f"min {min(times):.2f}, n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    from designer.core.presets import load_preset
    from designer.export.files import export_py
    from designer.export.onnx_export import OPSET, export_onnx

    design = load_preset("mobilenet_v2")
    out = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    export_onnx(design, out / "first.onnx")
    first = time.perf_counter() - t
    import torch

    from designer.export.pytorch import build_module

    model = build_module(design).eval()
    x = torch.randn(1, 3, 224, 224)

    def legacy():
        torch.onnx.export(model, (x,), str(out / "l.onnx"), dynamo=False, opset_version=OPSET)

    def dynamo():
        torch.onnx.export(model, (x,), str(out / "d.onnx"), dynamo=True, external_data=False,
                          verbose=False)
    steps = {".py: generate, build, check": lambda: export_py(design, out / "m.py"),
             "ONNX: check, export, checker, onnxruntime": lambda: export_onnx(design,
                                                                             out / "m.onnx"),
             "torch.onnx legacy exporter alone": legacy,
             "torch.onnx dynamo exporter alone": dynamo}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            gc.collect()  # the previous step's garbage (the dynamo exporter leaves much) is not ours
            t = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - t)
    print(f"first ONNX export in a fresh process (imports torch, onnx): {first:.2f} s")
    for name, ts in times.items():
        print(f"{name:<44} {summary(ts)}")
    ratio = statistics.median(times["torch.onnx dynamo exporter alone"]) / statistics.median(
        times["torch.onnx legacy exporter alone"])
    print(f"dynamo / legacy exporter: {ratio:.1f}×")


if __name__ == "__main__":
    main()
