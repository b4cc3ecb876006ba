"""VGG16's and AlexNet's hidden 4096-wide linear layers scale with α as every width but the
classes does (DESIGN.md, Scaling), by the rule imported models follow (``designer.core.hidden_linears``);
the PyTorch module built from the scaled design has the analysis's parameters, MACs and 1000
outputs."""
import pytest

from blocks.shape import make_divisible
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset
from designer.export.check import check_module
from designer.export.pytorch import build_module

# name: (hidden layers, classifier, the last conv's base width, the pool's side)
CLASSIFIERS = {"vgg16": (("fc6", "fc7"), "fc8", 512, 7),
               "alexnet": (("fc6", "fc7"), "fc8", 256, 6)}


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_hidden_linears_scale_and_the_module_agrees(name):
    hidden, classes, last_conv, side = CLASSIFIERS[name]
    d = load_preset(name)
    d.alpha, d.rho = 0.5, 64 / 224  # a small input: the adaptive pool keeps the linear shapes
    a = analyze(d)
    width = make_divisible(4096 * 0.5)
    assert width == 2048
    for node in hidden:
        assert a.block(d.node_by_name(node).id).output_shape == (width,)
    fc6_in = make_divisible(last_conv * 0.5) * side * side
    linear_params = {b.name: b.params for b in a.blocks if b.kind == "linear"}
    assert linear_params == {"fc6": fc6_in * width + width, "fc7": width * width + width,
                             "fc8": width * 1000 + 1000}
    assert a.block(d.node_by_name(classes).id).output_shape == a.output_shape == (1000,)
    result = check_module(build_module(d), a, d)
    assert (result.params, result.macs, result.output_shape) == (a.params, a.macs, (1000,))
    assert result.wiring_ok


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_at_alpha_one_the_classifier_is_as_published(name):
    d = load_preset(name)
    a = analyze(d)
    assert [b.output_shape for b in a.blocks if b.kind == "linear"] == [(4096,), (4096,), (1000,)]


def test_a_linear_reached_through_dropout_and_flatten_is_hidden_the_last_is_not():
    b = Builder("head", (8, 4, 4))
    b.add("flatten", "flat")
    b.add("linear", "a", out_features=64)
    b.add("dropout", "drop")
    b.add("flatten", "again")
    b.add("linear", "b", out_features=32)
    b.add("linear", "classes", out_features=10)
    d = b.build(alpha=0.5)
    assert {n: d.nodes[n].params["hidden"] for n in ("a", "b", "classes")} == \
        {"a": True, "b": True, "classes": False}
    a = analyze(d)
    assert [x.output_shape for x in a.blocks if x.kind == "linear"] == [(32,), (16,), (10,)]
