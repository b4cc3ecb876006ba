"""View > Presentation (F11; Esc leaves): the window as a room sees it on a projector.

Full screen, the docks hidden, and the theme's scale factor (``style.set_scale``) set once: the
views redraw from it (the window's and every theme font, the charts' ticks and titles, the
canvas's zoom, the formula card). The workshop tabs' projector switch goes on, and the formula
panel comes out of its dock as a large card beside the Design tab's charts, its verdict on top.
Leaving sets the scale back to 1 and restores exactly what was there.
Laid out for 1280×720, 1366×768 and 1920×1080 (the layout tests hold every tab to it)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QLayout, QWidget

from .. import style


class Presentation(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.on = False
        self.action = QAction("&Presentation", window, checkable=True)
        self.action.setShortcut(QKeySequence(Qt.Key_F11))
        self.action.setToolTip("Full screen for a projector: docks hidden, everything larger "
                               "(Esc leaves)")
        self.action.toggled.connect(self._toggled)
        window.menu("View").addAction(self.action)
        window.addAction(self.action)
        self.escape = QShortcut(QKeySequence(Qt.Key_Escape), window)
        self.escape.setEnabled(False)
        self.escape.activated.connect(lambda: self.action.setChecked(False))
        self._saved: dict = {}

    def _toggled(self, on: bool) -> None:
        if on and not self.on:
            self.enter()
        elif not on and self.on:
            self.leave()

    def enter(self, size: tuple[int, int] | None = None) -> None:
        """Go full screen (or, for tests and screenshots, take ``size``) and scale everything."""
        w = self.window
        self.on = True
        self.escape.setEnabled(True)
        self.action.setChecked(True)
        docks = w.findChildren(QDockWidget)
        self._saved = {"geometry": w.saveGeometry(), "maximized": w.isMaximized(),
                       "docks": [d for d in docks if d.isVisible()],
                       "formulas_parent": w.formulas.parentWidget(),
                       "workshop": self._workshop_on()}
        if size is None:
            w.showFullScreen()
            screen = w.screen().geometry()
            size = (screen.width(), screen.height())
        else:
            w.resize(*size)
        style.set_scale(style.presentation_scale(*size))
        for dock in docks:
            dock.hide()
        self._compact_toolbar(True)
        self._formulas_as_card(True)
        self._set_workshop(True)
        w.charts.set_presentation(True)
        if hasattr(w, "bench_panel"):
            w.bench_panel.set_presentation(True)
        self._relayout()
        w.update_totals()
        if len(w.document.selected) == 1 and w.document.selected[0] in w.scene.items_by_id:
            w.view.unfit()
            w.view.centerOn(w.scene.items_by_id[w.document.selected[0]])

    def leave(self) -> None:
        w = self.window
        saved = self._saved
        self.on = False
        self.escape.setEnabled(False)
        self.action.setChecked(False)
        style.set_scale(1.0)
        self._compact_toolbar(False)
        self._formulas_as_card(False)
        self._set_workshop(saved.get("workshop", False))
        w.charts.set_presentation(False)
        if hasattr(w, "bench_panel"):
            w.bench_panel.set_presentation(False)
        if w.isFullScreen():
            w.showNormal()
        if saved.get("geometry") is not None:
            w.restoreGeometry(saved["geometry"])
        for dock in saved.get("docks", []):
            dock.show()
        self._relayout()
        w.update_totals()

    # -- pieces -----------------------------------------------------------------------------------
    def _relayout(self) -> None:
        """Recompute every size hint after the fonts changed. Qt drops a size change inside a
        hidden tab page (``updateGeometry`` does nothing on a hidden widget), so a page laid out
        at presentation size kept the window 1,625 px wide after leaving, on a 1366 px screen."""
        w = self.window
        for layout in w.findChildren(QLayout):
            layout.invalidate()
        for child in w.findChildren(QWidget):
            child.updateGeometry()

    def _compact_toolbar(self, on: bool) -> None:
        """The sliders matter to a room; rounding and dtype make way for them."""
        bar = self.window.scaling
        for widget in (bar.rounding, bar.dtype):
            widget.setVisible(not on)
        for label in bar.findChildren(QLabel):
            if label.text() in ("rounding", "dtype"):
                label.setVisible(not on)

    def _formulas_as_card(self, on: bool) -> None:
        """In presentation the formula panel (docks are hidden) joins the Design tab's splitter
        as a card; leaving puts it back into its dock."""
        w = self.window
        panel = w.formulas
        if on:
            w.design_split.addWidget(panel)
            panel.show()
            width = w.design_split.width()
            w.design_split.setSizes([int(width * 0.27), int(width * 0.40), int(width * 0.33)])
        else:
            w.formulas_dock.setWidget(panel)

    def _workshop_on(self) -> bool:
        from ..workshop.workshop_tab import WorkshopTab
        tabs = [self.window.tabs.widget(i) for i in range(self.window.tabs.count())]
        return any(t.presentation.isChecked() for t in tabs if isinstance(t, WorkshopTab))

    def _set_workshop(self, on: bool) -> None:
        from ..workshop.workshop_tab import WorkshopTab
        for i in range(self.window.tabs.count()):
            tab = self.window.tabs.widget(i)
            if isinstance(tab, WorkshopTab):
                tab.presentation.setChecked(on)
                break
