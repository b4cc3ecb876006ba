"""pyqtgraph's "Plot Options" (a right-click on any plot: log axes, FFT, derivatives, averaging,
point symbols, alpha) transforms curves but not bars, nor the ticks and ranges the charts set
themselves: "Log Y" there left the bars linear under log tick labels, and the memory chart's
next update set a range in bytes on a log axis. The charts offer their own log scale, so no
plot of the app offers that menu; the view menu (view all, the axes) and Export stay."""
from __future__ import annotations

import pyqtgraph as pg


def without_plot_options(plot: pg.PlotItem) -> pg.PlotItem:
    plot.setMenuEnabled(False, enableViewBoxMenu=None)
    return plot
