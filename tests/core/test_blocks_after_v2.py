"""The blocks after MobileNetV2 (SE, shuffle, ShuffleNetV2 unit, ResNet basic and bottleneck,
dilation, the new activations) against hand-worked formulas, shape rules at odd sizes and stride
2, their errors, and α as torchvision's width_mult."""
import pytest

import blocks
from blocks import BlockError
from blocks.shape import make_divisible
from designer.core.scaling import scaled_block


def expand(kind, shape, **params):
    return blocks.get(kind).from_params(params).expand([shape])


def by_name(ex, name):
    return next(la for la in ex.layers if la.name == name)


# -- squeeze-and-excitation ---------------------------------------------------------------------
def test_se_counts_biases_1x1_macs_and_pool_and_multiply_as_other_ops():
    ex = expand("se", (96, 13, 13))          # s = make_divisible(96·0.25, 8) = 24
    assert ex.params == 96 * 24 + 24 + 24 * 96 + 96 == 4_728
    assert ex.macs == 2 * 96 * 24 == 4_608
    # pool reads every element, ReLU on 24, gate on 96, multiply on every element
    assert ex.other_ops == 96 * 169 + 24 + 96 + 96 * 169
    assert ex.layers[-1].output == (96, 13, 13) and ex.layers[-1].op == "mul"
    # the pooled vector, the squeezed vector, the scale tensor (C×1×1) and the rescaled map
    assert ex.materialized == 96 + 24 + 96 + 96 * 169
    assert by_name(ex, "fc2").output == (96, 1, 1)
    assert [la.attr("function") for la in ex.layers if la.op == "act"] == ["relu", "sigmoid"]


def test_se_squeeze_width_rules():
    # MobileNetV3: _make_divisible(C // 4, 8), at most 10 % down: 72 -> 18 -> 24, 120 -> 32
    assert blocks.get("se")().squeeze_channels(72) == 24
    assert blocks.get("se")().squeeze_channels(120) == 32
    # EfficientNet: max(1, C // 4)
    efficient = blocks.get("se")(divisor=1)
    assert efficient.squeeze_channels(30) == 7 and efficient.squeeze_channels(3) == 1


def test_se_keeps_any_spatial_size_and_stride_has_no_meaning():
    assert expand("se", (40, 1, 1)).layers[-1].output == (40, 1, 1)
    assert expand("se", (40, 7, 9)).layers[-1].output == (40, 7, 9)
    with pytest.raises(BlockError):
        blocks.get("se")().expand([(1000,)])


def test_ir_with_mobilenetv3_se_by_hand_at_stride_2_and_odd_size():
    ex = expand("ir", (24, 27, 27), out_channels=40, expanded_channels=72, kernel=5, stride=2,
                se="mobilenetv3", activation="hardswish")
    ho = (27 + 2 * 2 - 5) // 2 + 1
    assert ho == 14 and ex.layers[-1].output == (40, 14, 14)
    s = 24                                   # _make_divisible(72 // 4, 8)
    assert ex.params == (24 * 72 + 25 * 72 + 2 * 72 * s + s + 72 + 72 * 40
                         + 2 * (72 + 72 + 40))
    assert ex.macs == 24 * 72 * 27 * 27 + 25 * 72 * 14 * 14 + 2 * 72 * s + 72 * 40 * 14 * 14
    names = [la.name for la in ex.layers]
    assert names.index("se.scale") < names.index("project.conv")      # after the depthwise
    assert names.index("depthwise.act") < names.index("se.avgpool")
    assert by_name(ex, "se.scale_activation").attr("function") == "hardsigmoid"
    assert by_name(ex, "se.activation").attr("function") == "relu"
    assert by_name(ex, "expand.act").attr("function") == "hardswish"


def test_ir_with_efficientnet_se_squeezes_the_blocks_input():
    ex = expand("ir", (16, 15, 15), out_channels=16, expansion=6, se="efficientnet",
                activation="swish")
    assert by_name(ex, "se.fc1").output == (4, 1, 1)        # max(1, 16 // 4)
    assert by_name(ex, "se.activation").attr("function") == "swish"
    assert by_name(ex, "se.scale_activation").attr("function") == "sigmoid"
    assert ex.layers[-1].op == "add"
    # MBConv by hand: h·w·C·t·(C + K² + M) + the SE's 2·C·t·s
    assert ex.macs == 15 * 15 * 16 * 6 * (16 + 9 + 16) + 2 * 96 * 4


