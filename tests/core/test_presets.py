"""Every preset against published figures.

The table in ../shared/reference/published.md is read where it gives the figure; torchvision's
figures for VGG16, ResNet-18 and GoogLeNet are copied here with their source.
"""
import re
from pathlib import Path

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.presets import PRESET_DIR, load_preset, names

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "published.md"

# [TV] torchvision model documentation: num_params, and GFLOPS (which are GMACs) at 224×224.
TORCHVISION = {
    "mobilenet_v2": (3_504_872, 0.30),
    "squeezenet1_0": (1_248_424, 0.82),
    "squeezenet1_1": (1_235_496, 0.35),
    "alexnet": (61_100_840, 0.71),
    "vgg16": (138_357_544, 15.47),       # [TV] VGG16_Weights.IMAGENET1K_V1
    "resnet18": (11_689_512, 1.81),      # [TV] ResNet18_Weights.IMAGENET1K_V1
    "googlenet": (6_624_904, 1.50),      # [TV] GoogLeNet_Weights.IMAGENET1K_V1
}


def stats(name, alpha=1.0, resolution=224):
    d = load_preset(name)
    d.alpha, d.rho = alpha, resolution / 224
    a = analyze(d)
    assert a.ok, a.problems
    return a


def reference_rows():
    """(model, params, MACs) rows of the 'Whole networks' table, if shared/ is beside the repo."""
    if not REFERENCE.exists():
        pytest.skip("shared/reference is not beside this checkout")
    rows = {}
    for line in REFERENCE.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("model", "---"):
            rows[(cells[0], cells[1])] = (cells[2], cells[3])
    return rows


def test_reference_table_is_what_these_tests_copy():
    rows = reference_rows()
    assert rows[("MobileNetV2", "1.0, 224")][0].endswith("3,504,872 (TV)")
    assert rows[("SqueezeNet 1.0", "224")][0] == "1,248,424"
    assert rows[("SqueezeNet 1.1", "224")][0] == "1,235,496"
    assert rows[("AlexNet (torchvision variant)", "224")][0] == "61,100,840"
    assert rows[("MobileNetV1", "alpha 1.0, 224")] == ("4.2M", "569M")


@pytest.mark.parametrize("name", sorted(TORCHVISION))
def test_torchvision_figures_exactly(name):
    params, gmacs = TORCHVISION[name]
    a = stats(name)
    assert a.params == params
    assert round(a.macs / 1e9, 2) == gmacs
    assert a.output_shape == (1000,)


def test_mobilenet_v2_macs_by_hand():
    assert stats("mobilenet_v2").macs == 300_774_272  # STACK.md: 300.774 M by hand


def parse_m(text):
    return [float(v) for v in re.findall(r"[\d.]+", text)]


@pytest.mark.parametrize("alpha,params_m,macs_m", [(1.0, 4.2, 569), (0.75, 2.6, 325),
                                                   (0.5, 1.3, 149), (0.25, 0.5, 41)])
def test_mobilenet_v1_table_6(alpha, params_m, macs_m):
    rows = reference_rows()
    assert params_m in parse_m(rows[("MobileNetV1", "alpha 1.0, 224")][0]
                               + rows[("MobileNetV1", "alpha 0.75 / 0.5 / 0.25, 224")][0])
    a = stats("mobilenet_v1", alpha=alpha)
    assert round(a.params / 1e6, 1) == params_m
    assert round(a.macs / 1e6) == macs_m


@pytest.mark.parametrize("resolution,macs_m", [(192, 418), (160, 290), (128, 186)])
def test_mobilenet_v1_table_7(resolution, macs_m):
    rows = reference_rows()
    assert macs_m in parse_m(rows[("MobileNetV1", "alpha 1.0 at 192 / 160 / 128")][1])
    a = stats("mobilenet_v1", resolution=resolution)
    assert round(a.params / 1e6, 1) == 4.2
    assert abs(a.macs / 1e6 - macs_m) < 1  # the paper truncates 290.7 to 290


def test_mobilenet_v1_last_depthwise_reading():
    # published.md: stride 2 there gives about 534M; the preset takes stride 1 and says so
    d = load_preset("mobilenet_v1")
    assert "stride 1" in d.description
    d.nodes["sep14"].params["stride"] = 2
    assert round(analyze(d).macs / 1e6, -1) == 530


def test_conv_mobilenet_table_4():
    # MobileNets Table 4: Conv MobileNet 29.3M params, 4866M mult-adds
    a = stats("conv_mobilenet")
    assert round(a.params / 1e6, 1) == 29.3
    assert abs(a.macs / 1e6 - 4866) / 4866 < 0.001


def test_mobilenet_v2_width_multipliers_follow_reference_implementation():
    # V2 Table 4 says 6.9M / 585M for 1.4; the reference implementation gives about 6.1M / 582M
    a = stats("mobilenet_v2", alpha=1.4)
    assert round(a.params / 1e6, 1) == 6.1 and round(a.macs / 1e6) == 582
    assert "6.9M" in load_preset("mobilenet_v2").description
    # 1280 kept for α < 1
    half = stats("mobilenet_v2", alpha=0.5)
    assert half.block(load_preset("mobilenet_v2").node_by_name("conv_last").id).output_shape[0] == 1280


def test_every_preset_file_is_valid_and_named():
    assert set(names()) == {"mobilenet_v1", "conv_mobilenet", "mobilenet_v2", "squeezenet1_0",
                            "squeezenet1_1", "alexnet", "vgg16", "resnet18", "googlenet"}
    for path in PRESET_DIR.glob("*.json"):
        d = io.load(path)
        assert analyze(d).ok and d.description and set(d.layout) == set(d.nodes)
