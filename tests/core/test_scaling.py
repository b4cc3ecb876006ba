"""α and ρ: what they scale, how they round, and that costs fall by about α² and ρ²."""
import pytest

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.scaling import make_divisible, scale_channels, scaled_resolution


def test_make_divisible_matches_torchvision():
    assert make_divisible(32 * 0.35) == 16        # 11.2 -> 8 is below 90 %, so 16
    assert make_divisible(24 * 0.5) == 16
    assert make_divisible(96 * 0.75) == 72
    assert make_divisible(1280 * 1.4) == 1792


def test_rounding_rules_and_width_rules():
    assert scale_channels(64, 0.75, "floor") == 48
    assert scale_channels(10, 0.5, "floor") == 5
    assert scale_channels(10, 1.0, "divisible8") == 10   # α = 1: widths as drawn
    assert scale_channels(1000, 0.5, "floor", "fixed") == 1000
    assert scale_channels(1280, 0.5, "divisible8", "min_base") == 1280
    assert scale_channels(1280, 1.4, "divisible8", "min_base") == 1792


def test_rho_rounds_to_nearest_pixel():
    assert [scaled_resolution(224, r / 224) for r in (192, 160, 128, 96)] == [192, 160, 128, 96]
    assert scaled_resolution(224, 0.5) == 112


def sep_net(alpha=1.0, rho=1.0):
    b = Builder("sep", input_shape=(3, 224, 224), rounding="floor")
    b.add("conv", "stem", out_channels=32, stride=2, bn=False)
    b.add("sepconv", "s1", out_channels=64, bn=False)
    b.add("sepconv", "s2", out_channels=128, stride=2, bn=False)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build(alpha, rho)


def test_alpha_scales_channels_but_not_image_or_classifier():
    a = analyze(sep_net(alpha=0.5))
    stem, s1, s2, pool, fc = a.blocks
    assert stem.input_shapes == ((3, 224, 224),) and stem.output_shape == (16, 112, 112)
    assert s2.output_shape == (64, 56, 56) and fc.output_shape == (10,)


def test_cost_falls_by_about_alpha_squared_and_rho_squared():
    base = analyze(sep_net())
    half = analyze(sep_net(alpha=0.5))
    # pointwise MACs scale with α², the stem (3 image channels), depthwise and fc only with α
    def macs(a):
        c1, c2, c3 = 32 * a, 64 * a, 128 * a
        return (27 * c1 * 112**2 + 9 * c1 * 112**2 + c1 * c2 * 112**2 + 9 * c2 * 56**2
                + c2 * c3 * 56**2 + c3 * 10)
    assert (base.macs, half.macs) == (macs(1), macs(0.5))
    assert 0.25 < half.macs / base.macs < 0.35
    low = analyze(sep_net(rho=0.5))
    # every conv MAC scales by exactly ρ² when all sizes divide evenly; the fc does not
    conv_macs = lambda a: sum(b.macs for b in a.blocks if b.kind != "linear")  # noqa: E731
    assert conv_macs(low) * 4 == conv_macs(base)
    assert low.params == base.params


def test_stored_design_keeps_base_widths():
    d = sep_net(alpha=0.5)
    analyze(d)
    assert d.nodes["s1"].params["out_channels"] == 64


def test_min_base_and_fixed_nodes():
    b = Builder("x", rounding="divisible8")
    b.add("conv", "a", out_channels=64)
    b.add("conv", "b", out_channels=1280, kernel=1, width="min_base")
    b.add("conv", "c", out_channels=1000, kernel=1, width="fixed")
    d = b.build(alpha=0.5)
    out = [blk.output_shape[0] for blk in analyze(d).blocks]
    assert out == [32, 1280, 1000]
    d.alpha = 1.5
    assert [blk.output_shape[0] for blk in analyze(d).blocks] == [96, 1920, 1000]


@pytest.mark.parametrize("alpha", [0.25, 1.5])
def test_alpha_bounds_analyse(alpha):
    assert analyze(sep_net(alpha=alpha)).ok
