"""``netron``: serve an ONNX file (or a design, exported first) with Netron on 127.0.0.1."""
from __future__ import annotations

import signal
import tempfile
import time
import webbrowser
from pathlib import Path

from designer import extras

from .common import CliError, add_design_args, bounded, load_design


def add_parser(sub) -> None:
    p = sub.add_parser("netron", help="show an ONNX file (or a design) in Netron")
    add_design_args(p, design_help="an .onnx file, or a preset name or design .json file "
                                   "(exported to ONNX first, with the scaling flags)")
    p.add_argument("--port", type=bounded(int, 1, 65535),
                   help="preferred port, 1 to 65535 (another is used if it is busy; default: "
                        "8090)")
    p.add_argument("--no-browser", action="store_true", help="print the URL only")
    p.add_argument("--seconds", type=bounded(float, hi=1e7, above=0),
                   help="stop serving after this long (default: until Ctrl-C)")
    p.set_defaults(func=run)


def run(args) -> int:
    path = Path(args.design)
    extras.require("netron", extras.NETRON if path.suffix == ".onnx"
                   else extras.EXPORT + extras.NETRON)
    from designer.export.netron_server import consent_page, serve, stop

    shown = str(path)
    if path.suffix == ".onnx":
        if not path.is_file():
            raise CliError(f"{path}: no such file")
        url = serve(path, args.port)
    else:
        from designer.export.onnx_export import export_onnx
        from designer.export.pytorch import ExportError

        with tempfile.TemporaryDirectory(prefix="convsketch-") as folder:
            path = Path(folder) / "design.onnx"
            try:
                export_onnx(load_design(args.design, args), path)
            except ExportError as err:
                raise CliError(str(err), code=1) from None
            url = serve(path, args.port)
        shown = f"{args.design} (exported to ONNX)"
    _stop_on_signals()
    page = consent_page(url)
    print(f"Netron is serving {shown} at {url}  (Ctrl-C to stop)", flush=True)
    print(f"In a browser, open {page}: it sets Netron's consent cookie (accepting Netron's "
          "analytics consent, used only when online) and forwards to the graph, so Netron's "
          "cookie dialog does not block it.", flush=True)
    if not args.no_browser:
        webbrowser.open(page)
    try:
        deadline = time.monotonic() + args.seconds if args.seconds else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop(url)
    return 0


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the command as Ctrl-C does, through ``stop``, so the server's
    private folder is removed rather than left behind."""
    def leave(signum, _frame) -> None:
        raise SystemExit(128 + signum)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), leave)
