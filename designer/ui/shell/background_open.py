"""Opening a large design file off the UI thread, with a progress dialog: reading, parsing and
the first analysis of a 20,000-block file take seconds, and the window must keep drawing.

The file is read and analysed on a Python thread (core only: no Qt object is touched there);
the result comes back by a queued signal, and only then does the open document take it over, so
a file that fails leaves the document as it was."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from designer.core import io
from designer.core.analysis import analyze

LARGE_FILE_BYTES = 1024 * 1024
"""Files from this size on are opened in the background (MobileNetV2's file is 30 kB; a file over
io.MAX_FILE_BYTES is refused at once, unread)."""


class _Signals(QObject):
    progress = Signal(float, str)
    loaded = Signal(object)
    failed = Signal(object)


class OpenJob:
    """Read and analyse one design file on a Python thread; emits ``loaded(design)`` or
    ``failed(exception)``. Not a QRunnable: one kept alive only by a reference cycle could be
    collected while the pool's thread still held it (a segfault seen once in a full run)."""

    def __init__(self, path: Path):
        self.path = path
        self.signals = _Signals()
        self.thread = threading.Thread(target=self.run, name=f"open {path.name}", daemon=True)

    def run(self) -> None:
        try:
            design = io.load(self.path, self.signals.progress.emit)
            self.signals.progress.emit(0.9, "counting")
            analyze(design)
        except Exception as err:  # noqa: BLE001 - told to the user by the window
            self.signals.failed.emit(err)
            return
        self.signals.loaded.emit(design)


def open_in_background(parent, path: Path, loaded: Callable, failed: Callable) -> OpenJob:
    """Start reading ``path`` on the thread pool with a progress dialog over ``parent``; calls
    ``loaded(design)`` or ``failed(error)`` on the UI thread when done."""
    job = OpenJob(path)
    dialog = QProgressDialog(f"Opening {path.name}…", "", 0, 100, parent)
    dialog.setWindowTitle("Opening")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setValue(0)

    def progress(fraction: float, what: str) -> None:
        dialog.setValue(int(fraction * 100))
        dialog.setLabelText(f"Opening {path.name}: {what}")

    def finish(callback: Callable, value) -> None:
        dialog.close()
        dialog.deleteLater()
        parent._open_jobs.discard(job)
        callback(value)
    job.signals.progress.connect(progress, Qt.QueuedConnection)
    job.signals.loaded.connect(lambda design: finish(loaded, design), Qt.QueuedConnection)
    job.signals.failed.connect(lambda err: finish(failed, err), Qt.QueuedConnection)
    if not hasattr(parent, "_open_jobs"):
        parent._open_jobs = set()
    parent._open_jobs.add(job)
    job.thread.start()
    return job
