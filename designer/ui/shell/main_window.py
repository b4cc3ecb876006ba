"""The main window: palette | canvas and charts | inspector and formulas, the scaling bar on top,
totals in the status bar. It wires views to the document and adds the Edit and View menus; each
view does its own job and extensions (export, compare, timing) add tabs and menu entries."""
from __future__ import annotations

import importlib
import json

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QTabWidget,
)

from designer.core.commands import Macro, MoveNodes, RemoveEdge, RemoveNodes
from designer.core.design import Design
from designer.core.editing import add_block, chain_end, copy_blocks, insert_after, paste_blocks
from designer.core.io import shown
from designer.core.layout import auto_layout
from designer.core.safe_text import safe_text
from designer.core.units import human

from .. import style
from ..canvas.canvas import CanvasScene
from ..canvas.palette import Palette
from ..canvas.view import CanvasView
from ..charts.charts import CostCharts
from ..panels.formula_panel import FormulaPanel
from ..panels.inspector import Inspector
from ..panels.problems_panel import ProblemsPanel
from ..panels.scaling_bar import ScalingBar
from .document import DocumentModel
from .extensions import EXTENSIONS
from .file_actions import FileActions
from .presentation import Presentation

CLIPBOARD_MARK = "convsketch-blocks"
ABOUT = ("ConvSketch: design efficient CNNs by hand and see what every choice costs — parameters, "
         "MACs and activation memory, exact and equal to what PyTorch builds.")


