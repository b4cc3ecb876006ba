"""``check``: ConvSketch's totals beside fvcore's, ptflops's and thop's, each difference explained."""
from __future__ import annotations

from designer import extras

from .common import CliError, add_design_args, analyse_or_fail, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="compare ConvSketch's counts with fvcore, ptflops and thop")
    add_design_args(p)
    p.set_defaults(func=run)


def run(args) -> int:
    extras.require("check", ("torch",))
    from designer.core.conventions import TOOLS, predicted_total
    from designer.export.check import check_module
    from designer.export.cross_check import count_with
    from designer.export.memory import memory_guard
    from designer.export.pytorch import ExportError, build_module

    design = load_design(args.design, args)
    a = analyse_or_fail(design, args.design)
    try:
        with memory_guard(a, "building and checking the PyTorch module"):
            model = build_module(design)
            result = check_module(model, a, design)
    except ExportError as err:
        raise CliError(str(err), code=1) from None
    print(f"{design.name}: the exported PyTorch module against ConvSketch's analysis")
    print(result.summary())
    print()
    print(f"{'counter':<11} {'total':>16} {'vs ConvSketch':>14}  why")
    print(f"{'ConvSketch':<11} {a.macs:>16,} {'':>14}  conv + linear multiply-accumulates, "
          "bias excluded")
    unexplained = 0
    for tool, (_, convention) in TOOLS.items():
        c = count_with(tool, model, a.input_shape)
        if c.total is None:
            print(f"{tool:<11} {'—':>16} {'':>14}  {c.error}")
            continue
        expected, terms = predicted_total(tool, a)
        diff = c.total - a.macs
        print(f"{tool:<11} {c.total:>16,} {diff:>+14,}  {convention}")
        if c.total == expected:
            print(f"{'':<44}= {' + '.join(terms)} exactly")
        else:
            unexplained += 1
            print(f"{'':<44}convention predicts {expected:,}; {c.total - expected:+,} unexplained "
                  "(a newer version of the tool?)")
    return 0 if result.ok else 1
