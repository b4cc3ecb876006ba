"""File > Export diagram…: the design as the canvas lays it out, to SVG or PNG (with groups
collapsed as they are shown), for papers and slides."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer.core.safe_text import safe_text


def export_diagram(window, path: str | Path) -> bool:
    """Write the diagram; a failure is a message, never a traceback. True if written."""
    from designer.export.diagram import DiagramError, write_diagram

    try:
        write_diagram(window.document.design, path)
    except (DiagramError, OSError) as err:
        message = str(err) if isinstance(err, DiagramError) else (err.strerror or str(err))
        QMessageBox.warning(window, "Export diagram", safe_text(f"Not written: {message}"))
        return False
    window.status_message(f"Wrote the diagram to {Path(path).name}")
    return True


def ask_and_export(window) -> None:
    stem = window.document.path.stem if window.document.path else "diagram"
    path, _ = QFileDialog.getSaveFileName(window, "Export diagram", f"{stem}.svg",
                                          "SVG (*.svg);;PNG (*.png)")
    if path:
        export_diagram(window, path)


def install(window) -> None:
    """After the other exports (before the separator above Quit), else at the menu's end."""
    file_menu = window.menu("File")
    action = file_menu.addAction("Export &diagram…")
    entries = file_menu.actions()
    quit_at = next((i for i, a in enumerate(entries) if a.text().replace("&", "") == "Quit"),
                   None)
    if quit_at is not None:
        before = entries[quit_at - 1] if quit_at and entries[quit_at - 1].isSeparator() \
            else entries[quit_at]
        file_menu.removeAction(action)
        file_menu.insertAction(before, action)
    action.triggered.connect(lambda: ask_and_export(window))
    window.diagram_action = action
