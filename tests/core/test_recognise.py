"""The recogniser on hand-written neutral op graphs: no torch, no onnx. Block patterns, names
from module paths, the classifier fixed, and every refusal located."""
import subprocess
import sys

import pytest

from designer.core.analysis import analyze
from designer.importers.graph import ImportRefused, Op, OpGraph, legacy_onnx_path
from designer.importers.recognise import to_design


class G:
    """A tiny op-graph writer: each call appends an op reading the last tensor."""

    def __init__(self, shape=(8, 16, 16)):
        self.ops, self.last, self.shape = [], "x", shape

    def op(self, type_, path, inputs=None, name=None, **attrs):
        out = f"t{len(self.ops)}"
        ins = tuple([self.last] if inputs is None else inputs)
        self.ops.append(Op(type_, name or f"/{path}/{type_}", ins, (out,), attrs, path))
        self.last = out
        return out

    def conv(self, path, cin, cout, k=1, s=1, p=None, g=1, bias=False, bn=True, act="Relu"):
        p = (k - 1) // 2 if p is None else p
        self.op("Conv", f"{path}.0" if bn else path, kernel=(k, k), stride=(s, s),
                pads=(p, p, p, p), groups=g, in_channels=cin, out_channels=cout, bias=bias)
        if bn:
            self.op("BatchNormalization", f"{path}.1")
        if act == "Relu":
            self.op("Relu", f"{path}.2")
        elif act == "Relu6":
            self.op("Clip", f"{path}.2", min=0.0, max=6.0)
        return self.last

    def graph(self, **kw):
        return OpGraph("model.onnx", "x", self.shape, self.last, self.ops, **kw)


def kinds(design):
    return [(n.name, n.kind) for n in design.nodes.values()]


def test_inverted_residual_with_residual_add_is_one_ir_block():
    g = G((16, 8, 8))
    g.conv("b1.conv.0", 16, 96, act="Relu6")
    g.conv("b1.conv.1", 96, 96, k=3, g=96, act="Relu6")
    proj = g.conv("b1.conv.2", 96, 16, act=None)
    g.op("Add", "b1", ["x", proj])
    d = to_design(g.graph())
    assert kinds(d) == [("b1", "ir")]
    want = {"out_channels": 16, "expansion": 6, "stride": 1, "kernel": 3, "residual": True,
            "activation": "relu6"}
    assert {k: d.nodes["b1"].params[k] for k in want} == want
    a = analyze(d)
    # MACs h·w·C·t·(C + K² + M) = 8·8·16·6·(16 + 9 + 16)
    assert a.macs == 8 * 8 * 16 * 6 * (16 + 9 + 16)


def test_ir_without_its_add_keeps_residual_off():
    g = G((16, 8, 8))
    g.conv("b.e", 16, 32, act="Relu6")
    g.conv("b.d", 32, 32, k=3, g=32, act="Relu6")
    g.conv("b.p", 32, 16, act=None)
    d = to_design(g.graph())
    assert kinds(d) == [("b", "ir")] and d.nodes["b"].params["residual"] is False


def test_depthwise_then_pointwise_is_sepconv_and_a_lone_depthwise_is_dwconv():
    g = G((8, 16, 16))
    g.conv("s", 8, 8, k=3, s=2, g=8)
    g.conv("s.pw", 8, 32)
    g.conv("dw", 32, 32, k=5, g=32, act=None)
    g.op("MaxPool", "pool", kernel=(3, 3), stride=(2, 2), pads=(1, 1, 1, 1), ceil_mode=1)
    d = to_design(g.graph())
    assert [k for _, k in kinds(d)] == ["sepconv", "dwconv", "maxpool"]
    assert d.nodes[list(d.nodes)[2]].params["ceil_mode"] is True
    assert d.nodes[list(d.nodes)[2]].params["padding"] == 1


def test_fire_from_squeeze_two_expands_and_concat():
    g = G((32, 16, 16))
    s = g.conv("fire2.squeeze", 32, 8, bias=True, bn=False)
    e1 = g.conv("fire2.expand1x1", 8, 16, bias=True, bn=False)
    g.last = s
    e3 = g.conv("fire2.expand3x3", 8, 16, k=3, bias=True, bn=False)
    g.op("Concat", "fire2", [e1, e3], axis=1)
    g.op("GlobalAveragePool", "gap")
    g.op("Flatten", "", axis=1, name="/Flatten")
    d = to_design(g.graph())
    assert kinds(d) == [("fire2", "fire"), ("gap", "gap"), ("Flatten", "flatten")]
    want = {"squeeze": 8, "expand1x1": 16, "expand3x3": 16, "bias": True, "bn": False,
            "activation": "relu"}
    assert {k: d.nodes["fire2"].params[k] for k in want} == want


