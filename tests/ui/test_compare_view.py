"""The compare view in the app: it includes the open design live, reacts to α changes, and saves
every chart and table as real files."""
import csv

from PySide6.QtGui import QImage

from designer.core.analysis import analyze
from designer.core.presets import load_preset


def test_compare_view_reacts_to_alpha_and_saves(v2, tmp_path):
    w = v2
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    view.add_design("mobilenet_v1", load_preset("mobilenet_v1"))
    assert [r.macs for r in view.comparison.rows] == [300_774_272, 568_740_352]
    view.set_scaling(1, alpha=0.5)
    assert view.comparison.rows[1].macs == 149_497_088
    heights = list(view.bar_chart.getItem(0, 1).items[0].opts["height"])
    assert heights == [300.774272, 149.497088]
    w.scaling.alpha.setValue(50)
    half = load_preset("mobilenet_v2")
    half.alpha = 0.5
    assert view.comparison.rows[0].macs == analyze(half).macs
    view.set_baseline(1)
    assert view.comparison.ratio(0, "macs") == analyze(half).macs / 149_497_088
    written = view.save_all(tmp_path / "slides")
    assert {p.name for p in written} >= {"compare.png", "compare.svg", "sweep.png", "compare.csv",
                                         "compare.md"}
    assert QImage(str(tmp_path / "slides" / "compare.png")).width() > 800
    rows = list(csv.DictReader(open(tmp_path / "slides" / "compare.csv")))
    assert int(rows[1]["macs"]) == 149_497_088


def test_presentation_mode_redraws_larger(v2):
    view = v2.compare_view
    v2.tabs.setCurrentWidget(view)
    small = view.bar_chart.getItem(0, 0).getAxis("left").style["tickFont"].pointSize()
    view.presentation.setChecked(True)
    big = view.bar_chart.getItem(0, 0).getAxis("left").style["tickFont"].pointSize()
    assert big > small
