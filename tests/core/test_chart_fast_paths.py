"""The charts' helpers that run on every α tick were made faster (labels kept by bisection, runs
scanned by slices); on random input they must choose exactly what the plain versions, kept here
as references, chose."""
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.chart_text import labelled_bars
from designer.core.decimate import decimate, envelope


def reference_labelled_bars(values, widths, gap=0.0, positions=None):
    kept, chosen = [], []
    for i in sorted(range(len(values)), key=lambda i: (-values[i], i)):
        x = positions[i] if positions is not None else i
        lo, hi = x - widths[i] / 2, x + widths[i] / 2
        if all(hi + gap <= a or lo - gap >= b for a, b in kept):
            kept.append((lo, hi))
            chosen.append(i)
    return sorted(chosen)


def reference_peaks(values, most):
    n = len(values)
    count = min(n, max(1, most))
    return [(b * n // count, (b + 1) * n // count,
             max(range(b * n // count, (b + 1) * n // count), key=values.__getitem__))
            for b in range(count)]


VALUES = st.lists(st.integers(0, 6) | st.floats(0, 1e9, allow_nan=False), max_size=300)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.floats(0.1, 9.0), st.sampled_from([0.0, 0.5, 2.0]), st.booleans())
def test_labels_are_the_ones_the_plain_scan_keeps(values, width, gap, spaced):
    widths = [width * (1 + (i % 3)) for i in range(len(values))]
    positions = [i * 1.5 for i in range(len(values))] if spaced else None
    assert labelled_bars(values, widths, gap, positions) == \
        reference_labelled_bars(values, widths, gap, positions)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.integers(1, 80))
def test_buckets_and_envelope_are_the_ones_the_plain_scan_finds(values, most):
    assert [(b.start, b.stop, b.peak) for b in decimate(values, most)] == \
        reference_peaks(values, most)
    xs, ys = envelope(values, most)
    assert ys == [values[int(x)] for x in xs]
    if len(values) > 2 * most:
        expected = []
        for start, stop, peak in reference_peaks(values, most):
            low = min(range(start, stop), key=values.__getitem__)
            expected += sorted({low, peak})
        assert xs == [float(i) for i in expected]
