"""``screenshot``: render the main window offscreen with a design and save it as a PNG."""
from __future__ import annotations

import argparse

from designer.core.timings import kept_timings

from .common import CliError, add_design_args, bounded, load_design

MAX_SIZE = (7680, 4320)
"""8K: Qt cannot paint a window much larger offscreen (99999×99999 printed thousands of
'QPainter not active' lines and wrote nothing)."""


def window_size(text: str) -> tuple[int, int]:
    """An argparse type: WIDTHxHEIGHT, from 320×240 to 8K."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"must look like 1600x1000, got {text[:30]!r}")
    return (bounded(int, 320, MAX_SIZE[0])(parts[0]), bounded(int, 240, MAX_SIZE[1])(parts[1]))


def add_parser(sub) -> None:
    p = sub.add_parser("screenshot", help="save a PNG of the main window with a design")
    add_design_args(p)
    p.add_argument("out", metavar="OUT.png", help="the PNG file to write")
    p.add_argument("--size", type=window_size, default="1600x1000",
                   help=f"window size, WIDTHxHEIGHT, from 320x240 to {MAX_SIZE[0]}x{MAX_SIZE[1]}")
    p.add_argument("--select", metavar="BLOCK", help="select this block (by name) first")
    p.add_argument("--tab", choices=list(TABS), default="design",
                   help="the tab to show (compare: the design beside three presets; timing: "
                        "its kept timing, else a short real run)")
    p.add_argument("--presentation", action="store_true",
                   help="in presentation mode (docks hidden, everything scaled for a projector)")
    p.set_defaults(func=run)


def settle(app, rounds: int = 5) -> None:
    """Let deferred work land before the grab: layouts re-laid out after a selection post
    further events (the inspector's fit, wrapped notes), which one round of events misses;
    and widgets given up with deleteLater, which processEvents alone never deletes (the running
    app's event loop does), so the picture shows what a user sees."""
    import time

    from PySide6.QtCore import QEvent

    for _ in range(rounds):
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.01)


TABS = {"design": None, "compare": "compare_view", "sweep": "sweep_view",
        "blocks": "block_view", "timing": "bench_panel"}
COMPARED = ("mobilenet_v2", "squeezenet1_1", "vgg16")


def show_tab(window, tab: str, app) -> None:
    """Bring ``tab`` to the front; Compare gets the open design beside three presets, Timing a
    short real run when the design keeps no timing (and says so if torch is not installed)."""
    attribute = TABS[tab]
    if attribute is None:
        window.tabs.setCurrentIndex(0)
        return
    view = getattr(window, attribute)
    window.tabs.setCurrentWidget(view)
    if tab == "compare":
        for name in COMPARED:
            view.add_preset(name)
    if tab != "timing":
        return
    import time

    deadline = time.monotonic() + 300
    while view.probing and time.monotonic() < deadline:   # its answer replaces "Checking…"
        app.processEvents()
        time.sleep(0.05)
    if not kept_timings(window.document.design):
        view.seconds.setValue(1.0)
        view.threads.setValue(1)
        view.start()
        while view.running and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.05)
        app.processEvents()


def run(args) -> int:
    design = load_design(args.design, args)
    from designer.ui.shell.app import application
    from designer.ui.shell.document import DocumentModel
    from designer.ui.shell.main_window import MainWindow

    app = application()
    window = MainWindow(DocumentModel(design))
    window.quiet = True
    size = args.size
    window.resize(*size)
    window.show()
    app.processEvents()
    window.view.fit()
    if args.select:
        node = design.node_by_name(args.select)
        if node is None:
            raise CliError(f"no block named {args.select!r} in {design.name}")
        window.document.select([node.id])
    if args.presentation:
        window.presentation.enter(size)
    show_tab(window, args.tab, app)
    settle(app)
    window.view.minimap.render_scene()   # it redraws once edits pause; a picture can't wait
    from designer.core.atomic import atomic_path

    with atomic_path(args.out) as tmp:
        if not window.grab().save(str(tmp)):
            raise CliError(f"could not write {args.out}")
    print(f"wrote {args.out}")
    return 0
