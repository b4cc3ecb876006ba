"""``estimate`` and ``calibrate``: predict a design's latency from a device profile, and measure
this machine's profile (the first estimate on a machine calibrates, and says so)."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from designer import extras
from designer.core.device_examples import example_names, example_path
from designer.core.latency import (
    DeviceProfile,
    ProfileError,
    estimate,
    read_profile,
    save_profile,
    saved_profile,
)
from designer.core.latency_explain import explain_block
from designer.core.units import plural

from .common import CliError, add_design_args, analyse_or_fail, bounded, clip, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("estimate", help="predict latency per block and in total (roofline model "
                                        "over a device profile)")
    add_design_args(p)
    p.add_argument("--device", metavar="PROFILE",
                   help="a device profile .json, made by running 'calibrate --out' on that "
                        "device, or an example from datasheet figures (uncalibrated): "
                        f"{', '.join(example_names())} (default: this machine's, calibrated on "
                        "first use)")
    p.add_argument("--batch", type=bounded(int, 1, 4096), default=1,
                   help="images per run, 1 to 4096")
    p.add_argument("--json", action="store_true", help="print the estimate as JSON")
    p.add_argument("--explain", metavar="BLOCK", action="append", default=[],
                   help="write out one block's estimate term by term, numbers filled in "
                        "(a block's name; may be given more than once)")
    p.set_defaults(func=run)
    c = sub.add_parser("calibrate", help="measure this machine's device profile (about 20 s)")
    c.add_argument("--out", metavar="PROFILE.json",
                   help="write here (default: the settings folder, where estimate looks)")
    c.add_argument("--threads", type=bounded(int, 1, 4 * (os.cpu_count() or 1)),
                   help="intra-op threads (default: torch's)")
    c.add_argument("--json", action="store_true", help="print the profile as JSON")
    c.set_defaults(func=run_calibrate)


def _progress(fraction: float, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{fraction:4.0%} {message:<40}", end="", file=sys.stderr, flush=True)


def measure(threads: int | None, out: str | None) -> tuple[DeviceProfile, Path, float]:
    extras.require("Calibrating this machine (or pass --device PROFILE)", ("torch",))
    from designer.bench.calibrate import calibrate
    from designer.bench.reference_runs import ReferenceRunError

    start = time.perf_counter()
    try:
        profile = calibrate(threads, _progress)
    except ReferenceRunError as err:
        raise CliError(str(err)) from None
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return profile, save_profile(profile, out), time.perf_counter() - start


def run_calibrate(args) -> int:
    if args.threads is not None and args.threads < 1:
        raise CliError("--threads must be at least 1")
    profile, path, seconds = measure(args.threads, args.out)
    if args.json:
        print(profile.dumps(), end="")
        return 0
    print(f"calibrated in {seconds:.1f} s: {profile.cpu}, {plural(profile.threads, 'thread')}, torch "
          f"{profile.torch}; saved to {path}")
    conv = f"{profile.conv_factor:.2f}" if profile.conv_factor is not None else "the same"
    print(f"network factor {profile.network_factor:.2f}, dense K×K convs {conv}, and glue "
          f"{profile.glue_us:.1f} µs a layer (a synthetic network whole = pools + factors × its "
          f"layers alone + glue × layers; the glue timed with the network run hollow)")
    if profile.fresh_bytes_per_us:
        print(f"fresh pages {profile.fresh_bytes_per_us / 1e3:.2f} GB/s (memory of 32 MiB or more "
              f"is mapped afresh on every call)")
    print(f"{'kind':<10} {'overhead µs':>12} {'Gop/s':>8} {'GB/s':>8} {'weights GB/s':>13} "
          f"{'ns/output':>10} {'fit error':>10}")
    fit = dict(profile.fit)
    for kind, r in profile.rates:
        ops = f"{r.macs_per_us / 1e3:8.2f}" if r.macs_per_us else f"{'—':>8}"
        bw = f"{r.bytes_per_us / 1e3:8.1f}" if r.bytes_per_us < 1e9 else f"{'—':>8}"
        wbw = f"{r.weight_bytes_per_us / 1e3:13.1f}" if r.weight_bytes_per_us else f"{'—':>13}"
        per_out = f"{1e3 / r.outputs_per_us:10.1f}" if r.outputs_per_us else f"{'—':>10}"
        print(f"{kind:<10} {r.overhead_us:>12.1f} {ops} {bw} {wbw} {per_out} "
              f"{fit.get(kind, 0):>10.0%}")
    print("Gop/s: MACs (conv, linear) or window operations (pooling) per second; weights GB/s: "
          "a conv's weights prepared per second, added to its time; ns/output: a pool's or a "
          "stem conv's cost per output element, added; fit error: median of the "
          "kind's microbenchmarks against the fitted model")
    return 0


def device_profile(spec: str | None) -> DeviceProfile:
    """The profile ``--device`` names, or this machine's, calibrating it on first use."""
    if spec:
        path = Path(spec)
        if not path.exists() and example_path(spec):
            path = example_path(spec)
        elif not path.exists() and not spec.endswith(".json") and "/" not in spec:
            raise CliError(f"--device {spec}: no such profile file, and no example device of "
                           f"that name (examples: {', '.join(example_names())})")
        try:
            return read_profile(path)
        except ProfileError as err:
            raise CliError(str(err)) from None
    profile, why = saved_profile()
    if profile is None:
        extras.require(f"{why}: calibrating it", ("torch",))
        print(f"{why}: calibrating it now (about 20 s; 'python -m designer calibrate' redoes "
              f"it) ...", file=sys.stderr, flush=True)
        profile, path, seconds = measure(None, None)
        print(f"calibrated in {seconds:.1f} s, saved to {path}", file=sys.stderr)
    return profile


