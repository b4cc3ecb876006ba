"""UI speed with MobileNetV2 loaded: the time from an α slider change to the analysis, charts,
canvas and status bar redrawn (goal ≤ 16 ms, one 60 Hz frame), and the time from a fresh
process to the window shown (goal ≤ 1.0 s, torch not imported).

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP = """
import time; t = time.perf_counter()
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from designer.ui.shell.app import application, make_window
app = application(); w = make_window(); w.show(); app.processEvents()
print(time.perf_counter() - t, "torch" in sys.modules)
"""


def main() -> None:
    from designer.ui.shell.app import application, make_window

    app = application()
    w = make_window()
    w.resize(1600, 1000)
    w.show()
    app.processEvents()
    times = []
    for i in range(120):
        value = 50 + (i % 50)
        t = time.perf_counter()
        w.scaling.alpha.setValue(value)
        w.charts.repaint()
        w.view.viewport().repaint()
        w.statusBar().repaint()
        app.processEvents()
        times.append((time.perf_counter() - t) * 1e3)
    q = statistics.quantiles(times, n=20)
    print(f"slider tick -> analysis, charts, canvas, status redrawn: median "
          f"{statistics.median(times):.1f} ms, p95 {q[18]:.1f} ms (goal <= 16 ms)")
    starts = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[1])
        seconds, torch_loaded = out.stdout.split()
        assert torch_loaded == "False", "torch was imported at start-up"
        starts.append(float(seconds))
    print(f"fresh process to window shown: median {statistics.median(starts):.2f} s "
          f"(min {min(starts):.2f}, max {max(starts):.2f}; goal <= 1.0 s); torch not imported")


if __name__ == "__main__":
    main()
