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


@pytest.mark.parametrize("kind,params", [
    ("se", {}), ("shuffle", {"groups": 4}), ("shufflev2", {}), ("shufflev2", {"stride": 2}),
    ("basic", {"planes": 32}), ("basic", {"planes": 48, "stride": 2}),
    ("bottleneck", {"planes": 8}), ("bottleneck", {"planes": 16, "stride": 2}),
    ("ir", {"out_channels": 32, "expanded_channels": 72, "se": "mobilenetv3",
            "activation": "hardswish"}),
    ("conv", {"out_channels": 16, "dilation": 2}), ("dwconv", {"dilation": 3})])
def test_the_formula_panel_fills_in_every_new_kinds_numbers(kind, params):
    """Every conv of the block on a line with its numbers filled in, the lines adding up to the
    block's MACs and parameters but for BatchNorm's 2 per channel; shuffles and SE say what MACs
    leave out."""
    cost = one(kind, **params)
    e = explain(cost)
    convs = [la for la in cost.layers if la.op in ("conv", "linear")]
    assert [name for name, _, _ in e.lines] == [la.name for la in convs]
    last = [(int(p.rsplit("= ", 1)[1].replace(",", "")), int(m.rsplit("= ", 1)[1].replace(",", "")))
            for _, p, m in e.lines]
    assert sum(m for _, m in last) == cost.macs
    bn = sum(la.params for la in cost.layers if la.op == "bn")
    assert sum(p for p, _ in last) == cost.params - bn
    assert f"{cost.params:,} parameters, {cost.macs:,} MACs" in e.totals
    if kind in ("shuffle", "shufflev2"):
        assert any("0 MACs, 0 parameters" in n and "reads and writes all" in n for n in e.notes)
    if params.get("se") or kind == "se":
        assert any(n.startswith("Squeeze-excitation") for n in e.notes)
    if "dilation" in params:
        assert any("dilation" in n for n in e.notes)
