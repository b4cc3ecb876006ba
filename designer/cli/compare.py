"""``compare``: several designs side by side, as a table (text, Markdown, CSV, JSON) or a chart."""
from __future__ import annotations

import argparse
import json
import sys

from designer.core.metrics import LATENCY, PARAMS
from designer.core.scaling import ALPHA_RANGE, RHO_RANGE
from designer.core.timings import DEVICES, RUNTIMES

from .common import (
    MAX_RESOLUTION,
    CliError,
    add_design_args,
    add_output_args,
    analyse_or_fail,
    bounded,
    load_design,
)


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help="compare designs side by side")
    add_design_args(p, many=True)
    p.add_argument("--baseline", default=None,
                   help="the design the ratios are to (default: the first)")
    add_output_args(p, "the bar charts")
    p.add_argument("--scatter", metavar="OUT.png|svg",
                   help="also draw MACs against parameters (or latency, with --scatter-y latency)")
    p.add_argument("--scatter-y", choices=("params", "latency"), default="params",
                   help="the scatter's y axis: parameters, or the kept latency (needs `bench "
                        "--save` timings)")
    p.add_argument("--latency-runtime", choices=RUNTIMES, default="torch",
                   help="whose kept timings the latency column shows (default torch)")
    p.add_argument("--latency-device", choices=DEVICES, default="cpu",
                   help="on which device (default cpu)")
    p.set_defaults(func=run)


def per_design(values: str | None, count: int, cast, flag: str) -> list:
    """``--alpha 0.5`` for all designs, or ``--alpha 1,0.5,0.25`` one per design."""
    if values is None:
        return [None] * count
    items = [v for v in str(values).split(",") if v]
    if len(items) == 1:
        items *= count
    if len(items) != count:
        raise CliError(f"--{flag} takes one value or one per design ({count}), got {values!r}")
    try:
        return [cast(v) for v in items]
    except argparse.ArgumentTypeError as err:
        raise CliError(f"--{flag}: {err}") from None


def load_all(args) -> list[tuple[str, object]]:
    n = len(args.designs)
    alphas = per_design(args.alpha, n, bounded(float, *ALPHA_RANGE), "alpha")
    rhos = per_design(args.rho, n, bounded(float, *RHO_RANGE), "rho")
    resolutions = per_design(args.resolution, n, bounded(int, 1, MAX_RESOLUTION), "resolution")
    loaded = []
    for spec, a, r, res in zip(args.designs, alphas, rhos, resolutions):
        one = argparse.Namespace(alpha=a, rho=r, resolution=res, dtype=args.dtype,
                                 rounding=args.rounding)
        suffix = "" if a is None else f" α={a:g}"
        if res is not None or r is not None:
            suffix += f" {res}px" if res is not None else f" ρ={r:g}"
        loaded.append((spec, suffix, load_design(spec, one)))
    return [(label, design) for label, (_, _, design) in zip(display_labels(loaded), loaded)]


def display_labels(loaded: list[tuple[str, str, object]]) -> list[str]:
    """Each design under its display name ("MobileNetV2", not the preset key "mobilenet_v2"),
    as the app shows it; where two would read alike, under what was named on the command line."""
    labels = [(design.name or spec) + suffix for spec, suffix, design in loaded]
    return [label if labels.count(label) == 1 else spec + suffix
            for label, (spec, suffix, _) in zip(labels, loaded)]


def run(args) -> int:
    from designer.core.compare import compare

    designs = load_all(args)
    for spec, (_label, design) in zip(args.designs, designs):
        analyse_or_fail(design, spec)
    c = compare(designs, baseline_index(args, designs), args.latency_runtime,
                args.latency_device)
    y_metric = LATENCY.key if args.scatter_y == "latency" else PARAMS.key
    if args.scatter:
        require_metric(c, designs, y_metric)
    print_table(c, args)
    save_charts(c, args, y_metric)
    return 0


def baseline_index(args, designs: list) -> int:
    """Which design the ratios are to: ``--baseline`` by label or by spec, else the first."""
    if args.baseline is None:
        return 0
    matches = [i for i, (label, _) in enumerate(designs)
               if label == args.baseline or args.designs[i] == args.baseline]
    if not matches:
        labels = [label for label, _ in designs]
        raise CliError(f"--baseline {args.baseline!r} is none of: {', '.join(labels)}")
    return matches[0]


def require_metric(c, designs: list, y_metric: str) -> None:
    """Refuse, before anything is printed, a scatter of a latency no design keeps."""
    if y_metric in c.metrics():
        return
    from designer.core.timings import describe, setups
    kept = sorted({describe(*s) for _, d in designs for s in setups(d)})
    wanted = describe(c.latency_runtime, c.latency_device)
    raise CliError(f"--scatter-y latency: no design keeps a timing of {wanted} "
                   "at its α and ρ (run `bench` first"
                   + (f"; kept: {', '.join(kept)}, see --latency-runtime)" if kept else ")"))


def print_table(c, args) -> None:
    if args.json:
        print(json.dumps(c.to_dict(), indent=2))
    elif args.csv:
        print(c.to_csv(), end="")
    elif args.markdown:
        print(c.to_markdown(), end="")
    else:
        header, body = c.table()
        widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
        for line in [header] + body:
            print("  ".join(cell.rjust(w) if i else cell.ljust(w)
                            for i, (cell, w) in enumerate(zip(line, widths))))


def save_charts(c, args, y_metric: str) -> None:
    if not (args.png or args.svg or args.scatter):
        return
    from designer.ui.workshop.compare_charts import save_comparison_chart, save_pareto_chart
    for path in (args.png, args.svg):
        if path:
            save_comparison_chart(c, path)
            print(f"wrote {path}", file=sys.stderr)
    if args.scatter:
        save_pareto_chart(c, args.scatter, y_metric)
        print(f"wrote {args.scatter}", file=sys.stderr)
