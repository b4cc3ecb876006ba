"""Canvas speed at scale (issue 12): an α slider tick (analysis, charts, canvas, status bar
redrawn, window 1600×1000, offscreen) on MobileNetV2 (22 blocks), GoogLeNet (82) and a generated
1,000-block design, median and p95; and the layered layout of 1,000 blocks.
Goals: tick ≤ 16 ms median on GoogLeNet, ≤ 33 ms on 1,000 blocks; layout ≤ 300 ms.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_canvas.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TICKS = 80


def tick_times(app, window, ticks: int = TICKS) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each tick (CPU time is what other work on a shared machine
    does not inflate)."""
    times, cpu = [], []
    for i in range(ticks):
        value = 50 + (i % 50)
        t, c = time.perf_counter(), time.process_time()
        window.scaling.alpha.setValue(value)
        window.charts.repaint()
        window.view.viewport().repaint()
        window.statusBar().repaint()
        app.processEvents()
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
    return times, cpu


def main() -> None:
    from designer.core.builder import generated_chain, generated_dense
    from designer.core.layout import design_drawing
    from designer.core.presets import load_preset
    from designer.ui.shell.app import application, make_window

    app = application()
    cases = [("MobileNetV2", load_preset("mobilenet_v2"), 16),
             ("GoogLeNet", load_preset("googlenet"), 16),
             ("1,000 blocks (generated_chain)", generated_chain(1000), 33)]
    for label, design, goal in cases:
        window = make_window()
        window.resize(1600, 1000)
        window.show()
        window.document.load(design, None)
        app.processEvents()
        window.view.fit()
        app.processEvents()
        times, cpu = tick_times(app, window)
        q = statistics.quantiles(times, n=20)
        print(f"α tick, {label:<32} median {statistics.median(times):6.1f} ms, "
              f"p95 {q[18]:6.1f} ms, CPU median {statistics.median(cpu):6.1f} ms "
              f"(goal <= {goal} ms median)")
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    for label, design in (("1,000-block chain", generated_chain(1000)),
                          ("1,000-block dense", generated_dense(1000))):
        runs, cpu = [], []
        for _ in range(5):
            t, c = time.perf_counter(), time.process_time()
            design_drawing(design)
            runs.append((time.perf_counter() - t) * 1e3)
            cpu.append((time.process_time() - c) * 1e3)
        print(f"layered layout, {label:<24} median {statistics.median(runs):6.1f} ms, "
              f"CPU median {statistics.median(cpu):6.1f} ms (goal <= 300 ms)")


if __name__ == "__main__":
    main()
