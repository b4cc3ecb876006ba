"""The calibration's arithmetic, from recorded (made-up) timings: no clock is read, so these hold
on a busy machine. The fits must recover the rates the timings were made from, and the network
factor and glue must be what makes the reference network's recorded whole times from its
layers' recorded times alone."""
import pytest

from blocks import numel
from designer.bench.calibrate import (
    CASES,
    REFERENCE_SIZES,
    _two_term_fit,
    case_layer,
    fit_rates,
    network_terms,
    profile_from_cases,
    reference_design,
)
from designer.core.analysis import analyze
from designer.core.latency import KINDS, estimate, layer_us, layer_work, profile_loads

# A made-up machine: every kind's overhead, MAC rate, weight rate, bytes rate, output rate.
OVERHEAD = {k: 5.0 + i for i, k in enumerate(KINDS)}
MACS_PER_US, WEIGHT_BYTES_PER_US, BYTES_PER_US = 40_000.0, 8_000.0, 20_000.0
POOL_OPS_PER_US, POOL_OUTPUTS_PER_US = 400.0, 50.0
STEM_MACS_PER_US, STEM_OUTPUTS_PER_US = 15_000.0, 900.0


def made_up_time(kind, layer, tiny):
    """What the made-up machine takes for one case (its tiny case is its overhead)."""
    if tiny:
        return OVERHEAD[kind]
    macs, nbytes = layer_work(layer)
    if kind in ("conv", "conv1x1", "grouped"):
        return OVERHEAD[kind] + macs / MACS_PER_US + layer.params * 4 / WEIGHT_BYTES_PER_US
    if kind == "pool":
        return OVERHEAD[kind] + macs / POOL_OPS_PER_US + numel(layer.output) / POOL_OUTPUTS_PER_US
    if kind == "conv_stem":
        return OVERHEAD[kind] + macs / STEM_MACS_PER_US + numel(layer.output) / STEM_OUTPUTS_PER_US
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
    stem = rates["conv_stem"]
    assert (stem.overhead_us, stem.macs_per_us, stem.outputs_per_us) == (
        OVERHEAD["conv_stem"], pytest.approx(STEM_MACS_PER_US), pytest.approx(STEM_OUTPUTS_PER_US))
    assert stem.weight_bytes_per_us == 0.0 and fit["conv_stem"] == pytest.approx(0.0, abs=1e-9)
    for kind in ("bn", "act", "act_hard", "act_exp", "mul"):
        assert rates[kind].bytes_per_us == pytest.approx(BYTES_PER_US)
        assert rates[kind].overhead_us == OVERHEAD[kind]
    assert fit["conv"] == pytest.approx(0.0, abs=1e-9) and fit["pool"] == pytest.approx(0, abs=1e-9)


def test_network_factor_and_glue_make_the_reference_whole_from_its_layers_alone():
    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    assert layers > 40 and REFERENCE_SIZES[0] > REFERENCE_SIZES[1]
    assert [sum(len(b.layers) for b in analyze(reference_design(s)).blocks)
            for s in REFERENCE_SIZES] == [layers, layers]
    # a recorded calibration (ms), not timed here: whole = 1.25 · alone + 20 µs · layers
    glue_ms = 0.020 * layers
    reference = ((1.25 * 16.0 + glue_ms, 16.0), (1.25 * 2.0 + glue_ms, 2.0))
    factor, glue, conv_factor = network_terms(reference)
    assert factor == pytest.approx(1.25) and glue == pytest.approx(20.0) and conv_factor is None
    # whole below what the factor alone explains: no negative glue, factor = whole / alone
    assert network_terms(((20.0, 16.0), (1.5, 2.0))) == (pytest.approx(21.5 / 18), 0.0, None)
    p = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", reference)
    assert (p.network_factor, p.glue_us) == (pytest.approx(1.25), pytest.approx(20.0))
    bare = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", None)
    assert (bare.network_factor, bare.glue_us) == (1.0, 0.0) and bare.rates == p.rates


def test_a_measured_hollow_glue_sets_the_glue_and_the_factor_takes_the_rest():
    """Model 6: the glue is the hollow network's figure (the smaller size's), not a fit; the
    factor is the rest over the layers alone, both sizes pooled. Here the recorded wholes were
    made with glue 20 µs a layer and factor 1.25 but noise on the small size (+0.3 ms) that a
    two-size fit would have read as glue."""
    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    glue_ms = 0.020 * layers
    # (whole, alone, pools, convs, convs inside, convs timed, hollow) in ms
    reference = ((1.25 * 16.0 + glue_ms, 16.0, 0, 0, 0, 0, glue_ms + 0.1),
                 (1.25 * 2.0 + glue_ms + 0.3, 2.0, 0, 0, 0, 0, glue_ms))
    factor, glue, conv_factor = network_terms(reference)
    assert glue == pytest.approx(20.0) and conv_factor is None
    assert factor == pytest.approx((1.25 * 18.0 + 0.3) / 18.0)
    _, fitted_glue, _ = network_terms(tuple(r[:2] for r in reference))
    assert abs(fitted_glue - 20.0) > 5                  # what the noise did to the old fit


