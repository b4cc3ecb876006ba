"""The calibration network timed in fresh processes, the median taken.

Timed in one process, again and again, the reference network's factor (its whole time over its
layers' times alone, :func:`designer.bench.calibrate.network_terms`) drifts up as the process
ages: 1.31, 1.41, 1.44, 1.49 in four runs back to back, on a quiet machine; timed after the
microbenchmarks, as ``calibrate`` did, it read 1.46–1.63. The presets are timed each in a
fresh worker process, so the reference is too: REFERENCE_RUNS fresh processes (1.34–1.58 on
one quiet machine), and the run whose factor is the median is kept, with its glue and conv
factor, so one process's unlucky memory layout does not set the profile.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys

from designer.lifeline import child_env, die_with_parent

REFERENCE_RUNS = 3
TIMEOUT_S = 120


class ReferenceRunError(RuntimeError):
    """A reference run that failed, with what its process said."""


def time_reference_fresh(threads: int, runs: int = REFERENCE_RUNS) -> tuple[tuple[float, ...], ...]:
    """The reference network's times (:class:`calibrate.ReferenceTimes` at each size) from the
    run, of ``runs`` fresh processes, whose network factor is the median."""
    from designer.bench.calibrate import network_terms

    results = [_one_run(threads) for _ in range(runs)]
    factors = [network_terms(r).factor for r in results]
    median = statistics.median_low(factors)
    return results[factors.index(median)]


def _one_run(threads: int) -> tuple[tuple[float, ...], ...]:
    process = subprocess.Popen([sys.executable, "-m", "designer.bench.reference_runs", str(threads)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=child_env())
    try:
        out = process.stdout.read()
        err = process.stderr.read()
        process.wait(TIMEOUT_S)
    finally:
        process.stdin.close()
        if process.poll() is None:
            process.kill()
    if process.returncode != 0:
        raise ReferenceRunError(f"timing the calibration network failed: {err.strip()[-500:]}")
    return tuple(tuple(row) for row in json.loads(out))


def main() -> int:
    die_with_parent()
    from designer.bench.calibrate import time_reference

    print(json.dumps([list(r) for r in time_reference(int(sys.argv[1]))]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
