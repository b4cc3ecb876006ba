"""File > Export as PyTorch .py / ONNX and Tools > Open in Netron.

Exports run on a worker thread (torch and onnx are imported there, when the user first exports)
with a progress indicator; the window stays responsive. Every export is checked against the
analysis (designer.export), and the check's result is what the user sees when it finishes.
The Netron tab shows the design as last exported and says when the design has changed since.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from designer import extras
from designer.core import io

KINDS = {"py": "PyTorch .py", "onnx": "ONNX"}


class _Signals(QObject):
    finished = Signal(bool, str)


class ExportJob(QRunnable):
    """One export of a snapshot of the design (its JSON), run on a worker thread."""

    def __init__(self, design_json: str, kind: str, path: Path):
        super().__init__()
        self.design_json, self.kind, self.path = design_json, kind, path
        self.signals = _Signals()

    def run(self) -> None:
        from designer.export.pytorch import ExportError

        try:
            start = time.perf_counter()
            text = export_and_describe(io.loads(self.design_json), self.kind, self.path)
            self.signals.finished.emit(True, f"Wrote {self.path.name} in "
                                             f"{time.perf_counter() - start:.1f} s.\n\n{text}")
        except ExportError as err:
            self.signals.finished.emit(False, str(err))
        except Exception as err:  # noqa: BLE001 - whatever torch raises, the app keeps running
            self.signals.finished.emit(False, f"{type(err).__name__}: {err}")


def export_and_describe(design, kind: str, path: Path) -> str:
    """Export ``design`` to ``path``; the check's result as text for the user."""
    if kind == "py":
        from designer.export.files import export_py

        return "Checked against the analysis:\n" + export_py(design, path).summary()
    from designer.export.onnx_export import export_onnx

    r = export_onnx(design, path)
    return (f"Checked against the analysis:\n{r.check.summary()}\n\n{r.nodes} ONNX nodes; "
            f"onnx.checker passed; onnxruntime matches torch (max |Δ| {r.max_abs_diff:.1e}).")


class ExportActions(QObject):
    """The export menu entries of one window, and its Netron tab."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.last_ok: bool | None = None
        self.last_message = ""
        self.progress: QProgressDialog | None = None
        self.netron = None
        self.netron_url: str | None = None
        self._job: ExportJob | None = None
        self._then = None
        self._netron_exports = 0
        self._tmp: Path | None = None
        file_menu = window.menu("File")
        quit_action = next((a for a in file_menu.actions() if a.text().replace("&", "") == "Quit"),
                           None)
        self.actions = {kind: QAction(f"Export as {title}…", file_menu)
                        for kind, title in KINDS.items()}
        if quit_action is None:
            file_menu.addSeparator()
            file_menu.addActions(list(self.actions.values()))
        else:
            file_menu.insertActions(quit_action, list(self.actions.values()))
            file_menu.insertSeparator(quit_action)
        for kind, action in self.actions.items():
            action.triggered.connect(lambda _checked=False, k=kind: self.export_dialog(k))
        self.actions["netron"] = window.menu("Tools").addAction("Open in Netron")
        self.actions["netron"].triggered.connect(self.open_in_netron)
        window.document.changed.connect(self._design_changed)
        QApplication.instance().aboutToQuit.connect(self.stop_netron)
        window.closing.connect(self.stop_netron)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def export_dialog(self, kind: str) -> None:
        if self.lacks_extra(kind):
            return
        stem = self.window.document.path.stem if self.window.document.path else "model"
        path, _ = QFileDialog.getSaveFileName(self.window, f"Export as {KINDS[kind]}",
                                              f"{stem}.{kind}", f"{KINDS[kind]} (*.{kind})")
        if path:
            self.start(kind, Path(path))

    def start(self, kind: str, path: Path, then=None) -> bool:
        """Export on a worker thread; ``then(path)`` runs on success. False if not started."""
        problems = self.window.document.analysis.problems
        if self.busy or self.lacks_extra(kind, netron=then is not None):
            return False
        if problems:
            self._report(False, "The design has problems; fix them before exporting:\n"
                         + "\n".join(f"  {p}" for p in problems))
            return False
        self._job = ExportJob(io.dumps(self.window.document.design), kind, path)
        self._then = then
        self._job.signals.finished.connect(self._finished, Qt.QueuedConnection)
        for action in self.actions.values():
            action.setEnabled(False)
        self.progress = QProgressDialog(f"Exporting {path.name} and checking it…", None, 0, 0,
                                        self.window)
        self.progress.setWindowTitle("Export")
        self.progress.setMinimumDuration(300)
        self.window.status_message(f"Exporting {path.name}…", 0)
        QThreadPool.globalInstance().start(self._job)
        return True

    @Slot(bool, str)
    def _finished(self, ok: bool, text: str) -> None:
        job, then = self._job, self._then
        self._job = self._then = None
        self.progress.close()
        self.progress = None
        for action in self.actions.values():
            action.setEnabled(True)
        self._report(ok, text)
        if ok and job.kind == "onnx":
            if then is not None:
                then(job.path)
            elif self.netron is not None:
                self.show_in_netron(job.path)

    def lacks_extra(self, kind: str, netron: bool = False) -> bool:
        """On a light install, say in one line what to install (status bar and a message box)
        and return True; the menu entries stay where they are."""
        needs = extras.EXPORT if kind == "onnx" else extras.PY_EXPORT
        feature = "Open in Netron" if netron else f"Export as {KINDS[kind]}"
        absent = extras.missing(needs + (extras.NETRON if netron else ()))
        if not absent:
            return False
        line = extras.message(feature, absent)
        self.last_ok, self.last_message = False, line
        self.window.status_message(line, 15000)
        QMessageBox.information(self.window, "Needs the torch extra", line)
        return True

    def _report(self, ok: bool, text: str) -> None:
        self.last_ok, self.last_message = ok, text
        self.window.status_message(text.splitlines()[0] if ok else "Export failed")
        show = QMessageBox.information if ok else QMessageBox.warning
        show(self.window, "Export" if ok else "Export failed", text)

    def open_in_netron(self) -> bool:
        """Export the design to a temporary ONNX file, then show it in the Netron tab."""
        made = self._tmp is None
        if made:
            self._tmp = Path(tempfile.mkdtemp(prefix="convsketch-netron-"))
        self._netron_exports += 1
        path = self._tmp / f"design-{self._netron_exports}.onnx"
        started = self.start("onnx", path, then=self.show_in_netron)
        if made and not started:                  # refused (problems, no torch): no folder left
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        return started

    def show_in_netron(self, path: Path) -> None:
        from .netron_view import NetronView, open_in_browser, web_engine_available

        if not web_engine_available():
            self.netron_url = open_in_browser(self.netron_url, path)
            return
        if self.netron is None:
            self.netron = NetronView()
            self.netron.export_requested.connect(self.open_in_netron)
            self.window.add_tab(self.netron, "Netron")
        self.netron.show_file(path)
        self.netron_url = self.netron.url
        self.window.tabs.setCurrentWidget(self.netron)

    def _design_changed(self, *_) -> None:
        if self.netron is not None:
            self.netron.mark_outdated()

    @Slot()
    def stop_netron(self) -> None:
        from designer.export.netron_server import stop

        if self.netron is not None:
            self.netron.stop()
        elif self.netron_url:
            stop(self.netron_url)
        self.netron_url = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)   # the Netron exports (17 MB each)
            self._tmp = None


def install(window) -> None:
    window.export_actions = ExportActions(window)
