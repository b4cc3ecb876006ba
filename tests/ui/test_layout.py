"""Issue 17's layout checks: every tab, in normal and in presentation mode, at 1280×720, 1366×768
and 1920×1080 — no label's text wider than its label, no two labels or axis tick texts on top of
each other, every chart at least 180 px tall in presentation, nothing cut by the window's edge.
One window, resized; the tabs are walked in each mode."""
from __future__ import annotations

import itertools

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QLabel,
    QTabBar,
    QTabWidget,
    QWidget,
)

from designer.core.presets import load_preset
from designer.ui.charts.axes import MIN_CHART_HEIGHT

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
TABS = ["Design", "Compare", "Sweep", "Block kinds", "Timing"]


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def shown(w: QWidget, window: QWidget) -> bool:
    return (w.isVisibleTo(window) and w.isVisible() and w.width() > 0 and w.height() > 0
            and not behind_a_tab(w, window))


def behind_a_tab(w: QWidget, window: QWidget) -> bool:
    """In a dock tabified with others and not the raised one, or the tab bar of docks that are
    hidden: Qt parks these outside the window, where nobody sees them."""
    if isinstance(w, QTabBar) and w.parentWidget() is window:
        return w.visibleRegion().isEmpty()
    while w is not None and not isinstance(w, QDockWidget):
        w = w.parentWidget()
    return (w is not None and bool(window.tabifiedDockWidgets(w))
            and w.visibleRegion().isEmpty())


def in_window(w: QWidget, window: QWidget) -> QRect:
    return QRect(w.mapTo(window, QPoint(0, 0)), w.size())


