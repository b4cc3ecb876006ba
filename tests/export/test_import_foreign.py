"""Models ConvSketch never made, written here in plain PyTorch as people write them (torchvision's
shapes: a ResNet with projection shortcuts, a MobileNetV2, a SqueezeNet), exported with plain
``torch.onnx.export`` and imported: MACs equal fvcore's convolution + linear count of the same
torch model, the output shape is the model's, and the blocks are recognised (traced from the
module, where BatchNorm is not folded away)."""
import warnings
from collections import Counter

import pytest
import torch
from fvcore import nn as fvcore_nn  # the "bench" extra, which CI and the README's install hold
from torch import nn

from designer.core.analysis import analyze
from designer.core.groups import design_groups
from designer.importers.load import import_model
from designer.importers.recognise import to_design
from designer.importers.torch_trace import graph_from_module


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class SmallResNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(16, 16, 1), BasicBlock(16, 16, 1))
        self.layer2 = nn.Sequential(BasicBlock(16, 32, 2), BasicBlock(32, 32, 1))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.ReLU6(inplace=True)) if act else nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hidden = cin * t
        self.use_res_connect = stride == 1 and cin == cout
        layers = [conv_bn(cin, hidden, 1)] if t != 1 else []
        layers += [conv_bn(hidden, hidden, 3, stride, hidden), conv_bn(hidden, cout, 1, act=False)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class SmallMobileNetV2(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        cfg = [(1, 16, 1), (6, 24, 2), (6, 24, 1), (6, 32, 2), (6, 32, 1)]
        layers, cin = [conv_bn(3, 32, 3, 2)], 32
        for t, c, s in cfg:
            layers.append(InvertedResidual(cin, c, s, t))
            cin = c
        layers.append(conv_bn(cin, 128, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(128, classes))

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class Fire(nn.Module):
    def __init__(self, cin, s, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, s, 1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(s, e1, 1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(s, e3, 3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat([self.expand1x1_activation(self.expand1x1(x)),
                          self.expand3x3_activation(self.expand3x3(x))], 1)


class SmallSqueezeNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, ceil_mode=True), Fire(32, 8, 32, 32), Fire(64, 8, 32, 32),
            nn.MaxPool2d(3, 2, ceil_mode=True), Fire(64, 16, 48, 48))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(96, classes, 1),
                                        nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


MODELS = {
    "resnet": (SmallResNet, Counter(basic=4, conv=1, maxpool=1, gap=1, linear=1)),
    "mobilenetv2": (SmallMobileNetV2, Counter(ir=5, conv=2, gap=1, flatten=1, dropout=1,
                                              linear=1)),
    "squeezenet": (SmallSqueezeNet, Counter(fire=3, maxpool=2, conv=2, dropout=1, gap=1,
                                            flatten=1)),
}
SHAPE = (3, 64, 64)
GROUPS = {"resnet": "layer2", "mobilenetv2": "features", "squeezenet": "features"}
"""A group each model's module paths give the canvas (blocks sharing a dotted prefix)."""


def fvcore_macs(model):
    counter = fvcore_nn.FlopCountAnalysis(model, torch.zeros(1, *SHAPE))
    counter.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    by_op = counter.by_operator()
    return by_op.get("conv", 0) + by_op.get("linear", 0)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_foreign_model_imports_from_onnx_with_fvcores_macs(tmp_path, name):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cls, expected_kinds = MODELS[name]
    model = cls().eval()
    path = tmp_path / f"{name}.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, *SHAPE),), str(path), dynamo=False)
    design = import_model(path)
    a = analyze(design)
    assert a.macs == fvcore_macs(model)
    assert {GROUPS[name]} <= set(design_groups(design))
    assert a.output_shape == tuple(model(torch.zeros(1, *SHAPE)).shape[1:])
    traced = analyze(to_design(graph_from_module(model, SHAPE, f"{name}.py")))
    assert Counter(b.kind for b in traced.blocks) == expected_kinds
    assert traced.macs == a.macs
    assert traced.params == sum(p.numel() for p in model.parameters())


def test_dynamo_exported_model_imports_too(tmp_path):
    """torch's default exporter writes other ops (ReduceMean, Reshape) and names scopes in
    metadata: the design's names still come from the module paths."""
    torch.set_num_threads(1)
    model = SmallMobileNetV2().eval()
    path = tmp_path / "m.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, *SHAPE),), str(path), external_data=False,
                          verbose=False)
    design = import_model(path)
    a = analyze(design)
    assert a.macs == fvcore_macs(model) and a.output_shape == (10,)
    assert "features.1.conv.0" in {n.name for n in design.nodes.values()}
