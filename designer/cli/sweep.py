"""``sweep``: MACs and parameters of one design over α and resolution (MobileNet Tables 6, 7)."""
from __future__ import annotations

import json
import sys

from designer.core.scaling import ALPHA_RANGE

from .common import MAX_RESOLUTION, add_design_args, add_output_args, load_design, number_list


def add_parser(sub) -> None:
    p = sub.add_parser("sweep", help="MACs and parameters over α × resolution")
    add_design_args(p, scaling=False)
    p.add_argument("--alphas", type=number_list(float, *ALPHA_RANGE), default="1,0.75,0.5,0.25",
                   help=f"the α values, a comma list, each {ALPHA_RANGE[0]} to {ALPHA_RANGE[1]}")
    p.add_argument("--resolutions", type=number_list(int, 1, MAX_RESOLUTION),
                   default="224,192,160,128",
                   help="the input resolutions in pixels, a comma list")
    add_output_args(p, "MACs and parameters over α and over resolution")
    p.set_defaults(func=run)


def run(args) -> int:
    from designer.core.sweep import curves, sweep, to_csv, to_markdown

    alphas, resolutions = args.alphas, args.resolutions
    design = load_design(args.design, args)
    points = sweep(design, alphas, resolutions)
    if args.json:
        print(json.dumps([p.__dict__ for p in points], indent=2))
    elif args.csv:
        print(to_csv(points), end="")
    elif args.markdown:
        print(to_markdown(design.name, points), end="")
    else:
        print(f"{design.name}: MACs (millions) / parameters (millions)")
        print("α \\ px " + "".join(f"{r:>16}" for r in resolutions))
        for a in alphas:
            cells = [p for p in points if p.alpha == a]
            print(f"{a:<7g}" + "".join(
                f"{p.macs / 1e6:>9.1f} / {p.params / 1e6:<4.2f}" if p.ok else f"{'invalid':>16}"
                for p in cells))
    for path in (args.png, args.svg):
        if path:
            from designer.ui.workshop.sweep_view import save_sweep_chart
            save_sweep_chart(curves(design, alphas, resolutions), path)
            print(f"wrote {path}", file=sys.stderr)
    return 0
