"""The workshop tabs as a teacher uses them: presentation mode fits every chart inside its tab,
one baseline is always chosen and visible, the open design can sit beside itself at another α,
latency shows one runtime and says which, and the sweep's legends name what they draw."""
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF
from PySide6.QtWidgets import QRadioButton

from designer.core.analysis import analyze
from designer.core.commands import SetParam
from designer.core.presets import load_preset
from designer.core.timings import Timing
from designer.ui.style import ERROR

TIMINGS = [Timing(11.5, "torch", 1.0, 1.0), Timing(4.25, "onnxruntime", 1.0, 1.0)]


def settle(app):
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def content_and_view(chart) -> tuple[QRectF, QRectF]:
    """The chart's drawn content and the part of the scene its viewport shows, in scene
    coordinates."""
    item = chart.ci if hasattr(chart, "ci") else chart.getPlotItem()
    content = item.mapRectToScene(item.boundingRect())
    view = chart.mapToScene(chart.viewport().rect()).boundingRect()
    return content, view


@pytest.mark.parametrize("with_latency", [True, False])
def test_presentation_fits_every_chart_inside_its_tab(window, qapp, with_latency):
    timed = load_preset("squeezenet1_1")
    if with_latency:
        timed.extra["timings"] = TIMINGS
    w = window(load_preset("mobilenet_v2"))
    w.resize(1600, 1000)
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    for name in ("mobilenet_v1", "vgg16"):
        view.add_design(name, load_preset(name))
    view.add_design("squeezenet1_1", timed)
    view.add_open_design(alpha=0.5)
    view.presentation.setChecked(True)
    charts = []
    for tab in (view, w.sweep_view, w.block_view):
        w.tabs.setCurrentWidget(tab)
        settle(qapp)
        if tab is view:
            pages = [i for i in range(view.charts.count())
                     if view.charts.widget(i) not in view.tables]
            assert len(pages) == (3 if with_latency else 2)
            # issue 17: in presentation the tables are pages of their own, not squashed rows
            assert [view.charts.tabText(i) for i in range(view.charts.count())
                    if i not in pages] == ["Table", "Designs"]
            for i in pages:
                view.charts.setCurrentIndex(i)
                settle(qapp)
                charts.append((view.charts.tabText(i), view.charts.currentWidget()))
        else:
            charts.append((type(tab).__name__, tab.chart))
    for name, chart in charts:
        content, shown = content_and_view(chart)
        assert shown.width() > 900, name
        assert shown.adjusted(-1, -1, 1, 1).contains(content), (name, content, shown)
        assert chart.parentWidget().rect().contains(chart.geometry()), name
    bars = view.bar_chart
    assert bars.getItem(0, 0).getAxis("left").style["tickFont"].pointSize() == 16
    assert len(bars.parts) == (5 if with_latency else 4)
    assert view.table.font().pointSize() == 15 and view.results.font().pointSize() == 15
    view.presentation.setChecked(False)
    assert view.results.font().pointSize() == qapp.font().pointSize()


def checked_rows(view) -> list[int]:
    return [i for i in range(view.table.rowCount())
            if isinstance(view.table.cellWidget(i, 3), QRadioButton)
            and view.table.cellWidget(i, 3).isChecked()]


def test_exactly_one_baseline_and_removing_it_is_visible(v2):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    for name in ("mobilenet_v1", "squeezenet1_1", "vgg16"):
        view.add_design(name, load_preset(name))
    assert checked_rows(view) == [0]
    view.table.cellWidget(2, 3).click()
    assert view.baseline == 2 and checked_rows(view) == [2]
    view.table.cellWidget(2, 3).click()  # clicking the chosen baseline keeps it chosen
    assert view.baseline == 2 and checked_rows(view) == [2]
    assert view.comparison.baseline == 2 and view.comparison.ratio(2, "macs") == 1
    view.remove(1)  # a row above the baseline: the baseline stays squeezenet1_1
    assert checked_rows(view) == [1]
    assert view.comparison.rows[view.comparison.baseline].label.startswith("squeezenet1_1")
    view.remove(1)  # the baseline itself: the first row becomes it, and says so
    assert view.baseline == 0 and checked_rows(view) == [0]
    assert view.comparison.baseline == 0
    assert "baseline (squeezenet1_1) was removed" in view.error.text()
    assert view.results.item(0, 0).text() == "MobileNetV2"
    assert view.results.item(1, view.results.columnCount() - 3).text() == (
        f"{15_470_264_320 / 300_774_272:.3g}")


