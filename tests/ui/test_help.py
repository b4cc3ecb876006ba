"""Help > Counting conventions: a non-modal, searchable page with the README's own text."""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from designer.core.commands import SetSetting
from designer.core.conventions import CONVENTIONS_MARKDOWN

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_help_text_is_the_readmes_conventions_section():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Counting conventions\n\n", 1)[1].split("\n## ", 1)[0]
    assert section.rstrip("\n") + "\n" == CONVENTIONS_MARKDOWN


def test_help_opens_beside_the_work_and_finds_words(v2, qtbot):
    action = next(a for a in v2.menu("Help").actions()
                  if a.text().replace("&", "") == "Counting conventions")
    action.trigger()
    page = v2.help_page
    qtbot.waitUntil(page.isVisible)
    assert not page.isModal() and page.windowModality() == Qt.NonModal
    assert "block-boundary peak" in page.text.toPlainText()
    QTest.keyClicks(page.search, "peak")
    assert page.found.text() == f"{page.text.toPlainText().lower().count('peak')} matches"
    first = page.text.textCursor().selectionStart()
    assert page.text.textCursor().selectedText().lower() == "peak"
    QTest.keyClick(page.search, Qt.Key_Return)
    assert page.text.textCursor().selectionStart() > first          # the next match
    v2.document.push(SetSetting("alpha", 0.5))            # the work goes on beside the page
    assert v2.document.design.alpha == 0.5 and page.isVisible()
