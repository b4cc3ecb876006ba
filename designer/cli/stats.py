"""``stats``: the per-block cost table and totals of a design, or the same as JSON."""
from __future__ import annotations

import json

from blocks import fmt

from .common import add_design_args, analyse_or_fail, load_design
from designer.core.units import CONVENTIONS, human

def add_parser(sub) -> None:
    p = sub.add_parser("stats", help="per-block parameters, MACs and activation memory")
    add_design_args(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    design = load_design(args.design, args)
    a = analyse_or_fail(design, args.design)
    if args.json:
        print(json.dumps(a.to_dict(), indent=2))
        return 0
    print(f"{design.name}: input {fmt(a.input_shape)}, α = {a.alpha:g}, ρ = {a.rho:.4g}, "
          f"{a.rounding} rounding, {a.dtype}")
    w = max([len(b.name) for b in a.blocks] + [5])
    print(f"{'block':<{w}}  {'kind':<8} {'output':>14} {'params':>10} {'MACs':>10} {'act. mem':>10}")
    for b in a.blocks:
        print(f"{b.name:<{w}}  {b.kind:<8} {fmt(b.output_shape):>14} {human(b.params):>10} "
              f"{human(b.macs):>10} {human(b.activation_bytes, 'B'):>10}")
    print(f"{'total':<{w}}  {'':<8} {fmt(a.output_shape):>14} {human(a.params):>10} "
          f"{human(a.macs):>10} {human(a.activation_bytes_total - a.input_bytes, 'B'):>10}")
    print()
    print(f"parameters      {a.params:,} (+ {a.buffers:,} BatchNorm buffers)")
    print(f"MACs            {a.macs:,}   other ops {a.other_ops:,}")
    print(f"activations     total {human(a.activation_bytes_total, 'B')} (input included), "
          f"peak live {human(a.peak_activation_bytes, 'B')} at {a.peak_at}, "
          f"block-boundary peak {human(a.block_peak_activation_bytes, 'B')} at {a.block_peak_at}")
    print(CONVENTIONS)
    return 0