def run(args) -> int:
    if args.batch < 1:
        raise CliError("--batch must be at least 1")
    design = load_design(args.design, args)
    analysis = analyse_or_fail(design, args.design)
    profile = device_profile(args.device)
    est = estimate(analysis, profile, args.batch)
    explained = explanations(analysis, profile, args.batch, args.explain)
    if args.json:
        extra = {"explain": {n: lines for n, lines in explained}} if explained else {}
        print(json.dumps({"name": design.name, "alpha": design.alpha, "rho": design.rho,
                          **est.to_dict(), **extra}, indent=2))
        return 0
    label = "calibrated" if profile.calibrated else "UNCALIBRATED (datasheet figures)"
    print(f"{clip(design.name, 80)}: estimated {est.latency_ms:.2f} ms at batch {args.batch}, "
          f"input {'×'.join(map(str, analysis.input_shape))}, α = {design.alpha:g}")
    if not profile.datasheet:
        print(f"device profile: {profile.name}, {label}; {profile.cpu or '?'}, "
              f"{plural(profile.threads, 'thread')}, torch {profile.torch or '?'}")
    else:
        sheet = dict(profile.datasheet)
        print(f"device profile: {profile.name}, {label}")
        print(f"datasheet figures: {sheet['peak_fp32_gflops']:g} GFLOP/s fp32 peak, "
              f"{sheet['memory_bandwidth_gb_s']:g} GB/s; no per-op overhead, so a lower bound. "
              f"Source: {sheet['sources'][0]}")
    w = max([len(clip(b.name, 40)) for b in est.blocks] + [5])
    print(f"{'block':<{w}} {'est. ms':>9} {'share':>7}")
    for b in est.blocks:
        print(f"{clip(b.name, 40):<{w}} {b.latency_ms:>9.3f} "
              f"{b.latency_ms / est.latency_ms if est.latency_ms else 0:>7.1%}")
    print("roofline model: per layer overhead + max(MACs / compute rate, bytes / bandwidth) "
          "+ conv weights + pool and stem outputs + fresh pages, times the network factor (dense K×K "
          "convs their own, pools none), plus glue "
          "per layer; rates by layer kind from the profile; torch eager, fp32")
    for name, lines in explained:
        print(f"\n{name}:")
        print("\n".join("  " + line for line in lines))
    return 0


def explanations(analysis, profile, batch: int, names: list[str]) -> list[tuple[str, list[str]]]:
    """Each named block's estimate term by term; a name that is no counted block is an error
    naming the blocks there are."""
    by_name = {b.name: b for b in analysis.blocks if b.ok}
    out = []
    for name in names:
        b = by_name.get(name)
        if b is None:
            known = ", ".join(clip(n, 30) for n in list(by_name)[:12])
            raise CliError(f"--explain {clip(name, 40)}: no counted block of that name "
                           f"(blocks: {known}{', …' if len(by_name) > 12 else ''})")
        out.append((name, explain_block(b.block, b.input_shapes, profile, batch).lines()))
    return out
