"""Scale: loading a 20,000-edge design file, and ``stats`` (load, analysis and the printed table)
of a 50,000-block design, each timed end to end in this process.

Goals (issue 13): the 20,000-edge file loads in under 1 s; 50,000 blocks go through ``stats`` in
under 5 s. Before: 21 s and 170 s (every edge was checked against a list of all earlier ones).
Run: python benchmarks/bench_scale.py
"""
from __future__ import annotations

import contextlib
import io as text_io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.cli import main
from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import generated_chain


def best_of(runs: int, fn) -> tuple[float, float, float]:
    """Best and median wall time, and the best CPU time of this process (less swayed by other
    work on a shared machine)."""
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(times), statistics.median(times), min(cpu)


def main_quietly(argv: list[str]) -> None:
    with contextlib.redirect_stdout(text_io.StringIO()):
        assert main(argv) == 0


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        edges_file = Path(folder) / "edges.json"
        io.save(generated_chain(20_000), edges_file)
        assert len(io.load(edges_file).edges) == 20_000
        size = edges_file.stat().st_size / 1e6
        best, median, cpu = best_of(3, lambda: io.load(edges_file))
        print(f"load, 20,000 edges ({size:.1f} MB)      best {best:6.3f} s  median {median:6.3f} s"
              f"  CPU {cpu:6.3f} s   goal < 1 s")
        big = generated_chain(50_000)
        blocks_file = Path(folder) / "blocks.json"
        io.save(big, blocks_file)
        best, median, cpu = best_of(3, lambda: analyze(io.load(blocks_file)))
        print(f"load + analysis, 50,000 blocks        best {best:6.3f} s  median {median:6.3f} s"
              f"  CPU {cpu:6.3f} s")
        best, median, cpu = best_of(3, lambda: main_quietly(["stats", str(blocks_file)]))
        print(f"stats, 50,000 blocks (whole command)  best {best:6.3f} s  median {median:6.3f} s"
              f"  CPU {cpu:6.3f} s   goal < 5 s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    run()
