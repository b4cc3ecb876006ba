"""The formula panel: the selected block's parameter and MAC formulas with its numbers filled in,
and its cost against a normal convolution (from designer.core.explain)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from designer.core.conventions import CONVENTIONS
from designer.core.explain import explain
from designer.core.verdict import block_verdict

from .. import style
from ..shell.document import DocumentModel

MUTED, GOOD, NOTE = style.MUTED.name(), style.GOOD.name(), style.NOTE.name()


class FormulaPanel(QTextBrowser):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        document.selection_changed.connect(self.refresh)
        document.analysis_changed.connect(self.refresh)
        style.theme().changed.connect(self.refresh)
        self.refresh()

    def _show(self, html: str) -> None:
        if html != getattr(self, "_html", None):
            self._html = html
            self.setHtml(html)

    def refresh(self, *_) -> None:
        sel = self.document.selected
        a = self.document.analysis
        scale = style.scale()
        if len(sel) != 1:
            self._show(f"<p style='font-size:{11 * scale:.0f}pt'>Select a block to see its formulas.</p>"
                         f"<p style='color:{MUTED}'>{CONVENTIONS}</p>")
            return
        cost = a.block(sel[0])
        e = explain(cost)
        verdict = block_verdict(cost)
        head = (f"<p style='font-size:{round(15 * scale)}pt;font-weight:bold;color:{GOOD};"
                f"margin:0;white-space:pre'>{escape(verdict)}</p><p style='color:{GOOD};margin-top:0'>"
                f"against a normal conv with the same input and output</p>" if verdict else "")
        rows = "".join(f"<tr><td><b>{escape(n)}</b></td><td>params {escape(p)}</td></tr>"
                       f"<tr><td></td><td>MACs {escape(m)}</td></tr>" for n, p, m in e.lines)
        self._show(f"<h3>{escape(e.title)}</h3>{head}<table cellspacing=4>{rows}</table>"
                     f"<p>{escape(e.totals)}</p><p style='color:{GOOD}'>{escape(e.comparison)}</p>"
                     + "".join(f"<p style='color:{NOTE}'>{escape(n)}</p>" for n in e.notes) +
                     f"<p style='color:{MUTED};font-size:{9 * scale:.0f}pt'>{CONVENTIONS}"
                     "</p>")
