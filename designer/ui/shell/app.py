"""Starting the app: ``convsketch [FILE.json]`` or ``python -m designer [FILE.json]`` opens the
window on a file, or on the MobileNetV2 preset. torch is not imported until an export or timing."""
from __future__ import annotations

import gc
import os
import sys

from PySide6.QtWidgets import QApplication

from designer.core import io
from designer.core.presets import load_preset
from designer.core.safe_text import safe_text

from .document import DocumentModel
from .main_window import MainWindow

DEFAULT_PRESET = "mobilenet_v2"


def application() -> QApplication:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvSketch")
    app.setOrganizationName("ConvSketch")
    return app


def make_window(spec: str | None = None) -> MainWindow:
    """A window on ``spec`` (a file or preset name), else on the default preset. Raises
    io.DesignFileError for a bad file."""
    from pathlib import Path

    from designer.core.presets import open_design

    design = open_design(spec) if spec else load_preset(DEFAULT_PRESET)
    document = DocumentModel(design)
    if spec and (spec.endswith(".json") or Path(spec).exists()):
        document.path = Path(spec)
    window = MainWindow(document)
    window.update_title()
    _freeze_start_up()
    return window


_frozen = False


def _freeze_start_up() -> None:
    """Once a process: what the first window brought in (modules, Qt's wrappers, some 80,000
    objects that live as long as the app) leaves the garbage collector's walks. A full
    collection then no longer takes 40-60 ms in the middle of a slider drag."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def start(spec: str | None = None) -> MainWindow:
    """The window a start shows: on ``spec`` or the default preset, then, whatever was opened,
    the offer to restore what a crashed session left (raises io.DesignFileError for a bad file)."""
    window = make_window(spec)
    screen = window.screen().availableGeometry()
    if window.width() > screen.width() or window.height() > screen.height():
        window.resize(window.size().boundedTo(screen.size()))  # a laptop's 1366×768
        window.showMaximized()
    else:
        window.show()
    window.view.fit()
    window.files.offer_recovery()
    return window


def run(argv: list[str]) -> int:
    app = application()
    try:
        window = start(argv[0] if argv else None)  # noqa: F841 - kept alive while the app runs
    except io.DesignFileError as err:
        print(f"error: {safe_text(str(err))}", file=sys.stderr)
        return 2
    return app.exec()