def test_classifier_conv_is_fixed_and_linear_absorbs_its_flatten():
    g = G((8, 8, 8))
    g.conv("features.0", 8, 16)
    g.conv("classifier.1", 16, 10, bias=True, bn=False)
    g.op("GlobalAveragePool", "pool")
    d = to_design(g.graph())
    assert kinds(d) == [("features", "conv"), ("classifier", "conv"), ("pool", "gap")]
    assert d.nodes["classifier"].width == "fixed"
    assert d.nodes["features"].width == "scale"
    h = G((8, 4, 4))
    h.op("Flatten", "head.0", axis=1)
    h.op("Gemm", "head.1", in_features=128, out_features=10, bias=True)
    assert kinds(to_design(h.graph())) == [("head", "linear")]


def test_matmul_plus_bias_is_a_linear_layer():
    g = G((8, 2, 2))
    g.op("Flatten", "", name="flat", axis=1)
    g.op("MatMul", "fc", in_features=32, out_features=5, bias=False)
    g.op("Add", "fc", [g.last], constant=(5,))
    d = to_design(g.graph())
    node = next(iter(d.nodes.values()))
    assert node.kind == "linear" and node.params["bias"] is True
    assert analyze(d).params == 32 * 5 + 5


def test_every_unsupported_op_listed_with_its_nodes():
    g = G((8, 16, 16))
    g.op("Conv", "a", kernel=(3, 3), stride=(1, 1), pads=(1, 1, 1, 1), dilation=(2, 1), groups=1,
         in_channels=8, out_channels=8, bias=False)
    g.op("Tanh", "s1")
    g.op("Conv", "b", kernel=(1, 3), stride=(1, 1), pads=(0, 1, 0, 1), groups=1,
         in_channels=8, out_channels=8, bias=False)
    g.op("Tanh", "s2")
    g.op("MaxPool", "p", kernel=(2, 2), stride=(2, 2), pads=(0, 0, 0, 0))
    g.op("Relu", "r")
    with pytest.raises(ImportRefused) as err:
        to_design(g.graph())
    text = str(err.value)
    assert text.startswith("model.onnx: cannot import, 5 operations")
    assert "unsupported op Tanh: at /s1/Tanh, /s2/Tanh" in text
    assert "Conv with dilation [2, 1]: at /a/Conv" in text
    assert "Conv with a non-square kernel 1×3: at /b/Conv" in text
    assert "Relu not right after a convolution, linear layer or add: at /r/Relu" in text


def test_open_input_dimension_asks_for_input():
    g = G((3, None, None))
    g.conv("c", 3, 8)
    with pytest.raises(ImportRefused, match=r"open dimension \(3×\?×\?\): give its size with "
                                            r"--input CxHxW"):
        to_design(g.graph())


def test_a_shape_it_cannot_follow_is_refused_naming_the_block():
    g = G((8, 16, 16))
    out = g.conv("c", 8, 8, k=3, s=2)
    with pytest.raises(ImportRefused, match=r"c: ConvSketch makes 8×8×8 where the model makes "
                                            r"8×7×7"):
        to_design(g.graph(shapes={out: (8, 7, 7)}))


def test_convolution_reading_other_channels_than_it_is_given_is_refused():
    g = G((8, 16, 16))
    g.conv("c", 4, 8)
    with pytest.raises(ImportRefused, match="reads 4 channels in the model but 8 in ConvSketch"):
        to_design(g.graph())


def test_folded_batchnorm_is_said_in_the_description():
    g = G((8, 8, 8))
    g.conv("c1", 8, 8, bias=True, bn=False)
    g.conv("c2", 8, 8, bias=True, bn=False)
    d = to_design(g.graph())
    assert all(n.params["bias"] and not n.params["bn"] for n in d.nodes.values())
    assert "no BatchNorm and 2 convolutions with a bias" in d.description
    assert "no BatchNorm scale and shift" in d.description


