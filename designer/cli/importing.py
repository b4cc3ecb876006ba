"""``import``: an ONNX file or a PyTorch model file (.py with ``build_model()``) as a design.

A .py file's code is run, because the command was asked to (in a child process, with a time
limit). Every refusal is one located message and exit status 2; OUT is written atomically, so
a refused import leaves any earlier OUT as it was.
"""
from __future__ import annotations

from designer.core import io
from designer.core.analysis import analyze
from designer.core.units import human

from .blocks import shape
from .common import CliError, bounded


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="open an ONNX file or a PyTorch model (.py) as a design")
    p.add_argument("model", metavar="MODEL", help="an .onnx file, or a .py defining build_model()"
                   " (its code is run)")
    p.add_argument("out", metavar="OUT.json", help="the design file to write")
    p.add_argument("--input", type=shape, metavar="CxHxW",
                   help="input shape, each side 1 to 65,536, when the model leaves it open")
    p.add_argument("--name", help="the design's name (default: the model file's name)")
    p.add_argument("--time-limit", type=bounded(float, hi=86400, above=0), default=None,
                   metavar="SECONDS",
                   help="stop a .py model that takes longer to build and trace (default 120)")
    p.set_defaults(func=run)


def run(args) -> int:
    from designer.importers.graph import ImportRefused
    from designer.importers.load import import_model

    input_shape = args.input
    if args.time_limit is not None and not args.time_limit > 0:
        raise CliError("--time-limit: must be a positive number of seconds")
    try:
        design = import_model(args.model, input_shape, args.name, args.time_limit)
    except ImportRefused as err:
        raise CliError(str(err)) from None
    io.save(design, args.out)
    a = analyze(design)
    kinds: dict[str, int] = {}
    for node in design.nodes.values():
        kinds[node.kind] = kinds.get(node.kind, 0) + 1
    print(f"wrote {args.out}: {design.name}, {len(design.nodes)} blocks "
          f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))}); "
          f"params {human(a.params)}, MACs {human(a.macs)}, input "
          f"{'×'.join(map(str, a.input_shape))}, output {'×'.join(map(str, a.output_shape))}")
    if design.description:
        print(design.description)
    return 0
