"""Help > Counting conventions as a page beside the work, not a modal wall of text: the README's
"Counting conventions" section word for word (``CONVENTIONS_MARKDOWN``), with a search box that
finds and highlights each match in turn."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from designer.core.conventions import CONVENTIONS_MARKDOWN


class HelpPage(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent, Qt.Window)
        self.setWindowTitle("Counting conventions — ConvSketch")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search (Enter: next match)")
        self.search.setClearButtonEnabled(True)
        self.found = QLabel()
        self.text = QTextBrowser()
        self.text.setMarkdown(CONVENTIONS_MARKDOWN)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.found)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self.search.textChanged.connect(lambda _: self.find(restart=True))
        self.search.returnPressed.connect(self.find)
        self.resize(720, 560)

    def matches(self) -> int:
        words = self.search.text().strip()
        return self.text.toPlainText().lower().count(words.lower()) if words else 0

    def find(self, restart: bool = False) -> bool:
        """Select the next match of the search words (wrapping round); say how many there are."""
        words = self.search.text().strip()
        count = self.matches()
        self.found.setText(f"{count} match{'es' * (count != 1)}" if words else "")
        if not words:
            return False
        if restart:
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
        if self.text.find(words):
            return True
        self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
        return self.text.find(words, QTextDocument.FindFlag(0))
