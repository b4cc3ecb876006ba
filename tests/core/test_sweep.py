"""Sweeps over α and resolution: MobileNets Tables 6 and 7, the curves between the marks, and
the table as CSV and Markdown."""
import csv
import io

from designer.core.analysis import analyze
from designer.core.presets import load_preset
from designer.core.sweep import curves, sweep, to_csv, to_markdown

# MobileNets Table 6 (α at 224) and Table 7 (α = 1 at 192/160/128), from shared/reference.
TABLE_6 = {1.0: (4.2, 569), 0.75: (2.6, 325), 0.5: (1.3, 149), 0.25: (0.5, 41)}
TABLE_7 = {224: 569, 192: 418, 160: 290, 128: 186}


def test_curves_marks_reproduce_tables_6_and_7():
    c = curves(load_preset("mobilenet_v1"), list(TABLE_6), list(TABLE_7))
    marks = {(p.alpha, p.resolution): p for p in c.marks}
    for alpha, (params_m, macs_m) in TABLE_6.items():
        assert round(marks[(alpha, 224)].params / 1e6, 1) == params_m
        assert round(marks[(alpha, 224)].macs / 1e6) == macs_m
    for res, macs_m in TABLE_7.items():
        assert abs(marks[(1.0, res)].macs / 1e6 - macs_m) < 1
        assert marks[(1.0, res)].params == 4_231_976


def test_curves_pass_through_every_mark_and_agree_with_analysis():
    d = load_preset("mobilenet_v2")
    c = curves(d, [1.0, 0.5], [224, 160])
    assert [p.alpha for p in c.over_alpha[224]] == [round(0.5 + 0.05 * i, 6) for i in range(11)]
    assert [p.resolution for p in c.over_resolution[0.5]] == list(range(160, 225, 8))
    for m in c.marks:
        assert m in c.over_alpha[m.resolution] and m in c.over_resolution[m.alpha]
    p = c.over_alpha[160][3]
    d.alpha, d.rho = p.alpha, 160 / 224
    assert (p.macs, p.params) == (analyze(d).macs, analyze(d).params)


def test_invalid_points_are_left_out_of_curves():
    c = curves(load_preset("vgg16"), [1.0], [16, 64])
    assert c.over_resolution[1.0][0].resolution == 32
    assert [m.ok for m in c.marks] == [False, True]


def test_markdown_and_csv_read_back():
    points = sweep(load_preset("mobilenet_v1"), list(TABLE_6), list(TABLE_7))
    md = to_markdown("MobileNetV1", points).splitlines()
    assert md[0] == "| MobileNetV1: α \\ input | 224×224 | 192×192 | 160×160 | 128×128 |"
    assert md[2].startswith("| 1 | 568.7 M MACs / 4.23 M params | 418.1 M MACs")
    assert md[5].startswith("| 0.25 | 41.0 M MACs / 0.47 M params")
    rows = list(csv.DictReader(io.StringIO(to_csv(points))))
    assert len(rows) == 16 and int(rows[0]["macs"]) == 568_740_352