def scrolled(w: QWidget) -> bool:
    """Inside a scroll area's viewport: it may reach past the edge and be scrolled to."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def label_faults(window) -> list[str]:
    faults = []
    labels = [lb for lb in window.findChildren(QLabel) if shown(lb, window) and lb.text()
              and not scrolled(lb)]
    for lb in labels:
        rect = lb.contentsRect()
        if lb.wordWrap():
            if lb.heightForWidth(rect.width()) > rect.height() + 2:
                faults.append(f"wrapped label {lb.text()[:40]!r} needs "
                              f"{lb.heightForWidth(rect.width())} px, has {rect.height()}")
        elif lb.textFormat() != 1 and "<" not in lb.text():   # plain text
            wide = QFontMetrics(lb.font()).horizontalAdvance(lb.text())
            if wide > rect.width() + 1:
                faults.append(f"label {lb.text()[:40]!r} is {wide} px wide in {rect.width()}")
    for a, b in itertools.combinations(labels, 2):
        if a.isAncestorOf(b) or b.isAncestorOf(a):
            continue
        ra, rb = in_window(a, window), in_window(b, window)
        if ra.intersects(rb) and ra.intersected(rb).width() > 1 and ra.intersected(rb).height() > 1:
            faults.append(f"labels {a.text()[:30]!r} and {b.text()[:30]!r} overlap")
    return faults


def plot_items(window) -> list[pg.PlotItem]:
    items = []
    for view in window.findChildren(pg.GraphicsView):
        if not shown(view, window):
            continue
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem) and item.isVisible():
                items.append(item)
    return items


def tick_faults(item: pg.PlotItem) -> list[str]:
    faults = []
    image = QImage(10, 10, QImage.Format_ARGB32)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        if not axis.isVisible():
            continue
        painter = QPainter(image)
        specs = axis.generateDrawSpecs(painter)
        painter.end()
        if specs is None:
            continue
        texts = [(rect, text) for rect, _, text in specs[2]]
        for (ra, ta), (rb, tb) in itertools.combinations(texts, 2):
            if ra.intersects(rb) and ra.intersected(rb).width() > 1 \
                    and ra.intersected(rb).height() > 1:
                faults.append(f"{side} ticks {ta!r} and {tb!r} overlap")
    return faults


def cut_faults(window) -> list[str]:
    faults = []
    frame = window.rect()
    for w in window.findChildren(QWidget):
        if not shown(w, window) or scrolled(w) or w.isWindow():
            continue
        r = in_window(w, window)
        if not frame.adjusted(-1, -1, 1, 1).contains(r):
            faults.append(f"{type(w).__name__} {w.objectName()!r} at {r.getRect()} is cut "
                          f"by the window's edge {frame.getRect()}")
    return faults


def chart_faults(window) -> list[str]:
    return [f"a chart is {round(item.sceneBoundingRect().height())} px tall"
            for item in plot_items(window)
            if item.sceneBoundingRect().height() < MIN_CHART_HEIGHT]


def check_tab(window, tab: str, presenting: bool) -> list[str]:
    tabs = window.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == tab))
    settle()
    faults = label_faults(window) + cut_faults(window)
    assert plot_items(window), f"{tab}: no chart found to check"
    for item in plot_items(window):
        faults += tick_faults(item)
    if presenting:
        faults += chart_faults(window)
        # every page of a paged tab gets the same checks
        for pages in tabs.currentWidget().findChildren(QTabWidget):
            if not shown(pages, window):
                continue
            for i in range(pages.count()):
                pages.setCurrentIndex(i)
                settle()
                faults += [f"[page {pages.tabText(i)}] {f}" for f in
                           chart_faults(window) + label_faults(window)]
            pages.setCurrentIndex(0)
    return [f"{tab}: {f}" for f in faults]


@pytest.fixture(scope="module")
def workshop_window(qapp):
    from designer.ui.shell.document import DocumentModel
    from designer.ui.shell.main_window import MainWindow

    design = load_preset("mobilenet_v1")
    w = MainWindow(DocumentModel(design))
    w.quiet = True
    w.files.may_discard = lambda: True
    w.show()
    w.document.select([design.node_by_name("sep3").id])
    for name in ("mobilenet_v2", "squeezenet1_1", "vgg16"):
        w.compare_view.add_preset(name)
    yield w
    w.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presentation"])
def test_every_tab_holds(workshop_window, size, presenting):
    w = workshop_window
    if presenting:
        w.presentation.enter(size)
    else:
        w.resize(*size)
    settle()
    try:
        assert (w.width(), w.height()) == size
        faults = []
        for tab in TABS:
            faults += check_tab(w, tab, presenting)
        assert not faults, "\n".join(faults)
    finally:
        if presenting:
            w.presentation.leave()
            settle()


def test_presentation_hides_docks_scales_and_leaves_as_it_was(workshop_window):
    w = workshop_window
    w.resize(1366, 768)
    settle()
    docks = [d.isVisible() for d in w.findChildren(pg.QtWidgets.QDockWidget)]
    point = w.totals.font().pointSizeF()
    w.presentation.action.trigger()
    settle()
    assert w.isFullScreen() or w.windowState()
    assert not any(d.isVisible() for d in w.findChildren(pg.QtWidgets.QDockWidget))
    assert w.totals.font().pointSizeF() > point
    assert w.formulas.parentWidget() is w.design_split
    assert "0.127× MACs · 1/M + 1/K²" in w.formulas.toPlainText() or \
        "× MACs · 1/M + 1/K²" in w.formulas.toPlainText()
    w.presentation.escape.activated.emit()             # Esc leaves
    settle()
    assert not w.presentation.on and not w.presentation.action.isChecked()
    assert [d.isVisible() for d in w.findChildren(pg.QtWidgets.QDockWidget)] == docks
    assert w.totals.font().pointSizeF() == point
    assert w.formulas_dock.widget() is w.formulas


def test_after_presentation_the_window_shrinks_back_to_a_small_screen(workshop_window):
    """Every tab shown at 1920×1080 presentation size, then left: the window fits 1280×720
    again (a hidden page's stale size once held it 1,625 px wide)."""
    w = workshop_window
    w.presentation.enter((1920, 1080))
    settle()
    for tab in TABS:
        w.tabs.setCurrentIndex(next(i for i in range(w.tabs.count()) if w.tabs.tabText(i) == tab))
        settle()
    w.presentation.leave()
    settle()
    w.resize(1280, 720)
    settle()
    assert (w.width(), w.height()) == (1280, 720), f"minimum {w.minimumSize().toTuple()}"
