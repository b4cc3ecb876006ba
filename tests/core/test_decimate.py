"""Decimation keeps what the eye needs: each bar is the largest of its run (the first one if
tied), runs cover every block once and differ in length by at most one."""
from hypothesis import given
from hypothesis import strategies as st

from designer.core.decimate import decimate

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
