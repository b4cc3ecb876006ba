"""A kept timing whose median is 0 ms (a run shorter than the timer resolves) is a timing, not
a missing one: on the log-scale latency scatter it is drawn at the axis floor as a downward
triangle labelled "< resolution", and the bars' log view says so too, never
"no timing"."""
import math

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from designer.core.metrics import LATENCY
from designer.core.presets import load_preset
from designer.core.timings import Timing
from designer.ui.style import series


def timed(name, median_ms):
    d = load_preset(name)
    d.extra["timings"] = [Timing(median_ms, "torch", alpha=1.0, rho=1.0, device="cpu")]
    return d


def test_a_zero_median_is_drawn_at_the_floor_and_says_why(v2):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    view.add_design("mobilenet_v1", timed("mobilenet_v1", 7.25))
    view.add_design("squeezenet1_1", timed("squeezenet1_1", 0.0))
    assert [r.latency_ms for r in view.comparison.rows] == [None, 7.25, 0.0]
    chart = view.latency_scatter
    view.charts.setCurrentWidget(chart)
    chart.resize(1000, 700)
    zero = 2
    point, label = chart.points[zero]
    assert point.isVisible() and label.isVisible()
    spot = point.points()[0]
    floor = math.log10(7.25) - 0.5
    assert spot.pos().y() == floor and spot.pos().x() == math.log10(view.comparison.rows[2].macs)
    assert spot.symbol() == "t"
    assert label.toPlainText() == f"{view.comparison.rows[zero].label} (< resolution)"
    assert "0.00 ms" in spot.data() and "< resolution" in spot.data()
    low, high = chart.getPlotItem().vb.viewRange()[1]
    assert low < floor < math.log10(7.25) < high
    vb = chart.getPlotItem().vb
    at = chart.mapFromScene(vb.mapViewToScene(QPointF(spot.pos().x(), floor)))
    image = chart.grab().toImage()
    colour = series(zero)
    near = [QColor(image.pixel(at.x() + dx, at.y() + dy)) for dx in range(-3, 4)
            for dy in range(-3, 4)]
    assert any(abs(c.red() - colour.red()) + abs(c.green() - colour.green())
               + abs(c.blue() - colour.blue()) < 40 for c in near), "the triangle is drawn"


def test_the_bars_log_view_reads_a_zero_median_as_below_resolution(v2):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    view.add_design("squeezenet1_1", timed("squeezenet1_1", 0.0))
    view.view.setCurrentText("log scale")
    _, _, texts = view.bar_chart.parts[LATENCY.key]
    assert [t.toPlainText() for t in texts] == ["no timing", "< resolution"]