def test_ir_without_expansion_conv_when_the_hidden_width_is_the_input():
    ex = expand("ir", (16, 112, 112), out_channels=16, expanded_channels=16, stride=2,
                se="mobilenetv3", activation="relu")
    assert [la.name for la in ex.layers if la.op == "conv"] == [
        "depthwise.conv", "se.fc1", "se.fc2", "project.conv"]
    assert by_name(ex, "se.fc1").output == (8, 1, 1)        # _make_divisible(16 // 4, 8)


# -- channel shuffle ------------------------------------------------------------------------------
def test_shuffle_costs_no_arithmetic_but_a_new_tensor():
    ex = expand("shuffle", (24, 7, 7), groups=3)
    assert (ex.params, ex.macs, ex.other_ops) == (0, 0, 0)
    assert ex.layers[-1].output == (24, 7, 7) and ex.materialized == 24 * 49


def test_shuffle_groups_must_divide_the_channels():
    with pytest.raises(BlockError) as err:
        expand("shuffle", (24, 7, 7), groups=5)
    assert err.value.field == "groups" and "24" in err.value.message


# -- ShuffleNetV2 unit ------------------------------------------------------------------------
def test_shufflev2_stride_1_by_hand():
    ex = expand("shufflev2", (116, 28, 28), out_channels=116)
    b = 58
    assert ex.macs == 28 * 28 * b * (2 * b + 9)
    assert ex.params == 2 * b * b + 9 * b + 2 * 3 * b
    assert ex.layers[-1].op == "shuffle" and ex.layers[-1].output == (116, 28, 28)
    # the split halves are views; the passed-through half is never copied before the concat
    assert [la.op for la in ex.layers[:2]] == ["slice", "slice"]
    assert all(la.inplace for la in ex.layers[:2])


def test_shufflev2_stride_2_both_branches_downsample_odd_size():
    ex = expand("shufflev2", (24, 57, 57), out_channels=116, stride=2)
    ho = (57 + 2 - 3) // 2 + 1
    assert ho == 29 and ex.layers[-1].output == (116, 29, 29)
    b = 58
    assert ex.macs == (9 * 24 * ho * ho + 24 * b * ho * ho             # branch 1
                       + 24 * b * 57 * 57 + 9 * b * ho * ho + b * b * ho * ho)  # branch 2
    assert ex.params == 9 * 24 + 24 * b + 24 * b + 9 * b + b * b + 2 * (24 + 4 * b)


def test_shufflev2_output_width_defaults_and_errors():
    assert expand("shufflev2", (48, 8, 8)).layers[-1].output == (48, 8, 8)
    assert expand("shufflev2", (48, 8, 8), stride=2).layers[-1].output == (96, 4, 4)
    with pytest.raises(BlockError) as err:
        expand("shufflev2", (48, 8, 8), out_channels=64)
    assert err.value.field == "out_channels" and "48" in err.value.message
    with pytest.raises(BlockError) as err:
        expand("shufflev2", (48, 8, 8), out_channels=63, stride=2)
    assert err.value.field == "out_channels" and "even" in err.value.message


# -- ResNet blocks --------------------------------------------------------------------------------
def test_basic_block_with_projection_by_hand_odd_size():
    ex = expand("basic", (64, 57, 57), planes=128, stride=2)
    assert ex.layers[-1].output == (128, 29, 29)
    assert ex.params == 9 * 64 * 128 + 9 * 128 * 128 + 64 * 128 + 2 * 3 * 128
    assert ex.macs == (9 * 64 * 128 + 9 * 128 * 128 + 64 * 128) * 29 * 29
    assert [la.name for la in ex.layers][-3:] == ["downsample.1", "add", "relu"]


def test_basic_block_identity_shortcut_has_no_projection():
    ex = expand("basic", (64, 56, 56), planes=64)
    assert ex.macs == 2 * 9 * 64 * 64 * 56 * 56
    assert not any(la.name.startswith("downsample") for la in ex.layers)