def test_the_open_design_beside_itself_at_half_width_follows_edits(v2):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    view.add_open_design(alpha=0.5)
    view.add_open_design(resolution=160)
    half, small = load_preset("mobilenet_v2"), load_preset("mobilenet_v2")
    half.alpha, small.rho = 0.5, 160 / 224
    assert [r.macs for r in view.comparison.rows] == [300_774_272, analyze(half).macs,
                                                      analyze(small).macs]
    assert [r.label for r in view.comparison.rows] == [
        "MobileNetV2", "MobileNetV2 α=0.5 224px", "MobileNetV2 α=1 160px"]
    assert view.table.cellWidget(1, 1).value() == 0.5
    assert view.table.cellWidget(0, 4).isEnabled() is False
    assert view.table.cellWidget(1, 4).isEnabled()
    node = next(n for n in v2.document.design.nodes.values() if n.kind == "ir")
    v2.document.push(SetParam(node.id, "out_channels", node.params["out_channels"] * 2))
    edited = v2.document.design
    expected = []
    for alpha, rho in ((1.0, 1.0), (0.5, 1.0), (1.0, 160 / 224)):
        edited.alpha, edited.rho = alpha, rho
        expected.append(analyze(edited).macs)
    edited.alpha, edited.rho = 1.0, 1.0
    assert [r.macs for r in view.comparison.rows] == expected
    assert expected[0] != 300_774_272
    v2.scaling.alpha.setValue(75)  # the design's own α moves row 1 only
    assert view.comparison.rows[0].alpha == 0.75
    assert [r.alpha for r in view.comparison.rows[1:]] == [0.5, 1.0]
    view.table.cellWidget(1, 1).setValue(0.25)
    assert view.comparison.rows[1].alpha == 0.25 and v2.document.design.alpha == 0.75


def test_latency_runtime_chosen_in_the_view_and_labelled(v2, tmp_path):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    timed = load_preset("squeezenet1_1")
    timed.extra["timings"] = TIMINGS
    view.add_design("squeezenet1_1", timed)
    assert view.latency.currentText() == "latency: torch CPU"
    assert view.comparison.rows[1].latency_ms == 11.5
    header = [view.results.horizontalHeaderItem(j).text()
              for j in range(view.results.columnCount())]
    assert "Latency, torch CPU (ms)" in header
    assert view.bar_chart.parts["latency_ms"][0].titleLabel.text == "Latency, torch CPU (ms)"
    left = view.latency_scatter.getPlotItem().getAxis("left").labelText
    assert left == "Latency, torch CPU (ms) (log scale)"
    view.latency.setCurrentIndex(view.latency.findText("latency: onnxruntime CPU"))
    assert view.comparison.rows[1].latency_ms == 4.25
    assert view.bar_chart.parts["latency_ms"][0].titleLabel.text == (
        "Latency, onnxruntime CPU (ms)")
    spots = [s.data() for item in view.latency_scatter.getPlotItem().items
             if hasattr(item, "points") for s in item.points()]
    assert any("4.25 ms (onnxruntime CPU)" in s for s in spots)
    view.save_all(tmp_path)
    assert "latency_onnxruntime_cpu_ms" in (tmp_path / "compare.csv").read_text()
    view.latency.setCurrentIndex(view.latency.findText("latency: torch CUDA"))
    assert "latency_ms" not in view.comparison.metrics() and view.latency_scatter is None


