import pytest

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.explain import explain


def one(kind, **params):
    b = Builder("t", input_shape=(32, 56, 56))
    b.add(kind, "blk", **params)
    return analyze(b.build()).blocks[0]


def test_separable_ratio_is_one_over_m_plus_one_over_k_squared():
    e = explain(one("sepconv", out_channels=64, bn=False))
    assert "1/M + 1/K² = 1/64 + 1/3² = 0.127" in e.comparison
    assert f"{(903_168 + 6_422_528) / 57_802_752:.3f}× the MACs" in e.comparison
    assert [name for name, _, _ in e.lines] == ["depthwise.conv", "pointwise.conv"]
    assert e.lines[0][2] == "K²·C·H·W = 3²·32·56·56 = 903,168"


def test_normal_conv_compares_to_itself():
    e = explain(one("conv", out_channels=64))
    assert "1.000× the MACs" in e.comparison


def test_invalid_block_says_why():
    b = Builder("t", input_shape=(32, 56, 56))
    b.add("conv", "blk", out_channels=64, groups=5)
    e = explain(analyze(b.build()).blocks[0])
    assert e.lines == () and "groups=5" in e.totals


@pytest.mark.parametrize("kind", ["fire", "ir", "dwconv", "pwconv"])
def test_composites_have_a_comparison(kind):
    assert "normal" in explain(one(kind)).comparison
