import pytest

from designer.bench.stats import (
    BLOCK_SUM_FACTOR,
    block_shares,
    blocks_vs_whole,
    blocks_vs_whole_text,
    percentile,
    summarize,
)
from designer.core.timings import BlockTiming, Timing


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


def timing(whole_ms, blocks):
    """A torch timing with per-block results, from (name, median ms, MACs, noisy) tuples."""
    return Timing(whole_ms, "torch", 1.0, 1.0,
                  blocks=tuple(BlockTiming(n, ms, macs=macs, noisy=noisy)
                               for n, ms, macs, noisy in blocks))


def test_block_shares_by_hand():
    t = timing(4.0, [("stem", 1.0, 300, False), ("body", 3.0, 600, False),
                     ("pool", 0.0, 0, False), ("fc", 0.0, 100, False)])
    assert block_shares(t) == [(0.25, 0.3), (0.75, 0.6), (0.0, 0.0), (0.0, 0.1)]
    # No MACs at all (pools only): shares of zero, not a division by zero.
    assert block_shares(timing(1.0, [("p", 0.5, 0, False), ("q", 1.5, 0, False)])) == [
        (0.25, 0.0), (0.75, 0.0)]
    assert block_shares(Timing(1.0, "onnxruntime", 1.0, 1.0)) == [] == block_shares(None)


def test_blocks_vs_whole_and_the_stated_factor_exactly():
    assert BLOCK_SUM_FACTOR == 2.0
    t = timing(2.0, [("a", 1.0, 1, False), ("b", 1.5, 1, False)])
    assert blocks_vs_whole(t) == (2.5, 2.0, 1.25)
    text = blocks_vs_whole_text(t)
    assert text == ("Blocks timed one by one add up to 2.50 ms, 1.25× the whole model's median "
                    "2.00 ms (expected within 2×: each block alone pays its own call overhead "
                    "and cache misses).")
    # The factor's edges are inside; beyond them users are told to time again.
    for whole, outside in ((1.25, False), (5.0, False), (1.2, True), (5.1, True)):
        said = blocks_vs_whole_text(timing(whole, [("a", 2.5, 1, False)]))
        assert ("outside that range: the machine was busy, time again" in said) == outside
    assert blocks_vs_whole(Timing(1.0, "torch", 1.0, 1.0)) is None
    assert blocks_vs_whole_text(None) == ""
    assert blocks_vs_whole(timing(0.0, [("a", 1.0, 1, False)])) is None


def test_wide_spread_blocks_are_named_up_to_six():
    t = timing(8.0, [(f"b{i}", 1.0, 1, i % 2 == 0) for i in range(8)])
    assert blocks_vs_whole_text(t).endswith(
        ". ⚠ Wide spread (IQR > 10% of median) in 4 block(s): b0, b2, b4, b6.")
    t = timing(8.0, [(f"b{i}", 1.0, 1, True) for i in range(8)])
    assert blocks_vs_whole_text(t).endswith(
        "in 8 block(s): b0, b1, b2, b3, b4, b5….")
