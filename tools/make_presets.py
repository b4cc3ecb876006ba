"""Writes resources/presets/*.json from the recipes below (run after changing a recipe).

The recipes follow the papers and torchvision's model files; each preset's description says which
reading it takes where a paper is ambiguous. ``tests/core/test_presets.py`` checks every preset
against the published figures.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core import io  # noqa: E402
from designer.core.builder import Builder  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "resources" / "presets"

V1_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
             (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
V1_NOTE = ("MobileNetV1 (Howard et al. 2017, Table 1). Table 1 labels the last depthwise layer "
           "stride 2, but the published 569M mult-adds need stride 1 there (a 7×7 map stays 7×7): "
           "this preset takes stride 1. Channels are rounded down (floor) under α, as the "
           "reference implementation. The papers' figures read as rounded to the nearest million "
           "(568.74M gives 569M; truncation would give 568M), except Table 7's 290M at 160 pixels: "
           "this preset gives 290.68M there, which the paper truncated (or mistyped).")


def mobilenet_v1(separable: bool = True):
    name = "MobileNetV1" if separable else "Conv MobileNet"
    desc = V1_NOTE if separable else (
        "MobileNetV1 with every depthwise-separable block replaced by a normal 3×3 convolution, "
        "as the paper compares in Table 4 (29.3M params, 4866M mult-adds). This preset gives "
        "4,867.29M: it counts the final fully connected layer (1.02M mult-adds), as MobileNet's "
        "569M needs; Table 4's 4866M leaves it out (4,866.27M without it). " + V1_NOTE)
    b = Builder(name, rounding="floor", description=desc)
    b.add("conv", "conv1", out_channels=32, kernel=3, stride=2)
    for i, (c, s) in enumerate(V1_BLOCKS, start=2):
        if separable:
            b.add("sepconv", f"sep{i}", out_channels=c, stride=s)
        else:
            b.add("conv", f"conv{i}", out_channels=c, stride=s)
    b.add("gap", "avgpool")
    b.add("linear", "fc", out_features=1000)
    return b.build()


V2_ROWS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
           (6, 160, 3, 2), (6, 320, 1, 1)]


def mobilenet_v2():
    b = Builder("MobileNetV2", description=(
        "MobileNetV2 (Sandler et al. 2018, Table 2), as torchvision builds it. Under α channels "
        "are made divisible by 8 and the last 1×1 conv keeps 1280 channels for α < 1 (1280·α "
        "above 1). The paper's 6.9M parameters for α = 1.4 disagree with its reference "
        "implementation, which this preset reproduces (about 6.1M)."))
    b.add("conv", "conv1", out_channels=32, kernel=3, stride=2, activation="relu6")
    n = 0
    for t, c, reps, s in V2_ROWS:
        for r in range(reps):
            n += 1
            b.add("ir", f"block{n}", out_channels=c, expansion=t, stride=s if r == 0 else 1)
    b.add("conv", "conv_last", width="min_base", out_channels=1280, kernel=1, activation="relu6")
    b.add("gap", "avgpool")
    b.add("dropout", "dropout", p=0.2)
    b.add("linear", "classifier", out_features=1000)
    return b.build()


FIRES = {2: (16, 64, 64), 3: (16, 64, 64), 4: (32, 128, 128), 5: (32, 128, 128),
         6: (48, 192, 192), 7: (48, 192, 192), 8: (64, 256, 256), 9: (64, 256, 256)}


def squeezenet(version: str):
    pools_after = {"1_0": (1, 4, 8), "1_1": (1, 3, 5)}[version]
    b = Builder(f"SqueezeNet {version.replace('_', '.')}", description=(
        "SqueezeNet (Iandola et al. 2016) as torchvision builds it: 224×224 input (the paper "
        "uses 227), biases, no BatchNorm, 3×3 max pools with stride 2 in ceil mode. The final "
        "1×1 conv is the classifier: α never scales it."))
    if version == "1_0":
        b.add("conv", "conv1", out_channels=96, kernel=7, stride=2, padding=0, bias=True, bn=False)
    else:
        b.add("conv", "conv1", out_channels=64, kernel=3, stride=2, padding=0, bias=True, bn=False)
    if 1 in pools_after:
        b.add("maxpool", "pool1", kernel=3, stride=2, ceil_mode=True)
    for i, (s, e1, e3) in FIRES.items():
        b.add("fire", f"fire{i}", squeeze=s, expand1x1=e1, expand3x3=e3)
        if i in pools_after:
            b.add("maxpool", f"pool{i}", kernel=3, stride=2, ceil_mode=True)
    b.add("dropout", "dropout", p=0.5)
    b.add("conv", "conv10", width="fixed", out_channels=1000, kernel=1, padding=0, bias=True,
          bn=False)
    b.add("gap", "avgpool")
    b.add("flatten", "flatten")
    return b.build()


def alexnet():
    b = Builder("AlexNet", description=(
        "AlexNet as torchvision builds it (one tower, 64-192-384-256-256 channels, from "
        "Krizhevsky's 'one weird trick' paper), adaptive average pool to 6×6."))
    b.add("conv", "conv1", out_channels=64, kernel=11, stride=4, padding=2, bias=True, bn=False)
    b.add("maxpool", "pool1", kernel=3, stride=2)
    b.add("conv", "conv2", out_channels=192, kernel=5, padding=2, bias=True, bn=False)
    b.add("maxpool", "pool2", kernel=3, stride=2)
    b.add("conv", "conv3", out_channels=384, bias=True, bn=False)
    b.add("conv", "conv4", out_channels=256, bias=True, bn=False)
    b.add("conv", "conv5", out_channels=256, bias=True, bn=False)
    b.add("maxpool", "pool5", kernel=3, stride=2)
    b.add("gap", "avgpool", output_size=6)
    b.add("dropout", "drop6")
    b.add("linear", "fc6", out_features=4096, activation="relu")
    b.add("dropout", "drop7")
    b.add("linear", "fc7", out_features=4096, activation="relu")
    b.add("linear", "fc8", out_features=1000)
    return b.build()


def vgg16():
    b = Builder("VGG16", description="VGG16 (configuration D), without BatchNorm, as torchvision.")
    for stage, (c, reps) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], start=1):
        for r in range(1, reps + 1):
            b.add("conv", f"conv{stage}_{r}", out_channels=c, bias=True, bn=False)
        b.add("maxpool", f"pool{stage}", kernel=2, stride=2)
    b.add("gap", "avgpool", output_size=7)
    b.add("linear", "fc6", out_features=4096, activation="relu")
    b.add("dropout", "drop6")
    b.add("linear", "fc7", out_features=4096, activation="relu")
    b.add("dropout", "drop7")
    b.add("linear", "fc8", out_features=1000)
    return b.build()


def resnet18():
    b = Builder("ResNet-18", description=(
        "ResNet-18 as torchvision builds it: basic blocks of two 3×3 convs, a 1×1 stride-2 "
        "projection where the shape changes, ReLU after each add."))
    b.add("conv", "conv1", out_channels=64, kernel=7, stride=2)
    x = b.add("maxpool", "maxpool", kernel=3, stride=2, padding=1)
    in_c = 64
    for stage, c in enumerate([64, 128, 256, 512], start=1):
        for i in range(2):
            stride = 2 if stage > 1 and i == 0 else 1
            p = f"layer{stage}.{i}"
            b.add("conv", f"{p}.conv1", inputs=x, out_channels=c, stride=stride)
            y = b.add("conv", f"{p}.conv2", out_channels=c, activation="none")
            shortcut = x
            if stride != 1 or in_c != c:
                shortcut = b.add("conv", f"{p}.downsample", inputs=x, out_channels=c, kernel=1,
                                 stride=stride, padding=0, activation="none")
            x = b.add("add", f"{p}.add", inputs=[y, shortcut], activation="relu")
            in_c = c
    b.add("gap", "avgpool")
    b.add("linear", "fc", out_features=1000)
    return b.build()


INCEPTIONS = [("3a", 64, 96, 128, 16, 32, 32), ("3b", 128, 128, 192, 32, 96, 64), "pool",
              ("4a", 192, 96, 208, 16, 48, 64), ("4b", 160, 112, 224, 24, 64, 64),
              ("4c", 128, 128, 256, 24, 64, 64), ("4d", 112, 144, 288, 32, 64, 64),
              ("4e", 256, 160, 320, 32, 128, 128), "pool2",
              ("5a", 256, 160, 320, 32, 128, 128), ("5b", 384, 192, 384, 48, 128, 128)]


def googlenet():
    b = Builder("GoogLeNet", description=(
        "GoogLeNet (Inception v1) as torchvision builds it, without the auxiliary heads: every "
        "conv has BatchNorm, and the '5×5' branch uses a 3×3 kernel, as torchvision's weights "
        "do. Max pools in ceil mode."))
    bn = dict(bias=False)
    b.add("conv", "conv1", out_channels=64, kernel=7, stride=2, **bn)
    b.add("maxpool", "maxpool1", kernel=3, stride=2, ceil_mode=True)
    b.add("conv", "conv2", out_channels=64, kernel=1, padding=0, **bn)
    b.add("conv", "conv3", out_channels=192, kernel=3, **bn)
    x = b.add("maxpool", "maxpool2", kernel=3, stride=2, ceil_mode=True)
    for spec in INCEPTIONS:
        if spec == "pool":
            x = b.add("maxpool", "maxpool3", inputs=x, kernel=3, stride=2, ceil_mode=True)
            continue
        if spec == "pool2":
            x = b.add("maxpool", "maxpool4", inputs=x, kernel=2, stride=2, ceil_mode=True)
            continue
        n, c1, c3r, c3, c5r, c5, pp = spec
        p = f"inception{n}"
        b1 = b.add("conv", f"{p}.branch1", inputs=x, out_channels=c1, kernel=1, padding=0)
        b.add("conv", f"{p}.branch2a", inputs=x, out_channels=c3r, kernel=1, padding=0)
        b2 = b.add("conv", f"{p}.branch2b", out_channels=c3, kernel=3)
        b.add("conv", f"{p}.branch3a", inputs=x, out_channels=c5r, kernel=1, padding=0)
        b3 = b.add("conv", f"{p}.branch3b", out_channels=c5, kernel=3)
        b.add("maxpool", f"{p}.branch4a", inputs=x, kernel=3, stride=1, padding=1, ceil_mode=True)
        b4 = b.add("conv", f"{p}.branch4b", out_channels=pp, kernel=1, padding=0)
        x = b.add("concat", p, inputs=[b1, b2, b3, b4])
    b.add("gap", "avgpool")
    b.add("dropout", "dropout", p=0.2)
    b.add("linear", "fc", out_features=1000)
    return b.build()


RECIPES = {
    "mobilenet_v1": mobilenet_v1,
    "conv_mobilenet": lambda: mobilenet_v1(separable=False),
    "mobilenet_v2": mobilenet_v2,
    "squeezenet1_0": lambda: squeezenet("1_0"),
    "squeezenet1_1": lambda: squeezenet("1_1"),
    "alexnet": alexnet,
    "vgg16": vgg16,
    "resnet18": resnet18,
    "googlenet": googlenet,
}

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for key, recipe in RECIPES.items():
        io.save(recipe(), OUT / f"{key}.json")
        print(f"wrote {OUT / key}.json")
