"""Receptive field and jump per block, against published values and by hand."""
import pytest

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset


def fields(preset):
    a = analyze(load_preset(preset))
    return {b.name: (b.receptive_field, b.jump) for b in a.blocks}, a


def test_vgg16_conv5_3_and_pool5():
    # google-research/receptive_field README (Araujo, Norris & Sim, "Computing Receptive Fields
    # of Convolutional Neural Networks", Distill 2019): vgg_16, receptive field 212, effective
    # stride 32 (its last feature layer, pool5). conv5_3 = 212 − (2−1)·16 = 196, jump 16.
    f, _ = fields("vgg16")
    assert f["pool5"] == (212, 32)
    assert f["conv5_3"] == (196, 16)
    assert f["conv1_1"] == (3, 1) and f["pool1"] == (6, 2)


def test_alexnet_pool5():
    # google-research/receptive_field README (Araujo et al., Distill 2019): alexnet_v2,
    # receptive field 195, effective stride 32. torchvision's variant has the same kernels and
    # strides up to pool5 (11 s4, pool 3 s2, 5, pool 3 s2, 3, 3, 3, pool 3 s2).
    f, _ = fields("alexnet")
    assert f["pool5"] == (195, 32)
    assert f["conv1"] == (11, 4)


def test_resnet18_last_block():
    # samson-wang, "ResNet Receptive Field Size" (GitHub gist a6073c18f2adf16e0ab5fb95b53db3e6):
    # resnet18 conv1 7, maxpool 11, layer1 43, layer2 99, layer3 211, layer4 435.
    f, _ = fields("resnet18_layers")
    assert f["conv1"][0] == 7 and f["maxpool"][0] == 11
    assert f["layer1.1.add"][0] == 43 and f["layer2.1.add"][0] == 99
    assert f["layer3.1.add"][0] == 211
    assert f["layer4.1.add"] == (435, 32)


def test_resnet18_of_basic_blocks_has_the_same_fields():
    f, _ = fields("resnet18")
    assert [f[f"layer{i}.1"][0] for i in range(1, 5)] == [43, 99, 211, 435]
    assert f["layer4.1"] == (435, 32)


def test_a_block_with_several_inputs_takes_the_largest_field():
    f, _ = fields("resnet18_layers")
    assert f["layer4.0.downsample"] == (211, 32)    # 1×1 stride 2 adds nothing to the field
    assert f["layer4.0.conv2"] == (307, 32)
    assert f["layer4.0.add"] == (307, 32)


def test_global_pool_and_what_follows_see_the_whole_image():
    f, a = fields("resnet18_layers")
    pool = next(b for b in a.blocks if b.name == "avgpool")
    fc = next(b for b in a.blocks if b.name == "fc")
    assert pool.field.whole and fc.field.whole
    assert pool.receptive_field == 435 + (7 - 1) * 32
    assert pool.field.covers(a.input_shape)


def test_covers_the_image_where_the_field_reaches_its_size():
    b = Builder("chain", (3, 15, 15))
    for i in range(8):
        b.add("conv", f"c{i}", out_channels=4)
    a = analyze(b.build())
    sizes = [x.receptive_field for x in a.blocks]
    assert sizes == [3, 5, 7, 9, 11, 13, 15, 17]
    assert [x.field.covers(a.input_shape) for x in a.blocks] == [False] * 6 + [True] * 2


def test_inside_a_block_each_layer_has_its_own_field():
    from designer.core.receptive_field import block_fields, input_field
    b = Builder("ir", (16, 32, 32))
    b.add("ir", "ir", out_channels=16, stride=2, kernel=5)
    a = analyze(b.build())
    cost = a.blocks[0]
    by_layer = dict(block_fields(cost.layers, [input_field(a.input_shape)]))
    assert by_layer["expand.conv"].size == 1
    assert (by_layer["depthwise.conv"].size, by_layer["depthwise.conv"].jump) == (5, 2)
    assert by_layer["project.conv"].size == 5


def test_stats_json_has_field_and_jump(tmp_path):
    d = analyze(load_preset("vgg16")).to_dict()
    pool5 = next(b for b in d["blocks"] if b["name"] == "pool5")
    assert (pool5["receptive_field"], pool5["jump"], pool5["sees_whole_image"]) == (212, 32, False)


@pytest.mark.parametrize("rho", [0.5, 1.0])
def test_field_does_not_depend_on_resolution_but_coverage_does(rho):
    design = load_preset("vgg16")
    design.rho = rho
    a = analyze(design)
    pool5 = next(b for b in a.blocks if b.name == "pool5")
    assert pool5.receptive_field == 212
    assert pool5.field.covers(a.input_shape) is (rho == 0.5)


def test_squeeze_excitation_sees_the_whole_image_but_keeps_the_maps_jump():
    """The SE's pooled scale is broadcast back over the map: each output element sees the whole
    input, but outputs stay as far apart as the map's (the pool's jump is the scale vector's)."""
    f, a = fields("mobilenet_v3_small")
    # stem 3×3 s2: 3, jump 2; features.1's 3×3 depthwise s2: 3 + 2·2 = 7, jump 4; its SE pools
    # the 56×56 map: 7 + 55·4 = 227, every element of the rescaled map sees all of it
    assert f["features.1"] == (227, 4)
    assert next(b for b in a.blocks if b.name == "features.1").field.whole
    # the strides of MobileNetV3-Small's body: 2, 2, 2, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1 → 32
    assert f["features.3"][1] == 8 and f["features.8"][1] == 16 and f["features.12"][1] == 32
    b0, _ = fields("efficientnet_b0")
    assert b0["features.8"][1] == 32
    alone = Builder("se", (8, 9, 9))
    alone.add("conv", "c", out_channels=8, stride=2)
    alone.add("se", "se")
    alone.add("conv", "after", out_channels=8)
    g = {b.name: (b.receptive_field, b.jump) for b in analyze(alone.build()).blocks}
    # conv: 3, jump 2 on a 5×5 map; SE: 3 + 4·2 = 11; the 3×3 after it: 11 + 2·2 = 15
    assert g == {"c": (3, 2), "se": (11, 2), "after": (15, 2)}
