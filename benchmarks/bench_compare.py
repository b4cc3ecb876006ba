"""Workshop view speed: the core (four presets compared, the MobileNetV1 sweep curves, the block
lesson), an α slider tick with the Compare tab shown (open MobileNetV2 beside three presets:
analysis, table and charts refilled in place and painted), the Sweep and Block kinds tabs redrawn, and the
command line drawing a PNG in a fresh process.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_compare.py
"""
from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# its windows autosave: into a folder of its own, not the user's recovery files
if "CONVSKETCH_HOME" not in os.environ:       # a settings folder of its own, gone at exit
    os.environ["CONVSKETCH_HOME"] = tempfile.mkdtemp(prefix="convsketch-bench-")
    atexit.register(shutil.rmtree, os.environ["CONVSKETCH_HOME"], True)

NAMES = ["vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1"]


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and p90 in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    from designer.core.block_compare import compare_blocks
    from designer.core.compare import compare
    from designer.core.presets import load_preset
    from designer.core.sweep import curves

    designs = [(n, load_preset(n)) for n in NAMES]
    v1 = load_preset("mobilenet_v1")
    marks = ([1.0, 0.75, 0.5, 0.25], [224, 192, 160, 128])
    for label, fn, n in (("compare 4 presets (core)", lambda: compare(designs), 30),
                         ("MobileNetV1 sweep curves, 116 analyses (core)",
                          lambda: curves(v1, *marks), 10),
                         ("block lesson 64→128 at 56×56 (core)",
                          lambda: compare_blocks((64, 56, 56), 128), 30)):
        med, p90 = timed(fn, n)
        print(f"{label}: median {med:.1f} ms, p90 {p90:.1f} ms")

    from designer.ui.shell.app import application, make_window
    app = application()
    w = make_window()
    w.files.may_discard = lambda: True
    w.resize(1600, 1000)
    w.show()
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    for name in NAMES[:2] + NAMES[3:]:
        view.add_design(name, load_preset(name))
    app.processEvents()
    ticks = iter(range(10_000))

    def tick():
        w.scaling.alpha.setValue(50 + next(ticks) % 50)
        view.repaint()
        app.processEvents()

    med, p90 = timed(tick, 60)
    print(f"α tick with the Compare tab shown (4 designs, table and charts refilled and painted): "
          f"median {med:.1f} ms, p90 {p90:.1f} ms")
    w.tabs.setCurrentWidget(w.sweep_view)
    med, p90 = timed(lambda: (w.sweep_view.refresh(), w.sweep_view.repaint()), 8)
    print(f"Sweep tab redraw (MobileNetV2, 4×4 marks, curves): median {med:.1f} ms, "
          f"p90 {p90:.1f} ms; α ticks do not redraw it")
    w.tabs.setCurrentWidget(w.block_view)
    med, p90 = timed(lambda: (w.block_view.fields["m"].setValue(64 + next(ticks) % 64),
                              w.block_view.repaint()), 20)
    print(f"Block kinds tab redraw on a spin-box change: median {med:.1f} ms, p90 {p90:.1f} ms")
    w.close()

    with tempfile.TemporaryDirectory() as tmp:
        walls = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "designer", "compare", *NAMES, "--png",
                            str(Path(tmp) / "c.png")], check=True, capture_output=True,
                           cwd=Path(__file__).resolve().parents[1])
            walls.append(time.perf_counter() - t)
        print(f"`compare` of 4 presets with --png, fresh process: median "
              f"{statistics.median(walls):.2f} s")


if __name__ == "__main__":
    main()