class MainWindow(QMainWindow):
    closing = Signal()
    """Emitted when the window has agreed to close: views stop their background work."""

    def __init__(self, document: DocumentModel | None = None):
        super().__init__()
        self.document = document or DocumentModel(Design())
        self._menus: dict[str, QMenu] = {}
        for title in ("File", "Edit", "View", "Tools", "Help"):
            self.menu(title)
        self.scene = CanvasScene(self.document)
        self.view = CanvasView(self.scene)
        self.charts = CostCharts(self.document)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.charts)
        split.setSizes([560, 640])
        self.design_split = split
        self.tabs.addTab(split, "Design")
        self.setCentralWidget(self.tabs)
        self.scaling = ScalingBar(self.document)
        toolbar = self.addToolBar("Scaling")
        toolbar.setMovable(False)
        toolbar.addWidget(self.scaling)
        self.palette = Palette()
        self.palette.append_requested.connect(self.append_block)
        self.inspector = Inspector(self.document)
        self.formulas = FormulaPanel(self.document)
        self._dock("Blocks", self.palette, Qt.LeftDockWidgetArea)
        self.inspector_dock = self._dock("Inspector", self.inspector, Qt.RightDockWidgetArea)
        self.formulas_dock = self._dock("Formulas", self.formulas, Qt.RightDockWidgetArea)
        self.problems = ProblemsPanel(self.document)
        self.problems.go_to.connect(lambda node_id: self.view.reveal([node_id]))
        self.problems_dock = self._dock("Problems", self.problems, Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.formulas_dock, self.problems_dock)
        (self.problems_dock if self.problems.items else self.formulas_dock).raise_()
        self.problems.appeared.connect(self.problems_dock.raise_)
        self.totals = QLabel()
        style.use_font(self.totals, 11, bold=True)
        self.totals.setMinimumWidth(900)
        self.totals.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.statusBar().addPermanentWidget(self.totals, 1)
        self.files = FileActions(self)
        self._edit_menu()
        self._view_menu()
        self.presentation = Presentation(self)
        self._help_menu()
        self.document.analysis_changed.connect(self.update_totals)
        self.inspector.installEventFilter(self)
        self.document.file_changed.connect(self.update_title)
        self.update_totals()
        self.update_title()
        style.theme().changed.connect(self._on_theme_changed)
        self.resize(1500, 940)
        for name in EXTENSIONS:
            importlib.import_module(name).install(self)

    # -- the extension contract -------------------------------------------------------------
    def menu(self, title: str) -> QMenu:
        if title not in self._menus:
            self._menus[title] = self.menuBar().addMenu(f"&{title}")
        return self._menus[title]

    def add_tab(self, widget, title: str) -> None:
        self.tabs.addTab(widget, title)

    def status_message(self, text: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(text, ms)

    def _dock(self, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.menu("View").addAction(dock.toggleViewAction())
        return dock

    def eventFilter(self, watched, event) -> bool:
        """Refit the inspector whenever its rows are laid out anew (another block selected, a
        longer width note after an α change), once the new layout has settled."""
        if watched is self.inspector and event.type() == QEvent.LayoutRequest:
            QTimer.singleShot(0, self.fit_inspector)
        return super().eventFilter(watched, event)

    def fit_inspector(self, *_) -> None:
        """Grow the inspector to the height its rows need (at most 60 % of the window) when they
        would be cut off; a dock already tall enough keeps the height the user gave it."""
        wrapped = self.inspector.heightForWidth(self.inspector.width())
        needed = min(max(wrapped, self.inspector.sizeHint().height()) + 30,
                     int(self.height() * 0.6))
        if self.inspector_dock.height() < needed:
            self.resizeDocks([self.inspector_dock], [needed], Qt.Vertical)

    # -- menus ------------------------------------------------------------------------------
    def _action(self, menu: str, text: str, shortcut, slot) -> QAction:
        action = self.menu(menu).addAction(text)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _edit_menu(self) -> None:
        edit = self.menu("Edit")
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.Undo)
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(QKeySequence.Redo), QKeySequence("Ctrl+Shift+Z")])
        edit.addActions([undo, redo])
        edit.addSeparator()
        self._action("Edit", "Cu&t", QKeySequence.Cut, self.cut)
        self._action("Edit", "&Copy", QKeySequence.Copy, self.copy)
        self._action("Edit", "&Paste", QKeySequence.Paste, self.paste)
        delete = self._action("Edit", "&Delete", QKeySequence.Delete, self.delete_selected)
        delete.setShortcuts([QKeySequence(QKeySequence.Delete), QKeySequence(Qt.Key_Backspace)])
        self._action("Edit", "Select &all", QKeySequence.SelectAll,
                     lambda: self.document.select(list(self.document.design.nodes)))
        self._action("Edit", "&Find block…", QKeySequence.Find, self.find_block)

    def find_block(self) -> None:
        """Ask for a block's name (the list completes it) and select that block: the canvas
        brings it into view. Part of a name, in any case, finds the first block holding it."""
        nodes = list(self.document.design.nodes.values())
        text, ok = QInputDialog.getItem(self, "Find block", "Block name:",
                                        [n.name for n in nodes], 0, True)
        wanted = text.strip().lower()
        if not ok or not wanted:
            return
        found = (next((n for n in nodes if n.name.lower() == wanted), None)
                 or next((n for n in nodes if wanted in n.name.lower()), None))
        if found is None:
            self.status_message(f"No block named like '{safe_text(text.strip())}'")
            return
        self.document.select([found.id])

    def _help_menu(self) -> None:
        self.help_page = None
        self._action("Help", "&Counting conventions", QKeySequence.HelpContents,
                     self.show_conventions)
        self._action("Help", "&About ConvSketch", None, lambda: QMessageBox.about(
            self, "About ConvSketch", ABOUT))

    def show_conventions(self) -> None:
        """A non-modal, searchable page: the work stays usable beside it."""
        from .help_page import HelpPage

        if self.help_page is None:
            self.help_page = HelpPage(self)
        self.help_page.show()
        self.help_page.raise_()
        self.help_page.search.setFocus()

    def _view_menu(self) -> None:
        self.menu("View").addSeparator()
        self._action("View", "Zoom &in", QKeySequence.ZoomIn, lambda: self.view.zoom(1.2))
        self._action("View", "Zoom &out", QKeySequence.ZoomOut, lambda: self.view.zoom(1 / 1.2))
        self._action("View", "&Fit to view", "Ctrl+0", self.view.fit)
        self._action("View", "&Auto-layout", "Ctrl+L", self.auto_layout)

    # -- edits --------------------------------------------------------------------------------
    def append_block(self, kind: str, params: dict) -> None:
        """A palette double-click: with one block selected, the new block goes right after it
        (what it fed now reads the new block; the blocks below move down a row); else it is
        appended at the end of the chain. Either way it is selected."""
        design = self.document.design
        if len(self.document.selected) == 1:
            command = insert_after(design, kind, params, self.document.selected[0])
            self.document.push(command)
            new = next(c.node.id for c in command.commands if hasattr(c, "node"))
            self.document.select([new])
            return
        after = chain_end(design)
        base = design.layout.get(after)
        position = (base[0], base[1] + 110.0) if base else None
        command = add_block(design, kind, params, position, after=after)
        self.document.push(command)
        self.document.select([command.node.id])

    def delete_selected(self) -> None:
        """Delete the selected blocks with their wires; with no block selected, the selected
        wires (a rubber band over blocks never takes wires between unselected blocks with it)."""
        if self.document.selected:
            self.document.push(RemoveNodes(list(self.document.selected)))
            return
        edges = self.scene.selected_edges()
        if len(edges) == 1:
            self.document.push(RemoveEdge(edges[0]))
        elif edges:
            self.document.push(Macro([RemoveEdge(e) for e in edges],
                                     text=f"disconnect {len(edges)} wires"))

    def copy(self) -> None:
        """Blocks go to the clipboard as marked JSON text (a QMimeData handed to the clipboard
        is deleted twice at exit by this PySide6)."""
        if self.document.selected:
            data = copy_blocks(self.document.design, self.document.selected)
            QApplication.clipboard().setText(json.dumps({CLIPBOARD_MARK: data}))

    def cut(self) -> None:
        self.copy()
        self.delete_selected()

    def paste(self) -> None:
        try:
            data = json.loads(QApplication.clipboard().text() or "null")
        except ValueError:
            return
        if not isinstance(data, dict) or CLIPBOARD_MARK not in data:
            return
        try:
            command = paste_blocks(self.document.design, data[CLIPBOARD_MARK])
        except (KeyError, TypeError, ValueError) as err:
            self.status_message(safe_text(f"Cannot paste: the clipboard's blocks are malformed "
                                             f"({shown(str(err))})"))
            return
        self.document.push(command)
        self.document.select([c.node.id for c in command.commands if hasattr(c, "node")])

    def auto_layout(self) -> None:
        self.document.push(MoveNodes(auto_layout(self.document.design)))
        self.view.fit()

    # -- status -------------------------------------------------------------------------------
    def update_totals(self, *_) -> None:
        a = self.document.analysis
        problems = f"   ⚠ {len(a.problems)} problem(s)" if a.problems else ""
        if a.invalid_blocks:
            problems += f" — partial: {a.invalid_blocks} block(s) invalid, not counted"
        latency = latency_text(self.document)
        full = (f"Params {a.params:,}   MACs {human(a.macs)} ({a.macs:,})   "
                f"Peak memory {human(a.peak_activation_bytes, 'B')}   "
                f"Total activations {human(a.activation_bytes_total, 'B')}   {latency}{problems}")
        def brief(macs: str, latency: str) -> str:
            return (f"Params {human(a.params)}   MACs {macs}   "
                    f"Peak {human(a.peak_activation_bytes, 'B')}   "
                    f"Activations {human(a.activation_bytes_total, 'B')}{latency}{problems}")

        exact = f"{human(a.macs)} ({a.macs:,})"
        texts = [full] + [brief(macs, tail) for macs in (exact, human(a.macs))
                          for tail in (f"   {latency}", "")]
        room = self.width() - 24
        metrics = QFontMetrics(self.totals.font())
        self.totals.setText(next((t for t in texts if metrics.horizontalAdvance(t) <= room),
                                 texts[-1]))
        self.totals.setToolTip(full)

    def _on_theme_changed(self, scale: float, old: float) -> None:
        """The theme's scale changed (presentation mode): the window's font and every font a
        view took from the theme follow it, and the canvas zooms by as much."""
        self.setFont(style.font())
        style.refont(self)
        self.view.rescale(scale / old)

    def resizeEvent(self, event) -> None:
        """The totals drop their exact counts when the window (a projector's, in presentation
        mode) has no room for them; the tooltip keeps them."""
        super().resizeEvent(event)
        self.update_totals()

    def update_title(self, *_) -> None:
        where = f" — {self.document.path.name}" if self.document.path else ""
        self.setWindowTitle(f"{self.document.design.name}{where}[*] — ConvSketch")
        self.setWindowModified(self.document.modified)

    def closeEvent(self, event) -> None:
        if self.files.may_discard():
            self.files.on_close()
            self.closing.emit()
            event.accept()
        else:
            event.ignore()


def latency_text(document) -> str:
    """The status bar's estimate: this machine's, or how to get one."""
    est = document.estimate
    if est is None:
        return "Est. latency: calibrate (Tools)"
    label = "" if est.profile.calibrated else " uncalibrated"
    return f"Est. latency {est.latency_ms:.1f} ms{label}"