def test_a_block_is_its_layers_times_the_factor_plus_glue_for_each_layer():
    """Pools apart: the factor leaves them out (latency.UNFACTORED)."""
    from designer.core.latency import layer_kind

    reference = ((1.25 * 16.0 + 1.2, 16.0), (1.25 * 2.0 + 1.2, 2.0))
    with_terms = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", reference)
    bare = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", None)
    a = analyze(reference_design())
    pools = 0
    for b, w, n in zip(a.blocks, estimate(a, with_terms).blocks, estimate(a, bare).blocks):
        pool = sum(layer_us(la, bare) for la in b.layers if layer_kind(la) == "pool") / 1e3
        pools += pool > 0
        assert w.latency_ms == pytest.approx(
            1.25 * (n.latency_ms - pool) + pool + with_terms.glue_us * len(b.layers) / 1e3)
    assert pools == 1
    layers = [la for b in a.blocks for la in b.layers]
    assert estimate(a, bare).latency_ms == pytest.approx(
        sum(layer_us(la, bare) for la in layers) / 1e3)


def test_fresh_page_rate_from_recorded_fill_times():
    from designer.bench.calibrate import FRESH_CASE_BYTES, fresh_rate
    assert fresh_rate((30_000.0, 5_000.0)) == FRESH_CASE_BYTES / 25_000.0
    assert fresh_rate((5_000.0, 5_000.0)) == 0.0     # fresh memory costs nothing more: no term


def test_pools_stay_outside_the_network_factor():
    """The reference's third figure is its pools' share of the layers alone: the factor is
    fitted on the rest, and a block's pool is not scaled by it (latency.UNFACTORED)."""
    import dataclasses

    from designer.core.builder import Builder
    from designer.core.latency import UNFACTORED, block_ms

    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    glue_ms = 0.020 * layers
    # whole = pools + 1.25 · (alone − pools) + 20 µs · layers, pools 3 and 0.5 ms of the alone
    reference = ((3.0 + 1.25 * 13.0 + glue_ms, 16.0, 3.0), (0.5 + 1.25 * 1.5 + glue_ms, 2.0, 0.5))
    assert network_terms(reference) == (pytest.approx(1.25), pytest.approx(20.0), None)
    b = Builder("p", (64, 56, 56))
    b.add("maxpool", "pool", kernel=3, stride=2)
    b.add("conv", "c", out_channels=64, bn=False, activation="none")
    a = analyze(b.build())
    p = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", None)
    pool, conv = a.blocks
    assert UNFACTORED == ("pool",)
    for factor in (1.0, 2.0):
        q = dataclasses.replace(p, network_factor=factor)
        assert block_ms(pool.block, pool.input_shapes, q) == pytest.approx(
            layer_us(pool.layers[0], p) / 1e3)
        assert block_ms(conv.block, conv.input_shapes, q) == pytest.approx(
            factor * layer_us(conv.layers[0], p) / 1e3)


def test_dense_convs_take_their_own_factor_measured_inside_the_reference():
    """Model 5: the reference's dense K×K convs timed inside it over alone set conv_factor
    (both sizes pooled); the factor and glue are fitted on what is neither pool nor dense
    conv; a block's dense conv is scaled by conv_factor, a 1×1 conv by the network factor."""
    import dataclasses

    from designer.core.builder import Builder
    from designer.core.latency import CONV_FACTOR_KINDS, block_ms, layer_kind

    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    glue_ms = 0.020 * layers
    # at 224: alone 16 = pools 3 + convs 5 + rest 8; at 64: 2 = 0.5 + 0.5 + 1;
    # inside the network the convs took 1.1× (6.6 of 6.0 ms timed), the rest 1.4×
    reference = ((3.0 + 1.1 * 5.0 + 1.4 * 8.0 + glue_ms, 16.0, 3.0, 5.0, 5.5, 5.0),
                 (0.5 + 1.1 * 0.5 + 1.4 * 1.0 + glue_ms, 2.0, 0.5, 0.5, 1.1, 1.0))
    terms = network_terms(reference)
    assert terms == (pytest.approx(1.4), pytest.approx(20.0), pytest.approx(6.6 / 6.0))
    p = profile_from_cases(recorded(), 1, "2.13.0", "Example CPU", reference)
    assert (p.network_factor, p.conv_factor) == (pytest.approx(1.4), pytest.approx(1.1))
    assert profile_loads(p.dumps()).conv_factor == pytest.approx(1.1)
    b = Builder("c", (64, 28, 28))
    b.add("conv", "dense", out_channels=64, bn=False, activation="none")
    b.add("conv", "pointwise", out_channels=64, kernel=1, bn=False, activation="none")
    a = analyze(b.build())
    bare = dataclasses.replace(p, network_factor=1.0, conv_factor=None, glue_us=0.0)
    dense, pointwise = a.blocks
    assert CONV_FACTOR_KINDS == ("conv", "conv_stem")
    assert [layer_kind(x.layers[0]) for x in a.blocks] == ["conv", "conv1x1"]
    for blk, factor in ((dense, 1.1), (pointwise, 1.4)):
        assert block_ms(blk.block, blk.input_shapes, p) == pytest.approx(
            factor * block_ms(blk.block, blk.input_shapes, bare) + 0.020)
