"""The charts' helpers that run on every α tick were made faster (labels kept by bisection, runs
scanned by slices, columns found by bisection); on random input they must choose exactly what
the plain versions, kept here as references, chose."""
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.chart_text import labelled_bars
from designer.core.decimate import decimate
from designer.core.step_axis import band, columns, step_axis


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


def reference_band(positions, values, lo, hi, count):
    """Each step put in the last column whose left edge it is not left of (the right edge
    of the last column closes the axis), then each column's extremes up to the next column's
    first step."""
    width = (hi - lo) / count
    cols: dict[int, list[int]] = {}
    for i, x in enumerate(positions):
        if lo <= x <= hi:
            c = max(c for c in range(count) if lo + c * width <= x)
            cols.setdefault(c, []).append(i)
    out = []
    for c in sorted(cols):
        run = values[cols[c][0]:cols[c][-1] + 2]
        out.append((((lo + c * width) + (lo + (c + 1) * width)) / 2, min(run), max(run)))
    return out


@settings(max_examples=400, deadline=None)
@given(VALUES, st.integers(1, 80))
def test_buckets_are_the_ones_the_plain_scan_finds(values, most):
    assert [(b.start, b.stop, b.peak) for b in decimate(values, most)] == \
        reference_peaks(values, most)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=200), st.integers(1, 80), st.data())
def test_the_band_is_the_one_the_plain_scan_finds(steps, count, data):
    axis = step_axis(tuple(steps))
    values = data.draw(st.lists(st.integers(0, 10**6), min_size=len(steps), max_size=len(steps)))
    lo, hi = -0.5, len(axis.names) - 0.5
    xs, lows, highs = band(values, columns(axis.positions, lo, hi, count))
    assert list(zip(xs, lows, highs)) == reference_band(axis.positions, values, lo, hi, count)
