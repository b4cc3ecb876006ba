"""``stats``: the per-block cost table and totals of a design, or the same as JSON."""
from __future__ import annotations

import json

from blocks import fmt
from designer.core.conventions import CONVENTIONS
from designer.core.safe_text import safe_text
from designer.core.units import human

from .common import add_design_args, analyse_or_fail, clip, load_design

NAME_WIDTH = 40


def shape_text(shape) -> str:
    """An output shape for the table; an empty design has none."""
    return fmt(shape) if shape else "—"


def field_text(b, image) -> str:
    """A block's receptive field in pixels, starred once it covers the whole input image."""
    if b.field is None:
        return "—"
    return f"{b.receptive_field}{'*' if b.field.covers(image) else ''}"


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
    print(f"{clip(design.name, 80)}: input {fmt(a.input_shape)}, α = {a.alpha:g}, ρ = {a.rho:.4g}, "
          f"{a.rounding} rounding, {a.dtype}")
    names = [clip(b.name, NAME_WIDTH) for b in a.blocks]
    w = max([len(n) for n in names] + [5])
    print(f"{'block':<{w}}  {'kind':<8} {'output':>14} {'params':>10} {'MACs':>10} "
          f"{'act. mem':>10} {'field':>7} {'jump':>5}")
    for name, b in zip(names, a.blocks):
        print(f"{name:<{w}}  {b.kind:<8} {shape_text(b.output_shape):>14} {human(b.params):>10} "
              f"{human(b.macs):>10} {human(b.activation_bytes, 'B'):>10} "
              f"{field_text(b, a.input_shape):>7} {b.jump or '—':>5}")
    print(f"{'total':<{w}}  {'':<8} {shape_text(a.output_shape):>14} {human(a.params):>10} "
          f"{human(a.macs):>10} {human(a.activation_bytes_total - a.input_bytes, 'B'):>10}")
    print()
    print(f"parameters      {a.params:,} (+ {a.buffers:,} BatchNorm buffers)")
    print(f"MACs            {a.macs:,}   other ops {a.other_ops:,}")
    print(f"activations     total {human(a.activation_bytes_total, 'B')} (input included), "
          f"peak live {human(a.peak_activation_bytes, 'B')} at {safe_text(a.peak_at or '—')}, "
          f"block-boundary peak {human(a.block_peak_activation_bytes, 'B')} at "
          f"{safe_text(a.block_peak_at or '—')}")
    print("field: receptive field in input pixels (* once it covers the whole input); "
          "jump: input pixels between neighbouring outputs")
    print(CONVENTIONS)
    return 0
