"""The Problems panel: every problem of the design, root causes first (red, with the whole
message and the shapes of the inputs) and then the blocks only waiting on them (grey, hatched,
"waiting on conv3"). Clicking a row selects its block and asks the canvas to show it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from designer.core.problems import ProblemItem, problem_items
from designer.core.safe_text import safe_text

from .. import style

HATCH = QBrush(style.HATCH, Qt.BDiagPattern)


class ProblemsPanel(QWidget):
    go_to = Signal(str)
    """A row was clicked: the block id to show."""
    appeared = Signal()
    """The design had no problem and now has one (the window brings the panel forward)."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.items: list[ProblemItem] | None = None
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        document.analysis_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_) -> None:
        a = self.document.analysis       # none reported, none waiting (as the canvas reads it)
        items = problem_items(self.document.design, a) if a.problems else []
        if items == self.items and self.list.count() == len(items):
            return
        if items and self.items == []:
            self.appeared.emit()
        self.items = items
        self.list.clear()
        roots = sum(i.root for i in items)
        waiting = len(items) - roots
        if not items:
            self.summary.setText("No problems: every block is counted.")
        else:
            self.summary.setText(
                f"{roots} root cause{'s' * (roots != 1)} (red)"
                + (f" · {waiting} block{'s' * (waiting != 1)} only waiting on "
                   f"{'it' if roots == 1 else 'them'} (grey)" if waiting else ""))
        for item in items:
            text = safe_text(item.text)
            row = QListWidgetItem(("⚠ " if item.root else "⋯ ") + text)
            row.setToolTip(text)
            row.setData(Qt.UserRole, item.node_id)
            if item.root:
                row.setForeground(style.ERROR)
            else:
                row.setForeground(style.WAITING_TEXT)
                row.setBackground(HATCH)
            self.list.addItem(row)

    def _clicked(self, row: QListWidgetItem) -> None:
        node_id = row.data(Qt.UserRole)
        if node_id and node_id in self.document.design.nodes:
            self.document.select([node_id])
            self.go_to.emit(node_id)
