"""What the three workshop tabs (Compare, Sweep, Block kinds) share: the Presentation switch,
which also enlarges their tables, a button that saves every chart and table into a chosen
folder, an error line beside them, and redrawing only while shown (a slider tick in the Design
tab must not pay for charts nobody sees)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QWidget,
)

from designer.core.safe_text import safe_text

from .file_actions import unexpected
from .slide_export import font


def style_table(table: QTableWidget, presentation: bool) -> None:
    """Projector-sized text in a table (and the spin boxes in its cells), rows as tall as it."""
    table.setFont(font(15) if presentation else QApplication.font())
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.resizeColumnsToContents()


class WorkshopTab(QWidget):
    """Subclasses draw in ``refresh`` (which clears ``_dirty``) and write files in
    ``save_all(folder)``; ``tables`` lists the tables the presentation switch enlarges."""

    save_prompt = "Save charts and tables into"

    def __init__(self, save_text: str = "Save charts and tables…", parent=None):
        super().__init__(parent)
        self.tables: list[QTableWidget] = []
        self.presentation = QCheckBox("Presentation")
        self.presentation.toggled.connect(self._on_presentation)
        self.save_button = QPushButton(save_text)
        self.save_button.clicked.connect(self._save_dialog)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c2495e")
        self.error.setWordWrap(True)
        self._dirty = True

    def changed(self, *_) -> None:
        """Redraw now if shown, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _on_presentation(self, on: bool) -> None:
        for table in self.tables:
            style_table(table, on)
        self.changed()

    def refresh(self, *_) -> None:
        raise NotImplementedError

    def save_all(self, folder: Path) -> list[Path]:
        raise NotImplementedError

    def _save_dialog(self) -> None:
        """Any failure, foreseen (a folder that refuses, marks that are not valid) or not, is
        told in the error line: a click must never end in a traceback."""
        folder = QFileDialog.getExistingDirectory(self, self.save_prompt)
        if not folder:
            return
        try:
            self.save_all(Path(folder))
        except (OSError, ValueError) as err:
            self.error.setText(safe_text(f"Not saved: {err}"))
        except Exception as err:  # noqa: BLE001 - a bug must not take the session with it
            self.error.setText(safe_text(f"Not saved: {unexpected(err)}"))
