"""Layout speed: the layered layout (layers, crossing sweeps, placement, wire polylines) of the
presets and of two generated 1,000-block designs, a chain and a dense one (every conv reads the
concat of all before it in its stage, and a wire spans the whole network). Goal (issue 12):
1,000 blocks in at most 300 ms.

Run: python benchmarks/bench_layout.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.builder import generated_chain, generated_dense  # noqa: E402
from designer.core.layout import design_drawing  # noqa: E402
from designer.core.presets import load_preset  # noqa: E402


def timed(design, runs: int) -> tuple[float, float]:
    """Median wall time in ms, and the median CPU time of this process (what a busy
    machine's other work does not add)."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        design_drawing(design)
        wall.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    cases = [(name, load_preset(name), 20) for name in ("mobilenet_v2", "resnet18", "googlenet")]
    cases += [("1,000-block chain", generated_chain(1000), 10),
              ("1,000-block dense (generated_dense)", generated_dense(1000), 10)]
    for label, design, runs in cases:
        drawing = design_drawing(design)
        wall, cpu = timed(design, runs)
        points = sum(len(w.points) for w in drawing.wires)
        print(f"{label:<38} {len(design.nodes):>5} blocks {len(design.edges):>5} wires "
              f"{points:>6} points: median {wall:6.1f} ms (cpu {cpu:6.1f} ms)"
              + ("   goal <= 300 ms" if len(design.nodes) >= 990 else ""))


if __name__ == "__main__":
    main()
