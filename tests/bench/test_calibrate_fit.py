"""The calibration's arithmetic, from recorded (made-up) timings: no clock is read, so these hold
on a busy machine. The fits must recover the rates the timings were made from, and the glue must
be the reference network's whole time less its layers alone, per layer."""
import pytest

from designer.bench.calibrate import (CASES, _two_term_fit, case_layer, glue_us, fit_rates,
                                      profile_from_cases, reference_design)
from designer.core.analysis import analyze
from designer.core.latency import KINDS, estimate, layer_us, layer_work
from blocks import numel

# A made-up machine: every kind's overhead, MAC rate, weight rate, bytes rate, output rate.
OVERHEAD = {k: 5.0 + i for i, k in enumerate(KINDS)}
MACS_PER_US, WEIGHT_BYTES_PER_US, BYTES_PER_US = 40_000.0, 8_000.0, 20_000.0
POOL_OPS_PER_US, POOL_OUTPUTS_PER_US = 400.0, 50.0


def made_up_time(kind, layer, tiny):
    """What the made-up machine takes for one case (its tiny case is its overhead)."""
    if tiny:
        return OVERHEAD[kind]
    macs, nbytes = layer_work(layer)
    if kind in ("conv", "conv1x1", "grouped"):
        return OVERHEAD[kind] + macs / MACS_PER_US + layer.params * 4 / WEIGHT_BYTES_PER_US
    if kind == "pool":
        return OVERHEAD[kind] + macs / POOL_OPS_PER_US + numel(layer.output) / POOL_OUTPUTS_PER_US
    return OVERHEAD[kind] + nbytes / BYTES_PER_US


def recorded():
    return {kind: [(case_layer(kind, *c), made_up_time(kind, case_layer(kind, *c), i == 0))
                   for i, c in enumerate(CASES[kind])] for kind in CASES}


def test_two_term_fit_recovers_both_rates_and_never_goes_negative():
    xs = [(100.0, 1.0), (50.0, 10.0), (10.0, 40.0)]
    a, b = _two_term_fit(xs, [0.5 * x1 + 2.0 * x2 for x1, x2 in xs])
    assert (a, b) == (pytest.approx(0.5), pytest.approx(2.0))
    a, b = _two_term_fit(xs, [0.5 * x1 for x1, _ in xs])          # no second term
    assert a == pytest.approx(0.5) and b == pytest.approx(0.0, abs=1e-12)
    a, b = _two_term_fit(xs, [x1 - 0.1 * x2 for x1, x2 in xs])     # would need b < 0
    assert b == 0.0 and a > 0


def test_fit_recovers_the_rates_the_timings_were_made_from():
    rates, fit = fit_rates(recorded())
    for kind in ("conv", "conv1x1"):
        r = rates[kind]
        assert r.overhead_us == OVERHEAD[kind]
        assert r.macs_per_us == pytest.approx(MACS_PER_US)
        assert r.weight_bytes_per_us == pytest.approx(WEIGHT_BYTES_PER_US)
    assert rates["pool"].macs_per_us == pytest.approx(POOL_OPS_PER_US)
    assert rates["pool"].outputs_per_us == pytest.approx(POOL_OUTPUTS_PER_US)
    assert rates["bn"].bytes_per_us == pytest.approx(BYTES_PER_US)
    assert fit["conv"] == pytest.approx(0.0, abs=1e-9) and fit["pool"] == pytest.approx(0, abs=1e-9)


def test_glue_is_the_reference_networks_whole_time_less_its_layers_alone_per_layer():
    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    assert layers > 40
    whole_ms, alone_ms = 12.0, 9.0                  # a recorded calibration, not timed here
    assert glue_us(whole_ms, alone_ms) == pytest.approx(3000.0 / layers)
    assert glue_us(8.0, 9.0) == 0.0                 # never below zero
    p = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", (whole_ms, alone_ms))
    assert p.glue_us == pytest.approx(3000.0 / layers) and p.network_factor == 1.0
    bare = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", None)
    assert bare.glue_us == 0.0 and bare.rates == p.rates


def test_glue_adds_its_cost_once_per_layer_of_every_block():
    with_glue = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", (12.0, 9.0))
    without = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", None)
    a = analyze(reference_design())
    for b, g, n in zip(a.blocks, estimate(a, with_glue).blocks, estimate(a, without).blocks):
        assert g.latency_ms - n.latency_ms == pytest.approx(with_glue.glue_us * len(b.layers) / 1e3)
    layers = [la for b in a.blocks for la in b.layers]
    assert estimate(a, without).latency_ms == pytest.approx(
        sum(layer_us(la, without) for la in layers) / 1e3)
    # on the reference itself the glue closes the gap between its layers and the whole
    assert (estimate(a, with_glue).latency_ms - estimate(a, without).latency_ms
            == pytest.approx(12.0 - 9.0))
