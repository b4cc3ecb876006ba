"""File menu behaviour: new, open, presets, save, save as, recent files, unsaved-work prompts and
autosave. Errors become dialogs that say what and where; the open document is never lost. Each
running ConvSketch autosaves to its own recovery file, so another instance's recovery is never
overwritten, and one left by an instance no longer running is never deleted before the user was
asked about it (one that cannot be read is moved aside).
``$CONVSKETCH_AUTOSAVE_MS`` sets the autosave interval (tests shorten it). Autosave waits for a
pause: an edit (a slider tick) within a second of the timer pushes it back, so writing a large
design never lands in the middle of a drag; after four intervals of edits without a pause it
writes anyway."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer.core import io
from designer.core.design import Design
from designer.core.presets import load_preset, names
from designer.core.safe_text import safe_text

from . import session
from .background_open import LARGE_FILE_BYTES, open_in_background

AUTOSAVE_MS = 5000
QUIET_MS = 1000
"""Autosave waits until the design has been left alone this long (at most its interval)."""
log = logging.getLogger(__name__)


def autosave_interval() -> int:
    try:
        return max(50, int(os.environ.get("CONVSKETCH_AUTOSAVE_MS", AUTOSAVE_MS)))
    except ValueError:
        return AUTOSAVE_MS


def unexpected(err: BaseException) -> str:
    """An error no one foresaw, told in one line (the traceback goes to the log)."""
    log.error("unexpected error", exc_info=err)
    return f"unexpected error ({type(err).__name__}: {io.shown(str(err))})"


class FileActions:
    """Owns the File menu of a MainWindow and the autosave timer."""

    def __init__(self, window):
        self.window = window
        self.document = window.document
        menu = window.menu("File")
        self._add(menu, "&New", QKeySequence.New, self.new)
        self._add(menu, "&Open…", QKeySequence.Open, self.open_dialog)
        self.presets_menu = menu.addMenu("Open &preset")
        for name in names():
            self.presets_menu.addAction(name, lambda n=name: self.open_preset(n))
        self.recent_menu = menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        self._add(menu, "&Save", QKeySequence.Save, self.save)
        self._add(menu, "Save &as…", QKeySequence.SaveAs, self.save_as)
        menu.addSeparator()
        self._add(menu, "&Quit", QKeySequence.Quit, window.close)
        self.autosave = QTimer(window)
        self.autosave.setInterval(autosave_interval())
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.timeout.connect(self._after_autosave)
        self.autosave.start()
        self._written_at = time.monotonic()
        self.document.changed.connect(self._postpone_autosave)

    def _postpone_autosave(self, *_) -> None:
        """An edit: if the autosave is due within the quiet time, it waits that long again."""
        interval = autosave_interval()
        quiet = min(QUIET_MS, interval)
        overdue = (time.monotonic() - self._written_at) * 1000 > 4 * interval
        if self.autosave.isActive() and self.autosave.remainingTime() < quiet and not overdue:
            self.autosave.start(quiet)

    def _after_autosave(self) -> None:
        self._written_at = time.monotonic()
        self.autosave.setInterval(autosave_interval())

    def _add(self, menu, text, shortcut, slot) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in session.recent_files():
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def error(self, title: str, text: str) -> None:
        """A warning dialog; text from a file is made printable and its long values cut, as on
        the command line."""
        QMessageBox.warning(self.window, title, safe_text(text))

    def may_discard(self) -> bool:
        """True if there is no unsaved work, or the user saved it or chose to discard it."""
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"Save the changes to {io.shown(self.document.design.name)} first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new(self) -> None:
        if self.may_discard():
            self.document.load(Design(), None)

    def open_preset(self, name: str) -> None:
        if self.may_discard():
            self.document.load(load_preset(name), None)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open design", "",
                                              "ConvSketch designs (*.json)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open ``path``; a large file is read on another thread with a progress dialog (then
        this returns True at once and the document changes when it is read)."""
        if not self.may_discard():
            return False
        try:
            large = LARGE_FILE_BYTES <= os.stat(path).st_size <= io.MAX_FILE_BYTES
        except (OSError, ValueError):
            large = False
        if large:
            open_in_background(self.window, Path(path),
                               lambda design: self._take(path, design),
                               lambda err: self._refuse(path, err))
            return True
        try:
            design = io.load(path)
        except Exception as err:  # noqa: BLE001 - a bug must not take the open work with it
            return self._refuse(path, err)
        return self._take(path, design)

    def _take(self, path: str, design: Design) -> bool:
        try:
            self.document.load(design, Path(path))
        except Exception as err:  # noqa: BLE001 - a bug must not take the open work with it
            return self._refuse(path, err)
        self._remember(Path(path))
        self._warn_unknown_kinds(path)
        return True

    def _refuse(self, path: str, err: BaseException) -> bool:
        if isinstance(err, io.DesignFileError):
            self.error("Cannot open the design", str(err))
        else:
            self.error("Cannot open the design", f"{path}: {unexpected(err)}")
        return False

    def _warn_unknown_kinds(self, path: str) -> None:
        """A file from a newer ConvSketch may hold block kinds this one does not know: it opens
        (the rest is analysed, those blocks are flagged and can be replaced), and says so."""
        unknown = [str(p) for p in self.document.analysis.problems if p.field == "kind"]
        if unknown:
            more = f"\n… and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            self.error("Unknown block kinds",
                       f"{path}: opened, but these blocks are of kinds this ConvSketch does not "
                       f"know; they count nothing until replaced:\n" + "\n".join(unknown[:5])
                       + more)

    def _remember(self, path: Path) -> None:
        try:
            session.add_recent(path)
        except OSError as err:
            self.window.status_message(
                safe_text(f"Recent files not updated: {session_problem(err)}"))

    def _clear_recovery(self) -> None:
        """Remove this instance's own recovery file (never another instance's)."""
        try:
            session.clear_recovery()
        except OSError as err:
            self.window.status_message(
                safe_text(f"Recovery file not removed: {session_problem(err)}"))

    def on_close(self) -> None:
        self.autosave.stop()
        self._clear_recovery()

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save design",
                                              f"{self.document.design.name}.json",
                                              "ConvSketch designs (*.json)")
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        keep = "\n\nYour work is still open; save it somewhere else."
        try:
            self.document.save(path)
        except OSError as err:
            self.error("Cannot save", f"{path}: {err.strerror or err}{keep}")
            return False
        except Exception as err:  # noqa: BLE001
            self.error("Cannot save", f"{path}: {unexpected(err)}{keep}")
            return False
        self._remember(path)
        self._clear_recovery()
        return True

    def write_recovery(self) -> None:
        """Autosave the unsaved work into this instance's own recovery file."""
        if not self.document.modified:
            return
        try:
            session.write_recovery(self.document.design, self.document.path)
        except OSError as err:
            self.window.status_message(safe_text(f"Autosave failed: {session_problem(err)}"))
        except Exception as err:  # noqa: BLE001
            self.window.status_message(safe_text(f"Autosave failed: {unexpected(err)}"))

    def offer_recovery(self, ask=None) -> bool:
        """At start: offer back, newest first and one at a time, what instances no longer
        running left. A declined one is deleted and the next is offered; a restored one becomes
        this instance's own recovery, and those not yet asked about stay for a later start. One
        that cannot be read is moved aside and told in the status bar. ``ask(design, source)``
        answers instead of the dialog."""
        ask = ask or self._ask_recovery
        for recovery in session.orphaned_recoveries():
            try:
                design, source = recovery.load()
            except session.UnreadableRecovery as err:
                log.warning("%s", err)
                self.window.status_message(safe_text(str(err)), 30000)
                continue
            if ask(design, source):
                try:
                    recovery.adopt()
                except OSError as err:
                    self.window.status_message(safe_text(
                        f"The restored recovery file stays where it was: "
                        f"{session_problem(err)}"), 30000)
                self.document.load(design, source)
                self.document.undo_stack.resetClean()
                self._tell_waiting()
                return True
            try:
                recovery.discard()
            except OSError as err:
                self.window.status_message(
                    safe_text(f"Recovery file not removed: {session_problem(err)}"))
        return False

    def _tell_waiting(self) -> None:
        waiting = len(session.orphaned_recoveries())
        if waiting:
            self.window.status_message(
                f"{waiting} more unsaved design{'s' * (waiting > 1)} from ConvSketch sessions "
                "that ended will be offered at the next start", 30000)

    def _ask_recovery(self, design: Design, source: Path | None) -> bool:
        opened = f"\n\n(Restoring replaces {self.document.path.name}, which is unchanged on disk.)" \
            if self.document.path else ""
        return QMessageBox.question(
            self.window, "Recover unsaved work?",
            f"ConvSketch closed without saving {io.shown(design.name)}"
            f"{f' (from {io.shown(source.name)})' if source else ''}. Restore it?{opened}",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes) == QMessageBox.Yes


def session_problem(err: OSError) -> str:
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{err.strerror or err}"
