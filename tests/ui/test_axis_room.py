"""The compare charts' axes make room for their labels: on the MACs-vs-latency scatter (a log
axis whose labels read "100 ms", "200 ms") and on every bar panel (log, linear and ratio), at a
desk's and a projector's font, in the app and in the slide PNG, every tick label the axis means
to write is drawn whole inside the axis, the axis is at least as wide as the widest label plus
the gap to its ticks, and the axis title sits outside the labels."""
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPicture

from designer.core.presets import load_preset
from designer.core.timings import Timing

LATENCIES = {"squeezenet1_1": 105.0, "mobilenet_v1": 150.0, "vgg16": 230.0}


def drawn_labels(axis):
    """(rect, text) of every tick label pyqtgraph draws, from the axis's own draw specs, made
    the way its paint() makes them (a QPicture painter in the tick font)."""
    picture = QPicture()
    painter = QPainter(picture)
    if axis.style["tickFont"]:
        painter.setFont(axis.style["tickFont"])
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return [(QRectF(rect), text) for rect, _, text in texts]


def meant_labels(axis):
    """What the axis is asked to write: its fixed ticks inside its range, else pyqtgraph's own
    first level at its range and length. A log axis's second level (2 and 5 × 10^k) is meant
    only while pyqtgraph finds room for it, which it decides for the level as a whole: all of
    it once any of it is drawn."""
    lo, hi = sorted(axis.range)
    if axis._tickLevels is not None:
        levels = [[s for v, s in level if lo <= v <= hi and s] for level in axis._tickLevels]
        drawn = {text for _, text in drawn_labels(axis)}
        return levels[0] + [s for level in levels[1:] if drawn & set(level) for s in level]
    length = axis.height() if axis.orientation == "left" else axis.width()
    spacing, values = axis.tickValues(lo, hi, length)[0]
    return [s for s in axis.tickStrings(values, axis.scale, spacing) if s]


def laid_out(axis):
    """The width the axis reserves is the width it is laid out at (Qt lays out on its next
    pass through the event loop, before it paints)."""
    return axis.height() > 50 and axis.width() == axis.minimumWidth()


def assert_room(axis, needs=()):
    """Every meant label drawn, whole, inside the axis, clear of the title; returns them."""
    meant = meant_labels(axis)
    assert set(needs) <= set(meant)
    drawn = drawn_labels(axis)
    # pyqtgraph leaves out a label that would stick out past either end of the axis (a
    # bottom axis's first or last): never one for want of the room across it
    inner = meant if axis.orientation == "left" else meant[1:-1]
    assert {text for _, text in drawn} >= set(inner) | set(needs), \
        "a tick label was dropped for want of room"
    metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
    title = axis.label.mapRectToParent(axis.label.boundingRect())
    if axis.orientation == "left":
        widest = max(metrics.horizontalAdvance(s) for s in meant)
        offset = axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
        assert axis.width() >= widest + offset + 2
        for rect, text in drawn:
            assert rect.left() >= 0 and rect.width() >= metrics.horizontalAdvance(text)
            assert rect.right() <= axis.width()
    else:
        for rect, text in drawn:
            assert rect.top() >= 0 and rect.bottom() <= axis.height()
    if axis.label.isVisible():
        for rect, text in drawn:
            assert not title.intersects(rect), f"the title runs over {text!r}"
            if axis.orientation == "left":
                assert title.right() < rect.left()
            else:
                assert title.top() > rect.bottom()
    return drawn