def test_bottleneck_by_hand():
    ex = expand("bottleneck", (256, 14, 14), planes=64)
    assert ex.layers[-1].output == (256, 14, 14)
    assert ex.params == 256 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256)
    assert ex.macs == (256 * 64 + 9 * 64 * 64 + 64 * 256) * 14 * 14
    proj = expand("bottleneck", (64, 15, 15), planes=64, stride=2)
    assert proj.layers[-1].output == (256, 8, 8)
    assert by_name(proj, "conv1").output == (64, 15, 15)   # stride on the 3×3 (V1.5)
    assert by_name(proj, "conv2").output == (64, 8, 8)
    assert proj.macs == 64 * 64 * 225 + (9 * 64 * 64 + 64 * 256 + 64 * 256) * 64
    assert expand("bottleneck", (32, 8, 8), planes=16, expansion=2).layers[-1].output == (32, 8, 8)


# -- dilation and activations ---------------------------------------------------------------------
def test_dilation_shape_rule_and_same_cost():
    same = expand("conv", (16, 13, 13), out_channels=8, dilation=2, stride=2)
    assert same.layers[0].attr("padding") == 2 and same.layers[-1].output == (8, 7, 7)
    assert same.macs == expand("conv", (16, 13, 13), out_channels=8, stride=2).macs
    valid = expand("conv", (16, 13, 13), out_channels=8, dilation=2, padding=0)
    assert valid.layers[-1].output == (8, 9, 9)                 # 13 − 2·(3−1)
    dw = expand("dwconv", (16, 13, 13), kernel=5, dilation=3)
    assert dw.layers[-1].output == (16, 13, 13) and dw.macs == 25 * 16 * 169
    with pytest.raises(BlockError) as err:
        expand("conv", (16, 5, 5), kernel=3, dilation=4, padding=0)
    assert "dilated" in err.value.message


@pytest.mark.parametrize("function", ["hardswish", "hardsigmoid", "swish"])
def test_every_activation_field_offers_the_new_functions(function):
    for kind, spec in [(k, s) for k, cls in blocks.BLOCKS.items() for s in cls.specs()
                       if s.name == "activation"]:
        assert function in spec.choices, kind
    ex = expand("conv", (3, 8, 8), out_channels=4, activation=function)
    assert ex.layers[-1].attr("function") == function and ex.layers[-1].other_ops == 4 * 64


# -- α ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", [0.75, 0.5, 0.35])
def test_alpha_scales_the_new_blocks_as_width_mult(alpha):
    def scaled(kind, **params):
        return scaled_block(blocks.get(kind).from_params(params), alpha, "divisible8")

    ir = scaled("ir", out_channels=40, expanded_channels=72, se="mobilenetv3")
    assert ir.expanded_channels == make_divisible(72 * alpha) and ir.out_channels == make_divisible(40 * alpha)
    c = make_divisible(24 * alpha)
    fc1 = by_name(ir.expand([(c, 28, 28)]), "se.fc1")
    assert fc1.output[0] == make_divisible(ir.expanded_channels // 4)   # from the scaled width
    assert scaled("ir", out_channels=24).expanded_channels == 0         # still C·t
    assert scaled("shufflev2", out_channels=116).out_channels == make_divisible(116 * alpha)
    assert scaled("shufflev2").out_channels == 0                        # still 'as the input'
    assert scaled("basic", planes=64).planes == make_divisible(64 * alpha)
    bottleneck = scaled("bottleneck", planes=64)
    assert bottleneck.planes == make_divisible(64 * alpha) and bottleneck.expansion == 4
    assert scaled("se") == blocks.get("se")()                            # follows its input
    assert scaled("shuffle", groups=4).groups == 4
    assert scaled("linear", out_features=1280, hidden=True).out_features == make_divisible(1280 * alpha)
    assert scaled("linear", out_features=1000).out_features == 1000


def test_floor_rounding_can_make_a_shufflev2_width_odd_and_says_so():
    unit = scaled_block(blocks.get("shufflev2")(out_channels=116, stride=2), 0.75, "floor")
    assert unit.out_channels == 87
    with pytest.raises(BlockError) as err:
        unit.expand([(24, 56, 56)])
    assert err.value.field == "out_channels"
