"""``diagram``: the design drawn as the canvas lays it out, to SVG or PNG, with its geometry as
JSON (every box and every wire's polyline) for tools that check or restyle it. Groups saved as
collapsed are drawn collapsed, as the app shows them."""
from __future__ import annotations

from designer.export.diagram import DiagramError, write_diagram

from .common import CliError, add_design_args, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("diagram", help="draw the design's layered layout as SVG or PNG")
    add_design_args(p)
    p.add_argument("out", metavar="OUT.svg|OUT.png",
                   help="the file to write; its suffix picks SVG or PNG")
    p.add_argument("--json", metavar="OUT.json", help="also write the boxes and wire polylines")
    p.set_defaults(func=run)


def run(args) -> int:
    if not args.out.lower().endswith((".svg", ".png")):
        raise CliError(f"OUT must end in .svg or .png, got {args.out!r}")
    design = load_design(args.design, args)
    try:
        write_diagram(design, args.out, args.json)
    except DiagramError as err:
        raise CliError(str(err)) from None
    print(f"wrote {args.out}" + (f" and {args.json}" if args.json else ""))
    return 0