@pytest.fixture
def timed(v2):
    """The Compare tab with three designs that keep torch CPU timings of 105 to 230 ms."""
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    for name, ms in LATENCIES.items():
        d = load_preset(name)
        d.extra["timings"] = [Timing(ms, "torch", alpha=1.0, rho=1.0, device="cpu")]
        view.add_design(name, d)
    return v2


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_latency_scatter_and_bars_make_room_for_their_labels(timed, qtbot, size, presentation):
    view = timed.compare_view
    timed.resize(*size)
    view.presentation.setChecked(presentation)
    view.charts.setCurrentWidget(view.latency_scatter)
    axis = view.latency_scatter.getPlotItem().getAxis("left")
    assert axis.style["tickFont"].pointSize() == (16 if presentation else 10)
    qtbot.waitUntil(lambda: axis.isVisible() and axis.height() > 100 and laid_out(axis))
    assert_room(axis, needs=("100 ms", "200 ms"))
    assert_room(view.latency_scatter.getPlotItem().getAxis("bottom"), needs=("1G", "10G"))
    for choice in ("log scale", "values", "ratio to baseline"):
        view.view.setCurrentText(choice)
        view.charts.setCurrentWidget(view.bar_chart)
        panels = [plot for plot, _, _ in view.bar_chart.parts.values()]
        qtbot.waitUntil(lambda ps=panels: all(laid_out(p.getAxis("left")) for p in ps))
        for plot in panels:
            assert_room(plot.getAxis("left"))
        if choice == "log scale":            # powers of ten always; 200 ms while it fits
            latency = view.bar_chart.parts["latency_ms"][0].getAxis("left")
            assert_room(latency, needs=("10 ms", "100 ms") if presentation
                        else ("10 ms", "100 ms", "200 ms"))


def test_a_larger_font_widens_the_axis(timed, qtbot):
    view = timed.compare_view
    view.charts.setCurrentWidget(view.latency_scatter)
    axis = view.latency_scatter.getPlotItem().getAxis("left")
    qtbot.waitUntil(lambda: laid_out(axis))
    desk = axis.width()
    view.presentation.setChecked(True)
    axis = view.latency_scatter.getPlotItem().getAxis("left")
    qtbot.waitUntil(lambda: laid_out(axis))
    assert axis.width() > desk
    assert_room(axis, needs=("100 ms", "200 ms"))


@pytest.mark.parametrize("presentation", [False, True])
def test_the_slide_png_shows_every_latency_label(timed, tmp_path, monkeypatch, presentation):
    """The slide is drawn as the command line draws it; checked while drawn (the export
    closes the chart after saving), and each label's box in the PNG holds ink."""
    from designer.ui.workshop import slide_export
    from designer.ui.workshop.compare_charts import PARETO_SIZES, pareto_chart

    c = timed.compare_view.comparison
    save, labels = slide_export.save_chart, []

    def save_and_check(chart, out):
        written = save(chart, out)
        axis = chart.getPlotItem().getAxis("left")
        labels.extend((axis.mapRectToScene(rect), text)
                      for rect, text in assert_room(axis, needs=("100 ms", "200 ms")))
        return written

    monkeypatch.setattr(slide_export, "save_chart", save_and_check)
    path = tmp_path / "pareto_latency.png"
    slide_export.draw_and_save(lambda: pareto_chart(c, "latency_ms", presentation), [path],
                               PARETO_SIZES[presentation])
    image = QImage(str(path))
    assert (image.width(), image.height()) == PARETO_SIZES[presentation]
    assert {text for _, text in labels} >= {"100 ms", "200 ms"}
    for rect, text in labels:
        box = rect.toAlignedRect()
        inked = sum(QColor(image.pixel(x, y)).lightness() < 128
                    for x in range(max(0, box.left()), min(image.width(), box.right() + 1))
                    for y in range(max(0, box.top()), min(image.height(), box.bottom() + 1)))
        assert inked > 10, f"{text!r} is not drawn in the PNG"


def test_an_axis_refits_when_its_ticks_widen_and_survives_a_teardown(qtbot):
    import pyqtgraph as pg
    from shiboken6 import Shiboken

    from designer.ui.charts.axis_room import use_roomy_axes

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = use_roomy_axes(widget.getPlotItem())
    plot.setLabel("left", "latency")
    widget.resize(600, 400)
    widget.show()
    plot.setYRange(0, 10, padding=0)
    axis = plot.getAxis("left")
    axis.setTicks([[(2, "1 ms"), (8, "2 ms")]])
    narrow = axis.minimumWidth()                 # the width reserved; laid out soon after
    axis.setTicks([[(2, "1 ms"), (8, "1,000,000 ms")]])
    assert axis.minimumWidth() > narrow
    assert axis.minimumWidth() >= QFontMetricsF(axis.font()).horizontalAdvance("1,000,000 ms")
    qtbot.waitUntil(lambda: laid_out(axis))
    assert_room(axis, needs=("1 ms", "1,000,000 ms"))
    Shiboken.delete(axis.label)        # as a chart torn down leaves it
    axis.resizeEvent()                 # pyqtgraph's would raise inside Qt: a crash
    assert axis.picture is None
