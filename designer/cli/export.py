"""``export``: the design as a checked PyTorch .py file and/or a checked ONNX file."""
from __future__ import annotations

import time

from designer import extras

from .common import CliError, add_design_args, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write PyTorch code (.py) and/or ONNX, each checked")
    add_design_args(p)
    p.add_argument("--py", metavar="OUT.py", help="write a standalone PyTorch file")
    p.add_argument("--onnx", metavar="OUT.onnx", help="write a self-contained ONNX file")
    p.set_defaults(func=run)


def run(args) -> int:
    if not args.py and not args.onnx:
        raise CliError("say what to write: --py OUT.py and/or --onnx OUT.onnx")
    extras.require("Export", extras.EXPORT if args.onnx else extras.PY_EXPORT)
    from designer.export.files import export_py
    from designer.export.onnx_export import export_onnx
    from designer.export.pytorch import ExportError

    design = load_design(args.design, args)
    try:
        if args.py:
            t = time.perf_counter()
            result = export_py(design, args.py)
            print(f"wrote {args.py} ({time.perf_counter() - t:.2f} s), checked against the "
                  f"analysis:\n{result.summary()}")
        if args.onnx:
            t = time.perf_counter()
            r = export_onnx(design, args.onnx)
            print(f"wrote {args.onnx} ({time.perf_counter() - t:.2f} s): {r.nodes} nodes, "
                  f"onnx.checker passed, onnxruntime matches torch (max |Δ| {r.max_abs_diff:.1e}), "
                  f"checked against the analysis:\n{r.check.summary()}")
    except ExportError as err:
        raise CliError(str(err), code=1) from None
    return 0
