"""The memory chart's x axis: one unit a block, each block's steps spread evenly across its
unit, in order; a point of the axis finds the step drawn there; pixel columns split the steps
in order and the band keeps each column's lowest and highest value, the stroke to the next
column's first value included."""
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core.step_axis import band, block_spans, columns, step_at, step_axis

STEPS = st.lists(st.sampled_from("abcd"), max_size=80).map(tuple)


@given(steps=STEPS)
def test_spans_are_the_runs_of_one_block(steps):
    spans = block_spans(steps)
    assert [n for n, s, e in spans for _ in range(s, e)] == list(steps)
    assert all(a[0] != b[0] and a[2] == b[1] for a, b in pairwise(spans))


@given(steps=STEPS)
def test_each_block_owns_its_unit_and_each_step_is_found_where_it_is_drawn(steps):
    axis = step_axis(steps)
    assert axis.names == [n for n, _, _ in block_spans(steps)]
    assert len(axis.positions) == len(steps)
    assert axis.positions == sorted(axis.positions)
    for j, (start, stop) in enumerate(axis.spans):
        inside = axis.positions[start:stop]
        assert all(j - 0.5 < x < j + 0.5 for x in inside)
        assert abs(sum(inside) / len(inside) - j) < 1e-9          # centred on the block
    for i, x in enumerate(axis.positions):
        assert step_at(axis, x) == i
    assert step_at(axis, -0.6) is None and step_at(axis, len(axis.names) - 0.4) is None


def test_a_block_of_three_steps():
    axis = step_axis(("stem", "ir1", "ir1", "ir1", "fc"))
    assert axis.positions == pytest.approx([0.0, 1 - 1 / 3, 1.0, 1 + 1 / 3, 2.0])
    assert [step_at(axis, x) for x in (0.7, 0.9, 1.2, 1.49)] == [1, 2, 3, 3]


@given(steps=STEPS, data=st.data())
def test_columns_split_the_steps_in_order_and_the_band_keeps_each_columns_extremes(steps, data):
    axis = step_axis(steps)
    count = data.draw(st.integers(1, 200))
    values = data.draw(st.lists(st.integers(0, 10**9), min_size=len(steps), max_size=len(steps)))
    cols = columns(axis.positions, -0.5, len(axis.names) - 0.5, count)
    assert len(cols) <= count
    assert [i for c in cols for i in range(c.start, c.stop)] == list(range(len(steps)))
    width = len(axis.names) / count
    for c in cols:
        assert all(abs(axis.positions[i] - c.x) <= width / 2 + 1e-9 for i in range(c.start, c.stop))
    xs, lows, highs = band(values, cols)
    assert xs == [c.x for c in cols] == sorted(xs)
    assert lows == [min(values[c.start:c.stop + 1]) for c in cols]     # to the next column
    assert highs == [max(values[c.start:c.stop + 1]) for c in cols]
    if values:
        assert max(highs) == max(values) and min(lows) == min(values)
