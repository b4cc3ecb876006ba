"""After every α tick the charts and the blocks in view show what a fresh analysis says, whether
the tick redrew them (the rounded widths changed) or left them as drawn (they did not); and a
tick that changes nothing the charts show does not touch a bar or a curve."""
from designer.core import io
from designer.core.analysis import analyze
from designer.core.block_metrics import block_values
from designer.core.builder import generated_chain
from designer.core.decimate import decimate
from designer.core.step_axis import band, columns, step_axis
from designer.ui.canvas.node_item import describe
from designer.ui.charts.charts import METRICS
from designer.ui.style import SELECTED


def points(curve) -> int:
    xs = curve.getData()[0]
    return 0 if xs is None else len(xs)


def assert_shows_a_fresh_analysis(w):
    charts = w.charts
    fresh = analyze(io.loads(io.dumps(w.document.design)))   # a new design: nothing to reuse
    assert w.document.analysis == fresh
    shown = block_values(METRICS[charts.metric_box.currentText()], fresh)
    assert charts.values == shown.values and charts.ids == shown.ids
    buckets = decimate(shown.values, charts._bar_room())
    assert list(charts.bars.opts["height"]) == [shown.values[b.peak] for b in buckets]
    plot = charts.memory_plot
    room = max(1, int(plot.getPlotItem().vb.width()))
    axis = step_axis(fresh.memory_steps[0])
    if len(fresh.memory_live) > room:                        # a band, one column a pixel
        assert plot.band.drawn == band(fresh.memory_live, columns(
            axis.positions, -0.5, len(axis.names) - 0.5, room))
        assert points(plot.curve) == 0
    else:
        xs, ys = plot.curve.getData()
        assert (list(xs), list(ys)) == (axis.positions, list(fresh.memory_live))
        assert not plot.band.drawn[0]
    assert plot.axis == axis
    assert plot.peak_label.textItem.toPlainText().startswith("peak ")
    for nid in w.scene.in_view() - {"input"}:
        item = w.scene.items_by_id[nid]
        assert (item.title, item.subtitle, item.badge) == describe(fresh.block(nid))[:3]


def test_every_tick_shows_the_numbers_of_a_fresh_analysis(window):
    w = window(generated_chain(600))
    w.view.fit()
    assert len(w.charts.buckets) < 600                       # decimated
    for value in (50, 51, 52, 60, 63, 64, 75, 99, 98, 51):
        w.scaling.alpha.setValue(value)
        assert_shows_a_fresh_analysis(w)


def test_a_tick_that_keeps_the_widths_leaves_the_plots_alone(window, monkeypatch):
    w = window(generated_chain(200))
    w.scaling.alpha.setValue(51)
    calls = {"bars": 0, "curve": 0}

    def counted(name, f):
        def call(*a, **k):
            calls[name] += 1
            return f(*a, **k)
        return call
    monkeypatch.setattr(w.charts.bars, "setOpts", counted("bars", w.charts.bars.setOpts))
    for drawn in (w.charts.memory_plot.curve, w.charts.memory_plot.band):
        monkeypatch.setattr(drawn, "setData", counted("curve", drawn.setData))
    w.scaling.alpha.setValue(52)                             # 32 channels: 16 at both
    assert calls == {"bars": 0, "curve": 0}
    assert_shows_a_fresh_analysis(w)
    w.scaling.alpha.setValue(75)                             # 24
    assert calls["bars"] == 1 and calls["curve"] == 1
    assert_shows_a_fresh_analysis(w)
    w.document.select(["conv3"])                             # the selection is drawn too
    assert calls["bars"] == 2
    i = w.charts.ids.index("conv3")
    assert w.charts.bars.opts["brushes"][w.charts.buckets.index(
        next(b for b in w.charts.buckets if b.start <= i < b.stop))] == SELECTED.name()


def test_a_tick_that_changes_the_number_of_steps_keeps_the_x_axis_and_paints_once(window, qtbot):
    """An inverted residual's skip comes and goes with α: the memory chart's x axis is the
    blocks', so it holds still, and the plot is painted once a tick."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    w = window(generated_chain(300))
    plot = w.charts.memory_plot
    painted = []

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint and obj is plot.viewport():
                painted.append(event.rect())
            return False
    counter = Paints()
    plot.viewport().installEventFilter(counter)
    moved = 0
    w.scaling.alpha.setValue(51)                 # the ghost is there from now on
    for _ in range(4):                           # and the window laid out
        QApplication.processEvents()
    x_range = plot.getPlotItem().vb.viewRange()[0]
    for value in (50, 75, 99, 75, 50):
        steps = len(w.document.analysis.memory_live)
        painted.clear()
        w.scaling.alpha.setValue(value)
        for _ in range(4):
            QApplication.processEvents()
        if len(w.document.analysis.memory_live) != steps:
            moved += 1
            assert len(painted) == 1
        assert plot.getPlotItem().vb.viewRange()[0] == x_range
    assert moved >= 3


def test_a_curve_with_more_steps_than_pixels_is_drawn_as_its_band_and_ghosts_are_cached(window):
    from PySide6.QtWidgets import QGraphicsItem

    w = window(generated_chain(600))
    w.scaling.alpha.setValue(50)                 # a ghost (α = 1) behind
    plot = w.charts.memory_plot
    room = int(plot.getPlotItem().vb.width())
    live, ghost = w.document.analysis.memory_live, plot.ghost.memory_live
    assert len(live) > room and len(ghost) > room
    xs, lows, highs = plot.band.drawn
    assert 0 < len(xs) <= room and max(highs) == max(live) and min(lows) == min(live)
    assert max(plot.ghost_band.drawn[2]) == max(ghost)
    assert points(plot.curve) == points(plot.ghost_curve) == 0
    for item in (plot.ghost_band, w.charts.ghost_bars):   # dense: kept as pixmaps
        assert item.cacheMode() == QGraphicsItem.DeviceCoordinateCache
    w.document.load(generated_chain(8), None)
    w.scaling.alpha.setValue(50)
    live = w.document.analysis.memory_live
    assert len(live) <= room
    assert list(plot.curve.getData()[1]) == list(live) and not plot.band.drawn[0]
    assert len(plot.ghost_curve.getData()[0]) == len(plot.ghost.memory_live)
    assert w.charts.ghost_bars.cacheMode() == QGraphicsItem.NoCache   # sparse: drawn
