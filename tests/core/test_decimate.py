"""Decimation keeps what the eye needs: each bar is the largest of its run (the first one if
tied), runs cover every block once and differ in length by at most one; the memory curve keeps
each pixel column's lowest and highest value in their order; spans name each block's steps."""
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from designer.core.decimate import decimate, envelope
from designer.core.ghost import block_spans

VALUES = st.lists(st.one_of(st.integers(0, 9), st.floats(0, 1e9)), max_size=400)


@given(values=VALUES, most=st.integers(-2, 500))
def test_every_bucket_keeps_the_first_largest_of_its_run(values, most):
    buckets = decimate(values, most)
    assert len(buckets) == min(len(values), max(1, most))
    assert [i for b in buckets for i in range(b.start, b.stop)] == list(range(len(values)))
    assert max((b.stop - b.start for b in buckets), default=0) \
        - min((b.stop - b.start for b in buckets), default=0) <= 1
    for b in buckets:
        run = values[b.start:b.stop]
        assert b.peak == b.start + run.index(max(run))


@given(values=VALUES, most=st.integers(1, 300))
def test_the_envelope_keeps_each_columns_lowest_and_highest_in_order(values, most):
    xs, ys = envelope(values, most)
    assert ys == [values[int(x)] for x in xs] and xs == sorted(set(xs))
    if len(values) <= 2 * most:
        assert ys == values
        return
    kept = set(map(int, xs))
    for b in decimate(values, most):
        run = values[b.start:b.stop]
        assert b.start + run.index(max(run)) in kept and b.start + run.index(min(run)) in kept
        assert len(kept & set(range(b.start, b.stop))) <= 2


@given(steps=st.lists(st.sampled_from("abc"), max_size=60))
def test_spans_are_the_runs_of_one_block(steps):
    spans = block_spans(tuple(steps))
    assert [n for n, s, e in spans for _ in range(s, e)] == steps
    assert all(a[0] != b[0] and a[2] == b[1] for a, b in pairwise(spans))
