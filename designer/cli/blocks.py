"""``blocks``: every block kind from one input shape to the same output channels, its cost beside
a normal conv's, with the papers' formulas filled in (the seeds' lesson as a table or chart)."""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from .common import CliError, add_output_args, bounded


def shape(text: str) -> tuple[int, int, int]:
    """An argparse type: C×H×W, each from 1 to 65,536."""
    side = bounded(int, 1, 65536)
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"expected C×H×W such as 64x56x56, got {text!r}")
    return tuple(side(v) for v in parts)


def add_parser(sub) -> None:
    p = sub.add_parser("blocks", help="every block kind on one input, beside a normal conv")
    p.add_argument("--input", type=shape, default="64x56x56", metavar="CxHxW",
                   help="input shape")
    p.add_argument("--out", type=bounded(int, 1, 65536), default=128, metavar="M",
                   help="output channels")
    p.add_argument("--kernel", type=bounded(int, 1, 15), default=3, metavar="K",
                   help="kernel size of the spatial convolutions")
    p.add_argument("--groups", type=bounded(int, 1, 65536), default=4, metavar="G",
                   help="of the grouped conv")
    p.add_argument("--expansion", type=bounded(int, 1, 64), default=6, metavar="T",
                   help="of the inverted residual")
    add_output_args(p, "the chart")
    p.set_defaults(func=run)


def run(args) -> int:
    from designer.core.block_compare import compare_blocks

    try:
        c = compare_blocks(args.input, args.out, kernel=args.kernel, groups=args.groups,
                           expansion=args.expansion)
    except ValueError as err:
        raise CliError(str(err)) from None
    if args.json:
        print(json.dumps({"input_shape": c.input_shape, "out_channels": c.out_channels,
                          "kernel": c.kernel, "skipped": c.skipped,
                          "rows": [dataclasses.asdict(r) for r in c.rows]}, indent=2))
    elif args.csv:
        print(c.to_csv(), end="")
    else:
        print(c.to_markdown(), end="")
        if not args.markdown:
            for r in c.rows:
                print(f"\n{r.label}:\n  " + "\n  ".join(r.formulas))
    for path in (args.png, args.svg):
        if path:
            from designer.ui.workshop.block_compare_view import save_block_chart
            save_block_chart(c, path)
            print(f"wrote {path}", file=sys.stderr)
    return 0
