"""No plot of the app offers pyqtgraph's "Plot Options" (log axes, FFT, averaging ...): they
transform curves but not bars, nor the ticks and ranges the charts set themselves, so "Log Y"
there drew linear bars under log labels. The right-click keeps the view menu."""
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication


def plot_items():
    """Every PlotItem in a shown or hidden view of the application, by its title."""
    found = {}
    for widget in QApplication.allWidgets():
        if isinstance(widget, pg.GraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                if isinstance(item, pg.PlotItem):
                    found[item] = item.titleLabel.text
    return found


def test_no_chart_offers_pyqtgraphs_plot_options(v2, qtbot):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    for name in ("vgg16", "squeezenet1_1"):
        view.add_preset(name)
    for tab in (v2.sweep_view, v2.block_view, v2.bench_panel, v2.tabs.widget(0)):
        v2.tabs.setCurrentWidget(tab)
        QApplication.processEvents()
    items = plot_items()
    titles = " | ".join(items.values())
    assert v2.charts.bars_plot.getPlotItem() in items          # the per-block bars: no title
    for expected in ("Live activation memory", "Peak live memory (MB)", "MACs vs Parameters",
                     "over α", "Parameters (k)", "Share of latency", "Measured (blue)"):
        assert expected in titles, titles
    offering = [title for item, title in items.items() if item.getContextMenus(None) is not None]
    assert offering == []
    assert all(item.vb.menuEnabled() for item in items)     # view all, the axes: still there
