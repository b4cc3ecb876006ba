import pytest

from designer.bench.stats import percentile, summarize


def test_summary_by_hand():
    s = summarize([10, 12, 11, 13, 30, 11, 12, 10, 12, 11])
    # sorted: 10 10 11 11 11 12 12 12 13 30
    assert s.median_ms == 11.5 and s.q1_ms == 11 and s.q3_ms == 12 and s.iqr_ms == 1
    assert s.p95_ms == pytest.approx(13 + 0.55 * 17) and s.min_ms == 10 and s.runs == 10
    assert not s.noisy
    assert summarize([10, 20, 30, 40]).noisy


def test_percentile_interpolates():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    with pytest.raises(ValueError):
        percentile([], 0.5)
