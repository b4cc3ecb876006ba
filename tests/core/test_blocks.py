"""Each block's cost against its paper's formulas (MobileNets, SqueezeNet, MobileNetV2, ...),
worked by hand."""
import dataclasses

import pytest

import blocks
from blocks import BlockError
from blocks.registry import register

X = (32, 56, 56)


def totals(kind, inputs=(X,), **params):
    layers = blocks.get(kind).from_params(params).layers(list(inputs))
    return (sum(la.params for la in layers), sum(la.macs for la in layers), layers[-1].output)


def test_normal_conv_k2_c_m_h_w():
    # params K²·C·M = 9·32·64 = 18,432; MACs K²·C·M·H·W = 18,432·56·56
    assert totals("conv", out_channels=64, bn=False) == (18_432, 57_802_752, (64, 56, 56))
    # BatchNorm adds scale and shift, 2·M
    assert totals("conv", out_channels=64)[0] == 18_432 + 128


def test_grouped_conv_divides_by_g():
    assert totals("conv", out_channels=64, groups=4, bn=False) == (4_608, 14_450_688, (64, 56, 56))


def test_depthwise_k2_c_h_w():
    assert totals("dwconv", bn=False) == (288, 903_168, X)


def test_pointwise_c_m_h_w():
    assert totals("pwconv", out_channels=64, bn=False) == (2_048, 6_422_528, (64, 56, 56))


def test_separable_is_c_h_w_k2_plus_m_and_ratio():
    params, macs, out = totals("sepconv", out_channels=64, bn=False)
    assert macs == 32 * 56 * 56 * (9 + 64) == 7_325_696
    normal = totals("conv", out_channels=64, bn=False)[1]
    assert macs / normal == pytest.approx(1 / 64 + 1 / 9)


def test_fire_module():
    # (96·16 + 16) + (16·64 + 64) + (9·16·64 + 64); MACs 55²·(96·16 + 16·64 + 9·16·64)
    params, macs, out = totals("fire", inputs=[(96, 55, 55)], squeeze=16, expand1x1=64,
                               expand3x3=64)
    assert (params, macs, out) == (11_920, 35_622_400, (128, 55, 55))


def test_inverted_residual_seed_formula():
    # h·w·d'·t·(d' + k² + d'') = 56·56·24·6·(24 + 9 + 24)
    params, macs, out = totals("ir", inputs=[(24, 56, 56)], out_channels=24, expansion=6)
    assert macs == 25_740_288
    assert params == 24 * 144 + 9 * 144 + 144 * 24 + 2 * (144 + 144 + 24)
    layers = blocks.get("ir")(out_channels=24).layers([(24, 56, 56)])
    assert layers[-1].op == "add"
    assert all(la.op != "act" for la in layers if la.name.startswith("project"))


def test_inverted_residual_has_residual_only_when_legal():
    def ops(inp, **p):
        return [la.op for la in blocks.get("ir").from_params(p).layers([inp])]
    assert "add" not in ops((24, 56, 56), out_channels=24, stride=2)
    assert "add" not in ops((16, 56, 56), out_channels=24)
    assert "add" not in ops((24, 56, 56), out_channels=24, residual=False)
    assert ops((32, 56, 56), out_channels=16, expansion=1)[0] == "conv"
    assert len([o for o in ops((32, 56, 56), out_channels=16, expansion=1) if o == "conv"]) == 2


def test_linear_flattens_and_counts_bias_in_params_not_macs():
    params, macs, out = totals("linear", inputs=[(1024, 1, 1)], out_features=1000)
    assert (params, macs, out) == (1_025_000, 1_024_000, (1000,))


def test_pooling_shapes_follow_pytorch():
    assert totals("maxpool", inputs=[(8, 112, 112)], kernel=3, stride=2)[2] == (8, 55, 55)
    assert totals("maxpool", inputs=[(8, 112, 112)], kernel=3, stride=2, ceil_mode=True)[2] == (8, 56, 56)
    # ceil mode never starts a window in the right padding: 14 -> 7 (k2 s2), 13 -> 7
    assert totals("maxpool", inputs=[(8, 13, 13)], kernel=2, stride=2, ceil_mode=True)[2] == (8, 7, 7)
    assert totals("gap", inputs=[(8, 13, 13)])[2] == (8, 1, 1)
    assert totals("gap", inputs=[(8, 13, 13)], output_size=6)[2] == (8, 6, 6)