def test_legacy_onnx_names_give_module_paths():
    assert legacy_onnx_path("/layer1/layer1.0/conv1/Conv") == "layer1.0.conv1"
    assert legacy_onnx_path("/layer1/layer1.0/d/d.0/Conv") == "layer1.0.d.0"
    assert legacy_onnx_path("/Flatten") == ""


def test_recogniser_imports_neither_torch_nor_onnx():
    code = ("import sys, designer.importers.recognise, designer.importers.load;"
            "print([m for m in ('torch', 'onnx', 'PySide6') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_mul_outside_a_squeeze_excitation_is_refused_located():
    g = G((8, 8, 8))
    a = g.conv("a", 8, 8)
    g.last = "x"
    b = g.conv("b", 8, 8)
    g.op("Mul", "gate", [a, b])
    with pytest.raises(ImportRefused, match="Mul of two tensors that is not a squeeze-and-"
                                            "excitation's rescaling: at /gate/Mul"):
        to_design(g.graph())


def se_graph(g, path, c, s, act="Relu", gate="HardSigmoid"):
    x = g.last
    g.op("GlobalAveragePool", f"{path}.avgpool")
    g.conv(f"{path}.fc1", c, s, bias=True, bn=False, act=act)
    g.op("Conv", f"{path}.fc2", kernel=(1, 1), stride=(1, 1), pads=(0, 0, 0, 0), groups=1,
         in_channels=s, out_channels=c, bias=True)
    g.op(gate, f"{path}.scale_activation", alpha=1 / 6, beta=0.5)
    return g.op("Mul", path, [x, g.last])


def test_squeeze_excitation_alone_and_inside_an_inverted_residual():
    g = G((16, 8, 8))
    g.conv("stem", 16, 16)
    se_graph(g, "se1", 16, 8)
    g.conv("b.e", 16, 64, act="Relu")
    g.conv("b.d", 64, 64, k=3, g=64, act="Relu")
    se_graph(g, "b.se", 64, 16)
    g.conv("b.p", 64, 16, act=None)
    d = to_design(g.graph())
    assert kinds(d) == [("stem", "conv"), ("se1", "se"), ("b", "ir")]
    assert d.nodes["se1"].params["gate"] == "hardsigmoid"
    assert d.nodes["b"].params["se"] == "mobilenetv3"
    # MACs: stem 16·16·64 + se 2·16·8 + ir 64·(16·64 + 9·64 + 64·16) + its se 2·64·16
    assert analyze(d).macs == 16 * 16 * 64 + 2 * 16 * 8 + 64 * (16 * 64 + 9 * 64 + 64 * 16) \
        + 2 * 64 * 16


def test_resnet_basic_and_bottleneck_blocks_with_and_without_projection():
    g = G((16, 8, 8))
    x = g.last
    g.conv("l1.conv1", 16, 16, k=3)
    main = g.conv("l1.conv2", 16, 16, k=3, act=None)
    g.op("Add", "l1", [main, x])
    g.op("Relu", "l1.relu")
    x = g.last
    short = g.conv("l2.downsample", 16, 64, s=2, act=None)
    g.last = x
    g.conv("l2.conv1", 16, 16)
    g.conv("l2.conv2", 16, 16, k=3, s=2)
    main = g.conv("l2.conv3", 16, 64, act=None)
    g.op("Add", "l2", [main, short])
    g.op("Relu", "l2.relu")
    d = to_design(g.graph())
    assert kinds(d) == [("l1", "basic"), ("l2", "bottleneck")]
    assert {k: d.nodes["l2"].params[k] for k in ("planes", "stride", "expansion")} == \
        {"planes": 16, "stride": 2, "expansion": 4}


def test_dilated_conv_and_swish_written_as_sigmoid_times_x():
    g = G((8, 16, 16))
    g.op("Conv", "c", kernel=(3, 3), stride=(1, 1), pads=(2, 2, 2, 2), dilation=(2, 2),
         groups=1, in_channels=8, out_channels=8, bias=False)
    t = g.op("BatchNormalization", "c.bn")
    s = g.op("Sigmoid", "c.sig")
    g.op("Mul", "c.mul", [t, s])
    d = to_design(g.graph())
    assert [(n.kind, n.params["dilation"], n.params["activation"]) for n in d.nodes.values()] \
        == [("conv", 2, "swish")]


def shuffle_ops(g, path, c, h, w, groups, back=-1):
    """torchvision's channel_shuffle as an exporter writes it: view, transpose(1, 2), view."""
    g.op("Reshape", f"{path}.view", shape=[1, groups, c // groups, h, w])
    g.op("Transpose", f"{path}.transpose", perm=[0, 2, 1, 3, 4])
    return g.op("Reshape", f"{path}.view_1", shape=[1, back, h, w])


def test_reshape_transpose_reshape_is_a_channel_shuffle_with_its_groups():
    g = G((8, 16, 16))
    g.conv("conv", 8, 12)
    shuffle_ops(g, "shuffle", 12, 16, 16, 3, back=12)
    design = to_design(g.graph(shapes={g.last: (12, 16, 16)}))
    node = design.nodes["shuffle"]
    assert (node.kind, node.params["groups"]) == ("shuffle", 3)
    assert analyze(design).output_shape == (12, 16, 16)


def test_a_transpose_that_is_not_a_channel_shuffle_is_refused_located():
    g = G((8, 16, 16))
    g.conv("conv", 8, 12)
    g.op("Reshape", "odd.view", shape=[1, 3, 4, 16, 16])
    g.op("Transpose", "odd.transpose", perm=[0, 1, 2, 4, 3])
    g.op("Reshape", "odd.view_1", shape=[1, 12, 16, 16])
    with pytest.raises(ImportRefused) as err:
        to_design(g.graph())
    text = str(err.value)
    assert "Transpose other than a channel shuffle's: at /odd.transpose/Transpose" in text
    assert "Reshape to [1, 3, 4, 16, 16]" in text


def shufflev2_ops(g, path, c, h, stride):
    """torchvision's shufflenetv2.InvertedResidual, as ops: split (stride 1) or two branches
    (stride 2), concat, shuffle in 2 groups. Returns its output tensor."""
    x, b = g.last, (c if stride == 2 else c // 2)
    if stride == 1:
        keep = g.op("Slice", f"{path}", [x], name=f"{path}/Slice", axis=1, start=0, stop=b)
        g.op("Slice", f"{path}", [x], name=f"{path}/Slice_1", axis=1, start=b, stop=c)
        g.conv(f"{path}.branch2.0", b, b)
    else:
        g.conv(f"{path}.branch1.0", c, c, k=3, s=2, g=c, act=None)
        keep = g.conv(f"{path}.branch1.1", c, b)
        g.last = x
        g.conv(f"{path}.branch2.0", c, b)
    g.conv(f"{path}.branch2.1", b, b, k=3, s=stride, g=b, act=None)
    right = g.conv(f"{path}.branch2.2", b, b)
    g.op("Concat", path, [keep, right], axis=1)
    h //= stride
    return shuffle_ops(g, f"{path}.shuffle", 2 * b, h, h, 2)


def test_shufflenet_v2_units_at_stride_1_and_2_are_whole_blocks():
    # Per-unit figures from the block's docstring: MACs at stride 1 are H·W·b·(2·b + 9).
    g = G((16, 8, 8))
    shufflev2_ops(g, "down", 16, 8, 2)
    shufflev2_ops(g, "unit", 32, 4, 1)
    design = to_design(g.graph(shapes={g.last: (32, 4, 4)}))
    assert kinds(design) == [("down", "shufflev2"), ("unit", "shufflev2")]
    assert [(design.nodes[n].params["out_channels"], design.nodes[n].params["stride"])
            for n in ("down", "unit")] == [(32, 2), (32, 1)]
    unit = next(b for b in analyze(design).blocks if b.name == "unit")
    assert unit.macs == 4 * 4 * 16 * (2 * 16 + 9)
    assert unit.output_shape == (32, 4, 4)


def test_a_channel_slice_outside_a_shufflenet_unit_is_refused_located():
    g = G((16, 8, 8))
    x = g.last
    keep = g.op("Slice", "cut", [x], name="cut/Slice", axis=1, start=0, stop=8)
    g.op("Slice", "cut", [x], name="cut/Slice_1", axis=1, start=8, stop=16)
    right = g.conv("branch", 8, 8)
    g.op("Concat", "cat", [keep, right], axis=1)
    with pytest.raises(ImportRefused, match=r"not a ShuffleNetV2 unit's split in halves: "
                                            r"at cut/Slice"):
        to_design(g.graph())