def legend_rects_and_curves(plot):
    legend = plot.legend
    rect = legend.mapRectToScene(legend.boundingRect()) if legend.isVisible() else None
    curves = [item for item in plot.items if isinstance(item, pg.PlotDataItem)]
    return rect, curves


@pytest.mark.parametrize("presentation", [False, True])
def test_sweep_parameters_are_one_curve_and_legends_clear_the_curves(window, qapp,
                                                                     presentation):
    w = window(load_preset("mobilenet_v1"))
    w.resize(1600, 1000)
    view = w.sweep_view
    view.presentation.setChecked(presentation)
    w.tabs.setCurrentWidget(view)
    settle(qapp)
    params_over_alpha = view.chart.panels[1]
    rect, curves = legend_rects_and_curves(params_over_alpha)
    assert [c.name() for c in curves] == ["all resolutions"] and rect is not None
    tips = [s.data() for item in params_over_alpha.items if hasattr(item, "points")
            for s in item.points()]
    assert "α = 0.5, any input size\n1,331,592 parameters" in tips and len(tips) == 4
    assert len(legend_rects_and_curves(view.chart.panels[0])[1]) == 4
    for plot in view.chart.panels:
        rect, curves = legend_rects_and_curves(plot)
        if rect is None:
            continue
        vb = plot.getViewBox()
        for curve in curves:
            xs, ys = curve.getData()
            for k in range(len(xs) - 1):
                for t in (0, 0.25, 0.5, 0.75):
                    point = vb.mapViewToScene(QPointF(xs[k] + t * (xs[k + 1] - xs[k]),
                                                      ys[k] + t * (ys[k + 1] - ys[k])))
                    assert not rect.contains(point), (plot.titleLabel.text, curve.name())


def test_sweep_keeps_one_curve_per_resolution_when_parameters_depend_on_it(window, qapp):
    """A classifier on flattened features has more weights at a larger input: four curves."""
    from designer.core.sweep import curves
    from designer.ui.workshop.sweep_view import sweep_chart
    vgg = load_preset("vgg16")
    pool = next(n for n in vgg.nodes.values() if n.kind == "gap")
    pool.kind, pool.params = "flatten", {}  # VGG without its adaptive pool: fc6 sees 7² or 6²
    c = curves(vgg, [1.0, 0.5], [224, 192])
    assert c.same_at_every_resolution("params") is False
    assert curves(load_preset("vgg16"), [1.0, 0.5], [224, 192]).same_at_every_resolution("params")
    chart = sweep_chart(c)
    names = [item.name() for item in chart.panels[1].items if isinstance(item, pg.PlotDataItem)]
    assert names == ["224 px", "192 px"]
    chart.close()


@pytest.mark.parametrize("tab", ["compare_view", "sweep_view", "block_view"])
def test_a_save_says_where_it_saved_and_clears_an_earlier_failure_but_not_the_tabs_notice(
        window, qtbot, tmp_path, monkeypatch, tab):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog
    w = window(load_preset("mobilenet_v2"))
    view = getattr(w, tab)
    w.tabs.setCurrentWidget(view)
    if tab == "compare_view":
        conv = next(n for n in w.document.design.nodes.values() if n.kind == "conv")
        w.document.push(SetParam(conv.id, "groups", 7))
    notice = view.error.text()
    assert notice.startswith("Invalid: MobileNetV2 has 1 problem") == (tab == "compare_view")
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x")
    chosen = [str(blocked), str(tmp_path / "slides")]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: chosen.pop(0))

    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    status = view.error.save_status
    assert status.text().startswith("Not saved: [Errno 17] File exists: '/")
    assert ERROR.name() in status.styleSheet() and view.error.text() == notice
    assert status.isVisibleTo(w)

    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    written = sorted((tmp_path / "slides").iterdir())
    assert len(written) >= 4 and all(p.stat().st_size > 0 for p in written)
    assert status.text() == f"Saved {len(written)} files to {tmp_path / 'slides'}"
    assert status.styleSheet() == "" and view.error.text() == notice
