"""The chart's bars, drawn one colour at a time, paint exactly the pixels pyqtgraph's own
BarGraphItem paints bar by bar: with outlines, without, with one brush and after new heights
(in these plots; where bars touch at a fraction of a pixel a column may round to the
neighbour, see GroupedBars)."""
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from designer.ui.charts.bar_item import GroupedBars

COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44"]


def picture(qtbot, item_type, looks):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(420, 260)
    plot.setXRange(-1, 60, padding=0)
    plot.setYRange(0, 100, padding=0)
    item = item_type(x=[], height=[], width=0.8, brushes=[])
    plot.addItem(item)
    for look in looks:
        item.setOpts(**look)
    plot.show()
    qtbot.waitExposed(plot)
    return plot.grab().toImage().convertToFormat(QImage.Format_RGB32)


HEIGHTS = [(i * 37) % 97 + 1 for i in range(60)]
CASES = {
    "outlined, a colour a kind": [{"x": list(range(60)), "height": HEIGHTS, "width": 0.8,
                                   "brushes": [COLOURS[i % 4] for i in range(60)]}],
    "decimated, no outline": [{"x": [2 * i + 0.5 for i in range(30)], "height": HEIGHTS[:30],
                               "width": [2.0] * 30, "pen": None,
                               "brushes": [COLOURS[(i * 7) % 4] for i in range(30)]}],
    "one brush": [{"x": list(range(60)), "height": HEIGHTS, "width": 0.8, "brushes": None,
                   "brush": "#999999", "pen": None}],
    "new heights, same look": [{"x": list(range(60)), "height": HEIGHTS, "width": 0.8,
                                "brushes": [COLOURS[i % 3] for i in range(60)]},
                               {"height": [h // 2 + 3 for h in HEIGHTS]}],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_grouped_bars_paint_what_bar_graph_item_paints(qtbot, case):
    ours = picture(qtbot, GroupedBars, CASES[case])
    theirs = picture(qtbot, pg.BarGraphItem, CASES[case])
    assert ours == theirs
    blank = picture(qtbot, GroupedBars, [{"x": [], "height": [], "brushes": []}])
    assert ours != blank                                     # bars were drawn at all
