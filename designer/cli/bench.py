"""``bench``: time a design on this device with torch and/or onnxruntime, in a worker process."""
from __future__ import annotations

import json
import os
import sys

from designer import extras
from designer.core.timings import Timing
from designer.core.units import plural

from .common import CliError, add_design_args, analyse_or_fail, bounded, load_design
from .terminal import progress_line

MAX_THREADS = 4 * (os.cpu_count() or 1)
"""torch's worker crashed at 100,000 threads; beyond a few per core nothing is measured but the
machine's contention."""
MAX_BATCH = 4096
MAX_SECONDS = 3600.0
MAX_RUNS = 10_000_000


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="time the design on this device (median, IQR, p95)")
    add_design_args(p)
    p.add_argument("--runtime", choices=["torch", "onnxruntime", "both"], default="both",
                   help="which runtime to time; both alternate in short chunks")
    p.add_argument("--threads", type=bounded(int, 1, MAX_THREADS),
                   help=f"intra-op threads, 1 to {MAX_THREADS} (default: torch's, one per core)")
    p.add_argument("--batch", type=bounded(int, 1, MAX_BATCH),
                   default=1, help=f"images per run, 1 to {MAX_BATCH}")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where to run")
    p.add_argument("--seconds", type=bounded(float, hi=MAX_SECONDS, above=0), default=3.0,
                   help=f"time budget of the whole-model runs (at most {MAX_SECONDS:g})")
    p.add_argument("--runs", type=bounded(int, 1, MAX_RUNS),
                   help="at most this many runs (default: no cap, the time budget governs)")
    p.add_argument("--per-block", action="store_true",
                   help="also time each block on its own (torch eager; with --runtime "
                        "onnxruntime, torch is timed as well for the blocks)")
    p.add_argument("--save", action="store_true", help="keep the result in the design file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    extras.require("Timing", ("torch",) if args.runtime == "torch" else extras.EXPORT)
    from designer.bench.runner import BenchError, make_job, run_bench

    if args.save and not args.design.endswith(".json"):
        raise CliError("--save needs a design file, not a preset")
    design = load_design(args.design, args)
    analysis = analyse_or_fail(design, args.design)
    job = make_job(design, args.runtime, args.threads, args.batch, args.device, args.seconds,
                   args.runs, per_block=args.per_block)

    def progress(fraction: float, message: str) -> None:
        if not args.json and sys.stderr.isatty():
            progress_line(f"{fraction:4.0%} {message:<30}")
    try:
        result = run_bench(job, progress)
    except BenchError as err:
        raise CliError(f"timing failed: {err}", code=1) from None
    from designer.bench.stats import contention_note

    note = contention_note(result["timings"])
    if note:
        print(f"warning: {note}", file=sys.stderr)
    if args.save:
        _save(args.design, result["timings"])
    if args.json:
        print(json.dumps({**result, "timings": [t.to_dict() for t in result["timings"]]},
                         indent=2))
        return 0
    from designer.bench.stats import blocks_vs_whole_text

    env = result["timings"][0].environment
    print(f"{design.name} at α = {design.alpha:g}, input {analysis.input_shape}, batch "
          f"{args.batch}, {plural(env['threads'], 'thread')} on {env['cpu']} ({env['device']}); "
          f"torch {env['torch']}, onnxruntime {env['onnxruntime']}")
    for t in result["timings"]:
        print(f"{t.runtime:<12} {t.spread_text()}" + (f"  ({t.note})" if t.note else ""))
    measured = next((t.peak_memory_bytes for t in result["timings"]
                     if t.peak_memory_bytes is not None), None)
    if measured is not None:
        from designer.bench.stats import memory_text
        print(memory_text(measured, analysis, args.batch))
    torch_t = next((t for t in result["timings"] if t.blocks), None)
    if torch_t:
        _print_blocks(torch_t, blocks_vs_whole_text(torch_t))
    return 0


def _print_blocks(timing: Timing, summary: str) -> None:
    from designer.bench.stats import block_shares

    blocks = timing.blocks
    print(f"\nper block, torch eager, {blocks[0].runs} interleaved rounds:")
    print(f"{'block':<16} {'median ms':>10} {'IQR ms':>8} {'latency share':>14} "
          f"{'MACs share':>11}")
    for b, (latency_share, macs_share) in zip(blocks, block_shares(timing)):
        flag = "  ⚠ wide spread" if b.noisy else ""
        print(f"{b.name:<16} {b.median_ms:>10.3f} {b.iqr_ms or 0:>8.3f} "
              f"{latency_share:>13.1%} {macs_share:>11.1%}{flag}")
    print(summary)


def _save(spec: str, timings: list[Timing]) -> None:
    """Keep the timings in the design file and say so; a noisy run is kept with a warning."""
    from designer.core import io
    from designer.core.commands import History
    from designer.core.timings import AddTimings

    stored = io.load(spec)
    History(stored).push(AddTimings(timings))
    io.save(stored, spec)
    runtimes = ", ".join(t.runtime for t in timings)
    print(f"kept the timing ({runtimes}) in {spec}", file=sys.stderr)
    noisy = [t.runtime for t in timings if t.noisy]
    if noisy:
        print(f"warning: the {' and '.join(noisy)} run was noisy (a wide spread between runs) and "
              "is kept marked so; time it again on a quieter machine to replace it",
              file=sys.stderr)
