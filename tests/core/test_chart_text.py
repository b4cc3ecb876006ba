"""Chart truths decided in core: units from values, which bars are named, plain ratios, and
scatter labels that cover no point and no other label."""
from __future__ import annotations

import itertools

import pytest

from designer.core.analysis import analyze
from designer.core.chart_text import Box, Scale, labelled_bars, place_labels, ratio_text, scale_for
from designer.core.presets import load_preset


@pytest.mark.parametrize("largest, unit, divisor, shown", [
    (12_845_056, "B", 1e6, "MB"),       # MobileNetV2's peak at fp32 is megabytes
    (802_816, "B", 1e3, "kB"),          # α = 0.25 at 128 px: kilobytes, not "MB (x0.001)"
    (999, "B", 1.0, "B"),
    (1_000, "B", 1e3, "kB"),
    (3.2e9, "B", 1e9, "GB"),
    (0, "B", 1.0, "B"),
    (300_774_272, "MACs", 1e6, "MMACs"),
    (4_231_976, "", 1e6, "M"),
])
def test_units_are_picked_from_the_values(largest, unit, divisor, shown):
    assert scale_for(largest, unit) == Scale(divisor, shown)


def test_a_quarter_width_net_reads_in_kilobytes():
    d = load_preset("mobilenet_v1")
    d.alpha, d.rho = 0.25, 128 / 224
    peak = analyze(d).peak_activation_bytes
    assert peak == 524_288  # the analysis's peak, at sep2 (two 16×64×64 fp32 tensors live)
    assert scale_for(peak, "B") == Scale(1e3, "kB")


@pytest.mark.parametrize("ratio, text", [
    (1734.2, "1,730×"), (17.34, "17.3×"), (1.0, "1.00×"), (0.12749, "0.127×"),
    (0.000368, "0.000368×"), (999.6, "1,000×"), (123_456, "123,000×"), (0.0368, "0.0368×"),
])
def test_ratios_are_plain_decimals(ratio, text):
    assert ratio_text(ratio) == text
    assert "e" not in ratio_text(ratio)


def test_the_largest_bars_are_always_named_and_names_never_touch():
    # VGG16's per-block parameters: fc6 is by far the largest and must carry its name even when
    # only every third name would fit.
    a = analyze(load_preset("vgg16"))
    ok = [b for b in a.blocks if b.ok]
    values = [b.params for b in ok]
    widths = [3.0] * len(values)          # each name three bar spacings wide
    chosen = labelled_bars(values, widths, gap=0.2)
    largest = max(range(len(values)), key=values.__getitem__)
    assert ok[largest].name == "fc6" and largest in chosen
    for i, j in itertools.pairwise(chosen):
        assert j - i >= 3.2
    # every bar left out is left out because a larger one's name is in its way
    for i in set(range(len(values))) - set(chosen):
        assert any(abs(i - j) < 3.2 and values[j] >= values[i] for j in chosen)


def test_all_bars_are_named_when_there_is_room():
    assert labelled_bars([3, 1, 2], [0.5, 0.5, 0.5]) == [0, 1, 2]
    assert labelled_bars([], []) == []


def test_scatter_labels_cover_no_point_and_no_label():
    # five designs close together, as MobileNets at α 1 / 0.75 / 0.5 sit on a Pareto plot
    points = [(100, 100), (112, 104), (124, 98), (300, 200), (310, 205)]
    sizes = [(90, 16)] * len(points)
    boxes = place_labels(points, sizes, (640, 400), radius=5)
    dots = [Box(x - 5, y - 5, 10, 10) for x, y in points]
    for i, b in enumerate(boxes):
        assert b.inside(640, 400)
        assert not any(b.overlaps(d) for d in dots)
        assert not any(b.overlaps(o) for o in boxes[:i] + boxes[i + 1:])
        x, y = points[i]
        assert abs(b.x + b.w / 2 - x) < 130 and abs(b.y + b.h / 2 - y) < 60  # beside its point
        assert all(b.distance(x, y) <= b.distance(*p) for p in points)  # nearest its own


def test_a_label_at_the_right_edge_goes_left():
    (box,) = place_labels([(630, 200)], [(80, 14)], (640, 400))
    assert box.inside(640, 400) and box.x + box.w <= 630
