"""Import time for MobileNetV2's ONNX file: as ConvSketch exports it (BatchNorm folded) and as a
plain torch.onnx.export with BatchNorm kept (where the inverted residuals are recognised), in
this process and in a fresh one (which also imports onnx; an ONNX import never imports torch).
The .py import is shown apart: it runs the model file in a child process that imports torch.

Goal (issue 15): importing MobileNetV2's ONNX takes at most 0.5 s, torch's import excluded.
Run: python benchmarks/bench_import.py [--repeats N]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def summary(times: list[float]) -> str:
    q = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    return (f"median {statistics.median(times) * 1000:.0f} ms  (IQR {q[0] * 1000:.0f}–"
            f"{q[2] * 1000:.0f}, min {min(times) * 1000:.0f}, n={len(times)})")


def fresh(path: Path) -> tuple[float, float]:
    """In a new interpreter: the time to import onnx and the importer, then to import ``path``."""
    code = ("import time; t = time.perf_counter(); import onnx; "
            "from designer.importers.load import import_model; u = time.perf_counter(); "
            f"import_model({str(path)!r}); print(u - t, time.perf_counter() - u)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    modules, work = out.stdout.split()
    return float(modules), float(work)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    warnings.simplefilter("ignore")
    import torch

    from designer.core.presets import load_preset
    from designer.export.files import export_py
    from designer.export.onnx_export import export_onnx
    from designer.export.pytorch import build_module
    from designer.importers.load import import_model

    torch.set_num_threads(1)
    design = load_preset("mobilenet_v2")
    out = Path(tempfile.mkdtemp())
    export_onnx(design, out / "folded.onnx")
    torch.onnx.export(build_module(design).eval(), (torch.zeros(1, 3, 224, 224),),
                      str(out / "bn.onnx"), dynamo=False, do_constant_folding=False)
    export_py(design, out / "mobilenet_v2.py")
    files = {"ConvSketch's export (BN folded)": out / "folded.onnx",
             "torch.onnx.export, BN kept": out / "bn.onnx"}
    times: dict[str, list[float]] = {k: [] for k in files}
    firsts: dict[str, list[float]] = {k: [] for k in files}
    modules: list[float] = []
    for _ in range(repeats):
        for label, path in files.items():
            t = time.perf_counter()
            d = import_model(path)
            times[label].append(time.perf_counter() - t)
            loading, work = fresh(path)
            modules.append(loading)
            firsts[label].append(work)
    kinds = {}
    for node in d.nodes.values():
        kinds[node.kind] = kinds.get(node.kind, 0) + 1
    print(f"MobileNetV2 ONNX import ({(out / 'folded.onnx').stat().st_size / 1e6:.1f} MB), "
          f"goal <= 500 ms; last import: {kinds}")
    for label in files:
        print(f"  {label:<34} in process: {summary(times[label])}")
        print(f"  {'':<34} first import in a fresh process: {summary(firsts[label])}")
    print(f"  {'importing onnx and the importer':<34} fresh process: {summary(modules)}")
    t = time.perf_counter()
    import_model(out / "mobilenet_v2.py")
    print(f"  .py import (child process imports torch, builds, traces): "
          f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
