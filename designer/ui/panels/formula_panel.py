"""The formula panel: the selected block's parameter and MAC formulas with its numbers filled in,
and its cost against a normal convolution (from designer.core.explain)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from designer.core.conventions import CONVENTIONS
from designer.core.explain import explain

from ..shell.document import DocumentModel


class FormulaPanel(QTextBrowser):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        document.selection_changed.connect(self.refresh)
        document.analysis_changed.connect(self.refresh)
        self.refresh()

    def _show(self, html: str) -> None:
        if html != getattr(self, "_html", None):
            self._html = html
            self.setHtml(html)

    def refresh(self, *_) -> None:
        sel = self.document.selected
        a = self.document.analysis
        if len(sel) != 1:
            self._show(f"<p style='font-size:11pt'>Select a block to see its formulas.</p>"
                         f"<p style='color:#5b6670'>{CONVENTIONS}</p>")
            return
        e = explain(a.block(sel[0]))
        rows = "".join(f"<tr><td><b>{escape(n)}</b></td><td>params {escape(p)}</td></tr>"
                       f"<tr><td></td><td>MACs {escape(m)}</td></tr>" for n, p, m in e.lines)
        self._show(f"<h3>{escape(e.title)}</h3><table cellspacing=4>{rows}</table>"
                     f"<p>{escape(e.totals)}</p><p style='color:#2e6d3e'>{escape(e.comparison)}</p>"
                     + "".join(f"<p style='color:#7a4a12'>{escape(n)}</p>" for n in e.notes) +
                     f"<p style='color:#5b6670;font-size:9pt'>{CONVENTIONS}</p>")
