"""What the three workshop tabs (Compare, Sweep, Block kinds) share: the Presentation switch,
which also enlarges their tables, a button that saves every chart and table into a chosen
folder, a message line beside them (the tab's own notice apart from how the last save went),
and redrawing only while shown (a slider tick in the Design
tab must not pay for charts nobody sees)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QWidget,
)

from designer.core.safe_text import safe_text

from ..shell.file_actions import unexpected
from ..style import ERROR, NOTE, font


def style_table(table: QTableWidget, presentation: bool) -> None:
    """Projector-sized text in a table (and the spin boxes in its cells), rows as tall as it."""
    table.setFont(font(15, scaled=False) if presentation else QApplication.font())
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.resizeColumnsToContents()


ERROR_STYLE = f"color: {ERROR.name()}"


class MessageLine(QWidget):
    """The line beside a workshop tab's buttons. ``setText``/``text`` (as on a QLabel) hold the
    tab's own notice ("Invalid: …", "Not added: …"); ``save_status`` holds how the last save
    went, apart, so that a save neither hides nor clears the notice, and a later save that
    succeeds replaces an earlier failure."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.notice = QLabel()
        self.notice.setStyleSheet(ERROR_STYLE)
        self.save_status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.notice, self.save_status):
            label.setWordWrap(True)
            layout.addWidget(label, 1)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def setText(self, text: str, error: bool = True) -> None:
        """An error in red; ``error=False`` for a note the user need not act on (what these
        settings leave out), in the theme's note colour."""
        self.notice.setStyleSheet(ERROR_STYLE if error else f"color: {NOTE.name()}")
        self.notice.setText(text)

    def text(self) -> str:
        return self.notice.text()

    def tell_saved(self, text: str, ok: bool) -> None:
        self.save_status.setStyleSheet("" if ok else ERROR_STYLE)
        self.save_status.setText(text)


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
        self.error = MessageLine()
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
        for label in (self.error.notice, self.error.save_status):   # styled: set, not inherited
            label.setFont(font(15, scaled=False) if on else QApplication.font())
        self.changed()

    def refresh(self, *_) -> None:
        raise NotImplementedError

    def save_all(self, folder: Path) -> list[Path]:
        raise NotImplementedError

    def _save_dialog(self) -> None:
        """Any failure, foreseen (a folder that refuses, marks that are not valid) or not, is
        told in the message line, as is a success: a click must never end in a traceback or
        in silence."""
        folder = QFileDialog.getExistingDirectory(self, self.save_prompt)
        if not folder:
            return
        try:
            written = self.save_all(Path(folder))
        except (OSError, ValueError) as err:
            self.error.tell_saved(safe_text(f"Not saved: {err}"), ok=False)
        except Exception as err:  # noqa: BLE001 - a bug must not take the session with it
            self.error.tell_saved(safe_text(f"Not saved: {unexpected(err)}"), ok=False)
        else:
            count = len(written)
            self.error.tell_saved(
                safe_text(f"Saved {count} file{'s' * (count != 1)} to {folder}"), ok=True)


def install_tab(window, view: WorkshopTab, attribute: str, title: str, menu_entry: str) -> None:
    """Add a workshop tab as ``window.<attribute>`` with its Tools menu entry, and tie its
    Presentation switch to those of the workshop tabs already installed: toggling it in any one
    toggles it in all (a talk shows them side by side)."""
    tabs = window.tabs
    others = [tabs.widget(i) for i in range(tabs.count())
              if isinstance(tabs.widget(i), WorkshopTab)]
    setattr(window, attribute, view)
    window.add_tab(view, title)
    window.menu("Tools").addAction(menu_entry, lambda: tabs.setCurrentWidget(view))
    for other in others:
        view.presentation.toggled.connect(other.presentation.setChecked)
        other.presentation.toggled.connect(view.presentation.setChecked)
