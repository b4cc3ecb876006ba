"""Writes resources/presets/*.json from the recipes below (run after changing a recipe).

The recipes follow the papers and torchvision's model files; each preset's description says which
reading it takes where a paper is ambiguous. ``tests/core/test_presets.py`` checks every preset
against the published figures.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core import io
from designer.core.builder import Builder

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
        "Krizhevsky's 'one weird trick' paper), adaptive average pool to 6×6. Under α the "
        "hidden 4096-wide linear layers scale with the convolutions; the 1000 classes never "
        "do."))
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
    b = Builder("VGG16", description=(
        "VGG16 (configuration D), without BatchNorm, as torchvision. Under α the hidden "
        "4096-wide linear layers scale with the convolutions; the 1000 classes never do."))
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
        "ResNet-18 (He et al. 2016, Table 1) as torchvision builds it: four stages of two basic "
        "blocks (two 3×3 convs, a 1×1 stride-2 projection where the shape changes, ReLU after "
        "each add)."))
    b.add("conv", "conv1", out_channels=64, kernel=7, stride=2)
    b.add("maxpool", "maxpool", kernel=3, stride=2, padding=1)
    for stage, c in enumerate([64, 128, 256, 512], start=1):
        for i in range(2):
            b.add("basic", f"layer{stage}.{i}", planes=c, stride=2 if stage > 1 and i == 0 else 1)
    b.add("gap", "avgpool")
    b.add("linear", "fc", out_features=1000)
    return b.build()


def resnet18_layers():
    """ResNet-18 with each basic block drawn as its convs and add, the skip wires in view."""
    b = Builder("ResNet-18, layer by layer", description=(
        "ResNet-18 as torchvision builds it, each basic block drawn as its parts: two 3×3 convs, "
        "a 1×1 stride-2 projection where the shape changes, and the add with its ReLU, so every "
        "skip connection is a wire. The same network, and the same counts, as the resnet18 "
        "preset's basic blocks."))
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


def resnet50():
    b = Builder("ResNet-50", description=(
        "ResNet-50 (He et al. 2016, Table 1: bottlenecks 3/4/6/3 of widths 64/128/256/512, "
        "output ×4) as torchvision builds it: the stride-2 of each stage's first bottleneck sits "
        "on its 3×3 conv ('ResNet V1.5', 4.09 GMACs; on the first 1×1, as in the paper, it "
        "would be 3.86). Source: torchvision models/resnet.py, ResNet50_Weights.IMAGENET1K_V1."))
    b.add("conv", "conv1", out_channels=64, kernel=7, stride=2)
    b.add("maxpool", "maxpool", kernel=3, stride=2, padding=1)
    for stage, (planes, reps) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)], start=1):
        for i in range(reps):
            b.add("bottleneck", f"layer{stage}.{i}", planes=planes,
                  stride=2 if stage > 1 and i == 0 else 1)
    b.add("gap", "avgpool")
    b.add("linear", "fc", out_features=1000)
    return b.build()


# (kernel, expanded, out, SE, activation, stride) per bneck row: MobileNetV3 Tables 1 and 2,
# as torchvision's _mobilenet_v3_conf writes them (RE = ReLU, HS = hard-swish).
V3_LARGE = [(3, 16, 16, False, "RE", 1), (3, 64, 24, False, "RE", 2), (3, 72, 24, False, "RE", 1),
            (5, 72, 40, True, "RE", 2), (5, 120, 40, True, "RE", 1), (5, 120, 40, True, "RE", 1),
            (3, 240, 80, False, "HS", 2), (3, 200, 80, False, "HS", 1),
            (3, 184, 80, False, "HS", 1), (3, 184, 80, False, "HS", 1),
            (3, 480, 112, True, "HS", 1), (3, 672, 112, True, "HS", 1),
            (5, 672, 160, True, "HS", 2), (5, 960, 160, True, "HS", 1),
            (5, 960, 160, True, "HS", 1)]
V3_SMALL = [(3, 16, 16, True, "RE", 2), (3, 72, 24, False, "RE", 2), (3, 88, 24, False, "RE", 1),
            (5, 96, 40, True, "HS", 2), (5, 240, 40, True, "HS", 1), (5, 240, 40, True, "HS", 1),
            (5, 120, 48, True, "HS", 1), (5, 144, 48, True, "HS", 1),
            (5, 288, 96, True, "HS", 2), (5, 576, 96, True, "HS", 1), (5, 576, 96, True, "HS", 1)]


def mobilenet_v3(size: str):
    rows, last_channel = (V3_LARGE, 1280) if size == "large" else (V3_SMALL, 1024)
    b = Builder(f"MobileNetV3-{size.capitalize()}", description=(
        f"MobileNetV3-{size.capitalize()} (Howard et al. 2019, Table {1 if size == 'large' else 2}) "
        "as torchvision builds it (models/mobilenetv3.py, "
        f"MobileNet_V3_{size.capitalize()}_Weights.IMAGENET1K_V1): bnecks are inverted residuals "
        "with the expanded width given, squeeze-and-excitation after the depthwise squeezing to "
        "_make_divisible(expanded // 4, 8) with a hard-sigmoid gate, ReLU or hard-swish. Under "
        "α every width, the hidden "
        f"{last_channel} of the classifier included, is made divisible by 8 (torchvision's "
        "width_mult)."))
    b.add("conv", "features.0", out_channels=16, kernel=3, stride=2, activation="hardswish")
    for i, (k, exp, out, se, nl, s) in enumerate(rows, start=1):
        b.add("ir", f"features.{i}", out_channels=out, expanded_channels=exp, kernel=k, stride=s,
              activation={"RE": "relu", "HS": "hardswish"}[nl],
              se="mobilenetv3" if se else "none")
    b.add("conv", f"features.{len(rows) + 1}", out_channels=6 * rows[-1][2], kernel=1,
          activation="hardswish")
    b.add("gap", "avgpool")
    b.add("linear", "classifier.0", out_features=last_channel, activation="hardswish")
    b.add("dropout", "classifier.2", p=0.2)
    b.add("linear", "classifier.3", out_features=1000)
    return b.build()


# (expand ratio, kernel, stride, out channels, layers) per stage: EfficientNet-B0, Table 1.
B0_STAGES = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
             (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]


def efficientnet_b0():
    b = Builder("EfficientNet-B0", description=(
        "EfficientNet-B0 (Tan & Le 2019, Table 1) as torchvision builds it (models/"
        "efficientnet.py, EfficientNet_B0_Weights.IMAGENET1K_V1): MBConv blocks are inverted "
        "residuals with swish (SiLU) and squeeze-and-excitation after the depthwise, squeezing "
        "to max(1, C_in // 4) of the block's input with a sigmoid gate. Stochastic depth is the "
        "identity at inference. Under α widths are made divisible by 8 (torchvision's "
        "width_mult; depth stays B0's)."))
    b.add("conv", "features.0", out_channels=32, kernel=3, stride=2, activation="swish")
    for stage, (t, k, s, out, reps) in enumerate(B0_STAGES, start=1):
        for i in range(reps):
            b.add("ir", f"features.{stage}.{i}", out_channels=out, expansion=t, kernel=k,
                  stride=s if i == 0 else 1, activation="swish", se="efficientnet")
    b.add("conv", "features.8", out_channels=1280, kernel=1, activation="swish")
    b.add("gap", "avgpool")
    b.add("dropout", "classifier.0", p=0.2)
    b.add("linear", "classifier.1", out_features=1000)
    return b.build()


def shufflenet_v2():
    b = Builder("ShuffleNetV2 1.0×", description=(
        "ShuffleNetV2 1.0× (Ma et al. 2018, Table 5: stages of 4, 8 and 4 units, widths "
        "116/232/464, conv5 1024) as torchvision builds it (models/shufflenetv2.py, "
        "ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1); each stage starts with a stride-2 unit "
        "whose two branches both downsample. The paper's other sizes change the stage widths "
        "(0.5×: 48/96/192): here α scales them, made divisible by 8, and conv5 keeps 1024 for "
        "α ≤ 1."))
    b.add("conv", "conv1", out_channels=24, kernel=3, stride=2)
    b.add("maxpool", "maxpool", kernel=3, stride=2, padding=1)
    for stage, (c, reps) in enumerate([(116, 4), (232, 8), (464, 4)], start=2):
        for i in range(reps):
            b.add("shufflev2", f"stage{stage}.{i}", out_channels=c, stride=2 if i == 0 else 1)
    b.add("conv", "conv5", width="min_base", out_channels=1024, kernel=1)
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
    bn = {"bias": False}
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
    "resnet18_layers": resnet18_layers,
    "googlenet": googlenet,
    "resnet50": resnet50,
    "mobilenet_v3_small": lambda: mobilenet_v3("small"),
    "mobilenet_v3_large": lambda: mobilenet_v3("large"),
    "efficientnet_b0": efficientnet_b0,
    "shufflenet_v2_x1_0": shufflenet_v2,
}

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for key, recipe in RECIPES.items():
        io.save(recipe(), OUT / f"{key}.json")
        print(f"wrote {OUT / key}.json")
