"""Comparing an estimate with a measurement, and the per-block chart metrics core declares."""
import pytest

from designer.core.analysis import analyze
from designer.core.block_metrics import BLOCK_METRICS, block_values
from designer.core.estimate_check import check_estimate, ranks, spearman
from designer.core.latency import KINDS, DeviceProfile, KindRate, estimate
from designer.core.presets import load_preset
from designer.core.timings import BlockTiming, Timing

PROFILE = DeviceProfile("p", tuple((k, KindRate(2.0, 10_000.0, 5_000.0)) for k in KINDS), True,
                        threads=2)


def test_spearman_by_hand():
    assert ranks([10, 30, 20, 20]) == [1, 4, 2.5, 2.5]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    # d = (0, 0, 1, -1): 1 - 6·2 / (4·15) = 0.8
    assert spearman([1, 2, 3, 4], [1, 2, 4, 3]) == pytest.approx(0.8)
    assert spearman([1], [1]) is None and spearman([1, 1], [2, 3]) is None


def test_check_against_a_timing():
    a = analyze(load_preset("squeezenet1_1"))
    est = estimate(a, PROFILE, 2)
    timing = Timing(2 * est.latency_ms, "torch", 1.0, 1.0, batch=2, threads=1,
                    blocks=tuple(BlockTiming(b.name, 3 * b.latency_ms) for b in est.blocks))
    c = check_estimate(a, PROFILE, timing)
    assert c.estimated_ms == pytest.approx(est.latency_ms) and c.error == pytest.approx(-0.5)
    assert all(b.error == pytest.approx(-2 / 3) for b in c.blocks)
    assert c.spearman == pytest.approx(1)
    assert "measured with 2 threads, this timing used 1" in c.text()
    assert c.text().startswith(f"Estimate {est.latency_ms:.2f} ms against measured median")


def test_block_metrics_read_the_analysis_and_the_estimate():
    a = analyze(load_preset("resnet18_layers"))
    rf = block_values(BLOCK_METRICS["Receptive field"], a)
    assert rf.values[rf.names.index("layer4.1.add")] == 435
    assert rf.reference == 224 and rf.names[rf.covers_from] == "layer4.0.conv1"  # 211 + 2·16 = 243 ≥ 224
    lat = block_values(BLOCK_METRICS["Estimated latency"], a, estimate(a, PROFILE))
    assert lat.values == [b.latency_ms for b in estimate(a, PROFILE).blocks]
    assert block_values(BLOCK_METRICS["Estimated latency"], a).values == [0.0] * len(lat.ids)
    macs = block_values(BLOCK_METRICS["MACs"], a)
    assert macs.values == [b.macs for b in a.blocks] and macs.covers_from is None
