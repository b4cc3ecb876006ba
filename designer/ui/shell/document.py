"""The open document as Qt sees it: the core Design, a QUndoStack of core commands, the current
analysis and latency estimate, the file path and the selection. Every view listens to these
signals, and only to these: one step (a command done or undone, another design loaded) is one
``changed`` with the ``DesignChange`` that says what changed, after at most one new analysis. How
the design is looked at (selection, expanded blocks) lives beside it in ``view`` (a ViewState).

The estimate is core's roofline model over this machine's device profile (read once from the
settings folder; None until ``python -m designer calibrate`` or Tools ▸ Calibrate has measured
one). It is recomputed with the analysis, α/ρ ticks included: well under a millisecond for
MobileNetV2, so no worker is needed."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from designer.core import io
from designer.core.analysis import Analysis, analyze
from designer.core.change import DesignChange
from designer.core.commands import Command
from designer.core.design import Design
from designer.core.latency import DeviceProfile, Estimate, estimate, saved_profile

from .view_state import ViewState


class CommandAdapter(QUndoCommand):
    """One core command on the QUndoStack; consecutive commands with one merge key (a slider
    drag) merge into one undo step."""

    _ids: ClassVar[dict[str, int]] = {}

    def __init__(self, document: DocumentModel, command: Command):
        super().__init__(command.text)
        self.document, self.command = document, command

    def redo(self) -> None:
        with self.document.design.batch():
            self.command.do(self.document.design)

    def undo(self) -> None:
        with self.document.design.batch():
            self.command.undo(self.document.design)

    def id(self) -> int:
        """One id per command class that can merge; mergeWith compares the full merge keys."""
        if self.command.merge_key() is None:
            return -1
        return self._ids.setdefault(type(self.command).__name__, len(self._ids) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        key = self.command.merge_key()
        if key is None or other.command.merge_key() != key:
            return False
        self.command.merge(other.command)
        return True


class DocumentModel(QObject):
    changed = Signal(object)
    """A DesignChange: once per step, after ``analysis_changed`` if the analysis was redone."""
    analysis_changed = Signal(object)
    file_changed = Signal()

    def __init__(self, design: Design | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.design = design or Design()
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        self.view = ViewState(self)
        self.analysis: Analysis = analyze(self.design)
        self.profile, self.profile_note = saved_profile()
        self.estimate: Estimate | None = self._estimate()
        self.design.subscribe(self._on_design_change)
        self.undo_stack.cleanChanged.connect(self.file_changed)

    def _on_design_change(self, change: DesignChange) -> None:
        if change.structural or change.extra:  # kept timings show beside the analysis
            self.analysis = analyze(self.design, self.analysis)
            self.estimate = self._estimate()
            if change.nodes_removed or change.edges_removed:
                self.view.forget(self.design)
            self.analysis_changed.emit(self.analysis)
        self.changed.emit(change)

    def _estimate(self) -> Estimate | None:
        return estimate(self.analysis, self.profile) if self.profile is not None else None

    def set_profile(self, profile: DeviceProfile | None, note: str = "") -> None:
        """Estimate with another device profile (a calibration just made); views hear it as an
        analysis change."""
        self.profile, self.profile_note = profile, note
        self.estimate = self._estimate()
        self.analysis_changed.emit(self.analysis)

    def push(self, command: Command) -> None:
        self.undo_stack.push(CommandAdapter(self, command))

    @property
    def selected(self) -> list[str]:
        return self.view.selected

    @property
    def selection_changed(self):
        """The view state's signal (the selection lives there), here for the views' ease."""
        return self.view.selection_changed

    def select(self, node_ids: list[str]) -> None:
        self.view.select([n for n in node_ids if n in self.design.nodes])

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def load(self, design: Design, path: Path | None) -> None:
        """Show another design (opened, new, a preset, recovered); undo history starts afresh.
        The new design is analysed before anything changes, and if taking it over still fails
        the open design is put back: a failed open never leaves the window on the bad file."""
        analyze(design)
        previous = Design()
        previous.replace_with(self.design)
        self.view.clear()
        try:
            self.design.replace_with(design)
        except Exception:
            self.design.replace_with(previous)
            raise
        self.undo_stack.clear()
        self.path = path
        self.undo_stack.setClean()
        self.file_changed.emit()

    def open(self, path: str | Path) -> None:
        """Raises io.DesignFileError and leaves the open document untouched if the file is bad."""
        design = io.load(path)
        self.load(design, Path(path))

    def save(self, path: str | Path | None = None) -> None:
        """Raises OSError and keeps everything (document, modified state) if the save fails."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name")
        io.save(self.design, target)
        self.path = target
        self.undo_stack.setClean()
        self.file_changed.emit()