def test_add_and_concat():
    a = blocks.get("add")().layers([X, X])
    assert a[-1].output == X and a[0].other_ops == 32 * 56 * 56
    c = blocks.get("concat")().layers([X, (16, 56, 56)])
    assert c[-1].output == (48, 56, 56)
    with pytest.raises(BlockError, match="one shape"):
        blocks.get("add")().layers([X, (16, 56, 56)])
    with pytest.raises(BlockError, match="one height and width"):
        blocks.get("concat")().layers([X, (16, 28, 28)])
    with pytest.raises(BlockError, match="at least 2 inputs"):
        blocks.get("add")().layers([X])


def test_other_ops_are_kept_apart_from_macs():
    layers = blocks.get("conv")(out_channels=8).layers([(4, 10, 10)])
    conv, bn, act = layers
    assert bn.macs == 0 and bn.other_ops == 2 * 800 and act.other_ops == 800
    assert bn.params == 16 and bn.buffers == 16


def test_bad_values_name_their_field():
    with pytest.raises(BlockError) as err:
        blocks.get("conv").from_params({"kernel": "3"})
    assert err.value.field == "kernel"
    with pytest.raises(BlockError) as err:
        blocks.get("conv").from_params({"out_channels": 0})
    assert err.value.field == "out_channels" and "at least 1" in str(err.value)
    with pytest.raises(BlockError) as err:
        blocks.get("conv").from_params({"activation": "gelu"})
    assert err.value.field == "activation"
    with pytest.raises(BlockError) as err:
        blocks.get("conv").from_params({"bias": 1})
    assert err.value.field == "bias"
    with pytest.raises(BlockError) as err:
        blocks.get("conv").from_params({"kernal": 3})
    assert err.value.field == "kernal"
    with pytest.raises(BlockError) as err:
        blocks.get("conv")(out_channels=64, groups=3).layers([X])
    assert err.value.field == "groups"
    with pytest.raises(BlockError) as err:
        blocks.get("nope")
    assert err.value.field == "kind"


def test_registry_refuses_a_duplicate_kind():
    with pytest.raises(ValueError, match="registered twice"):
        @register("conv", colour="#000000")
        @dataclasses.dataclass(frozen=True)
        class Other(blocks.Block):
            pass


@pytest.mark.parametrize("kind", sorted(blocks.BLOCKS))
def test_every_kind_has_defaults_that_build_on_a_map(kind):
    cls = blocks.get(kind)
    n = max(cls.min_inputs, 1)
    layers = cls().layers([X] * n)
    assert layers and all(la.params >= 0 and la.macs >= 0 for la in layers)
    assert cls.title and cls.summary and cls.__doc__
    for la in layers:
        p, m = la.formulas()
        assert p and m


def test_formulas_show_the_numbers():
    conv, = [la for la in blocks.get("fire")().layers([(96, 55, 55)]) if la.name == "squeeze.conv"]
    assert conv.formulas() == ("K²·C·M + M = 1²·96·16 + 16 = 1,552",
                               "K²·C·M·H·W = 1²·96·16·55·55 = 4,646,400")
    dw = blocks.get("dwconv")().layers([X])[0]
    assert dw.formulas() == ("K²·C = 3²·32 = 288", "K²·C·H·W = 3²·32·56·56 = 903,168")
    fc = blocks.get("linear")().layers([(1024,)])[0]
    assert fc.formulas() == ("F·M + M = 1024·1000 + 1000 = 1,025,000",
                             "F·M = 1024·1000 = 1,024,000")


def test_registry_refuses_a_colour_that_is_not_rgb_hex():
    with pytest.raises(ValueError, match="'#rrggbb'.*'grey'"):
        register("nocolour", colour="grey")
    assert "nocolour" not in blocks.BLOCKS


def test_palette_shows_kinds_in_registration_order_with_their_presets():
    kinds = [k for k, _ in blocks.palette_entries()]
    assert kinds[:4] == ["conv", "conv", "conv", "dwconv"] and kinds[-2:] == ["add", "concat"]
    grouped = [e for k, e in blocks.palette_entries() if e.label == "Grouped conv"]
    assert [e.params for e in grouped] == [{"groups": 4}]
    dilated = [e for k, e in blocks.palette_entries() if e.label == "Dilated conv"]
    assert [e.params for e in dilated] == [{"dilation": 2}]
