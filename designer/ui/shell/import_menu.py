"""File > Import model…: an ONNX file or a PyTorch model file opened as a new, unsaved design.

The import runs on a worker thread (a .py model's code runs in a child process there, with a
time limit) behind a progress dialog whose Cancel stops it, so the window stays responsive. Importing a .py runs its
code: the user is told so and asked first. The open document is replaced only when the import
succeeded and the user let go of any unsaved work; a refused import leaves it untouched and
says why, located, as the command line does.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from designer.core import io

FILTER = "Models (*.onnx *.py);;ONNX models (*.onnx);;PyTorch model files (*.py)"


class _Signals(QObject):
    finished = Signal(bool, str)


class ImportJob(QRunnable):
    """One import, on a worker thread; reports the design's JSON or the reason it was refused."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.signals = _Signals()
        self.cancel = threading.Event()

    def run(self) -> None:
        from designer.importers.graph import ImportRefused
        from designer.importers.load import import_model

        try:
            self.signals.finished.emit(True, io.dumps(import_model(self.path,
                                                                   cancel=self.cancel)))
        except ImportRefused as err:
            self.signals.finished.emit(False, str(err))
        except Exception as err:  # noqa: BLE001 - the app and the open work outlive any bug
            self.signals.finished.emit(False, f"{self.path}: unexpected error "
                                              f"({type(err).__name__}: {io.shown(str(err))})")


class ImportActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.last_ok: bool | None = None
        self.last_message = ""
        self.progress: QProgressDialog | None = None
        self._job: ImportJob | None = None
        menu = window.menu("File")
        self.action = QAction("&Import model…", menu)
        anchor = next((a for a in menu.actions() if a.isSeparator()), None)
        if anchor is None:
            menu.addAction(self.action)
        else:
            menu.insertAction(anchor, self.action)
        self.action.triggered.connect(self.import_dialog)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import model", "", FILTER)
        if path:
            self.start(Path(path))

    def start(self, path: Path) -> bool:
        """Import ``path`` on a worker thread (a .py only once the user agreed to run it)."""
        if self.busy:
            return False
        if path.suffix.lower() == ".py" and not self._may_run(path):
            return False
        self._job = ImportJob(path)
        self._job.signals.finished.connect(self._finished, Qt.QueuedConnection)
        self.action.setEnabled(False)
        self.progress = QProgressDialog(f"Importing {path.name}…", "Cancel", 0, 0, self.window)
        self.progress.setWindowTitle("Import")
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.cancel)
        self.window.status_message(f"Importing {path.name}…", 0)
        QThreadPool.globalInstance().start(self._job)
        return True

    def cancel(self) -> None:
        """Stop the import under way: a model file's process is killed at once (an ONNX file
        is read in moments and finishes); the open document stays as it was."""
        if self._job is not None:
            self._job.cancel.set()
            self.window.status_message(f"Cancelling the import of {self._job.path.name}…", 0)

    def _may_run(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window, "Run the model's code?",
            f"Importing {path.name} runs its Python code: the file is executed and its "
            "build_model() called (in a separate process, stopped after two minutes). Import "
            "it only if you trust the file.\n\nRun it and import the model?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    @Slot(bool, str)
    def _finished(self, ok: bool, text: str) -> None:
        job, self._job = self._job, None
        self.progress.close()
        self.progress = None
        self.action.setEnabled(True)
        if not ok and job.cancel.is_set():
            self.last_ok, self.last_message = False, text
            self.window.status_message(f"Import of {job.path.name} cancelled")
            return
        if not ok:
            self._report(False, text)
            return
        design = io.loads(text)
        if not self.window.files.may_discard():
            self._report(False, f"{job.path.name}: imported, but not opened (the open design "
                                "was kept)")
            return
        self.window.document.load(design, None)
        self._report(True, f"Imported {job.path.name}: {len(design.nodes)} blocks. "
                           f"{design.description}")

    def _report(self, ok: bool, text: str) -> None:
        self.last_ok, self.last_message = ok, text
        self.window.status_message(text.splitlines()[0] if ok else "Import refused")
        if not ok:
            self.window.files.error("Cannot import the model", text)


def install(window) -> None:
    window.import_actions = ImportActions(window)
