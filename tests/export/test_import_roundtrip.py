"""Round trips for every preset at α 1 and α 0.5: design -> PyTorch code -> import gives the same
parameters, MACs, output shape, block kinds and names; design -> ONNX -> import gives the same
MACs and output shape.

The sweep traces each exported module in this process (the worker's own tracing code, on the
meta device) and exports ONNX without weights (shapes are all an import reads), so it stays
quick; the full path, a .py run in the worker process and ConvSketch's own checked ONNX export,
is taken end to end through the command line below.
"""
import io as bytes_io
import subprocess
import sys
import warnings
from collections import Counter

import onnx
import pytest
import torch

from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset, names
from designer.export.files import export_py
from designer.export.names import identifier
from designer.export.onnx_export import export_onnx
from designer.export.pytorch import build_module, generate_source, module_from_source
from designer.importers.graph import ImportRefused
from designer.importers.load import import_model
from designer.importers.onnx_graph import onnx_graph
from designer.importers.recognise import to_design
from designer.importers.torch_trace import graph_from_module

ALPHAS = [1.0, 0.5]
@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def preset(name, alpha):
    d = load_preset(name)
    d.alpha = alpha
    return d, analyze(d)


def kinds(a):
    return Counter(b.kind for b in a.blocks)


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("name", names())
def test_python_round_trip_keeps_every_figure_and_block(name, alpha):
    d, a = preset(name, alpha)
    with torch.device("meta"):
        model = module_from_source(generate_source(d))
    graph = graph_from_module(model, a.input_shape, f"{name}.py")
    imported = to_design(graph)
    back = analyze(imported)
    assert (back.params, back.macs, back.output_shape) == (a.params, a.macs, a.output_shape)
    assert kinds(back) == kinds(a)
    assert [b.name for b in back.blocks] == [identifier(b.name) for b in a.blocks]
    assert [settings(imported, b) for b in back.blocks] == [settings(d, b) for b in a.blocks]


def settings(design, cost):
    """What the counts cannot tell apart: activations, SE style and gate, dilation, stride."""
    params = design.nodes[cost.node_id].params
    return {k: params[k] for k in ("activation", "se", "gate", "dilation", "stride", "kernel",
                                   "ceil_mode") if k in params}


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("name", names())
def test_onnx_round_trip_keeps_macs_and_output(tmp_path, name, alpha):
    d, a = preset(name, alpha)
    with torch.device("meta"):
        model = module_from_source(generate_source(d))
    model = model.to_empty(device="cpu").eval()
    path = tmp_path / f"{name}.onnx"
    f = bytes_io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, *a.input_shape),), f, dynamo=False,
                          export_params=False)
    path.write_bytes(f.getvalue())
    back = analyze(to_design(onnx_graph(path)))
    assert (back.macs, back.output_shape) == (a.macs, a.output_shape)


SCALE_APART = {"mobilenet_v2": "keeps its last 1280 conv for α < 1 (a rule of its own)",
               "shufflenet_v2_x1_0": "keeps its 1024-wide conv5 for α < 1 (a rule of its own)"}
"""Presets whose α rule a model file cannot tell; an import scales every width but the classes."""


@pytest.mark.parametrize("name", [n for n in names() if n not in SCALE_APART])
def test_an_imported_model_scales_as_its_preset(name):
    """Imported at α 1, then scaled: the classes stay fixed, the hidden linear layers
    (MobileNetV3's, VGG16's, AlexNet's) scale, and MobileNetV3's expanded widths scale on their
    own (torchvision's width_mult), as the preset
    does."""
    d, a = preset(name, 1.0)
    with torch.device("meta"):
        model = module_from_source(generate_source(d))
    imported = to_design(graph_from_module(model, a.input_shape, f"{name}.py"))
    imported.alpha = d.alpha = 0.5
    imported.rounding = d.rounding
    back, want = analyze(imported), analyze(d)
    assert (back.params, back.macs, back.output_shape) == (want.params, want.macs, want.output_shape)


def shuffled_design():
    b = Builder("shuffled", (3, 32, 32))
    b.add("conv", "stem", out_channels=32, kernel=3, stride=2)
    b.add("conv", "grouped", out_channels=32, kernel=1, groups=4)
    b.add("shuffle", "shuffle", groups=4)
    b.add("conv", "head", out_channels=16, kernel=1, groups=4)
    return b.build()


@pytest.mark.parametrize("alpha", ALPHAS)
def test_channel_shuffle_round_trips_through_python_and_onnx(tmp_path, alpha):
    d = shuffled_design()
    d.alpha = alpha
    a = analyze(d)
    with torch.device("meta"):
        model = module_from_source(generate_source(d))
    back = analyze(to_design(graph_from_module(model, a.input_shape, "shuffled.py")))
    assert (back.params, back.macs, back.output_shape) == (a.params, a.macs, a.output_shape)
    assert kinds(back) == kinds(a) and kinds(a)["shuffle"] == 1
    path = tmp_path / "shuffled.onnx"
    f = bytes_io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.to_empty(device="cpu").eval(), (torch.zeros(1, *a.input_shape),),
                          f, dynamo=False, export_params=False)
    path.write_bytes(f.getvalue())
    imported = to_design(onnx_graph(path))
    back = analyze(imported)
    assert (back.macs, back.output_shape, kinds(back)) == (a.macs, a.output_shape, kinds(a))
    assert imported.nodes["shuffle"].params["groups"] == 4


def shufflenet_units():
    b = Builder("units", (3, 32, 32))
    b.add("conv", "stem", out_channels=24, stride=2)
    b.add("shufflev2", "down", out_channels=48, stride=2)
    b.add("shufflev2", "unit")
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=10)
    return b.build()


def test_shufflenet_units_from_torchs_default_exporter(tmp_path):
    """torch's default (dynamo) exporter writes a unit's chunk as one Split op, folds BatchNorm
    and drops the biases that come out all zeros: the units are still recognised."""
    d = shufflenet_units()
    a = analyze(d)
    path = tmp_path / "units.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(build_module(d).eval(), (torch.zeros(1, *a.input_shape),), str(path),
                          external_data=False, verbose=False)
    graph = onnx_graph(path)
    assert "Split" in {n.op_type for n in onnx.load(str(path)).graph.node}
    imported = to_design(graph)
    back = analyze(imported)
    assert (back.macs, back.output_shape, kinds(back)) == (a.macs, a.output_shape, kinds(a))
    assert "its 2 ShuffleNetV2 units always hold BatchNorm here" in imported.description
    assert [n.name for n in imported.nodes.values()][1:3] == ["down", "unit"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def test_exported_python_file_imports_through_the_command(tmp_path):
    d, a = preset("mobilenet_v2", 0.5)
    export_py(d, tmp_path / "mnv2.py")
    r = cli("import", str(tmp_path / "mnv2.py"), str(tmp_path / "mnv2.json"))
    assert r.returncode == 0, r.stderr
    back = analyze(io.load(tmp_path / "mnv2.json"))
    assert (back.params, back.macs, back.output_shape) == (a.params, a.macs, a.output_shape)
    assert kinds(back) == kinds(a) == Counter(ir=17, conv=2, gap=1, dropout=1, linear=1)
    assert "wrote" in r.stdout and "22 blocks (17 ir" in r.stdout


def test_convsketch_onnx_export_imports_with_folded_batchnorm(tmp_path):
    d, a = preset("mobilenet_v2", 0.5)
    export_onnx(d, tmp_path / "m.onnx")
    back_design = import_model(tmp_path / "m.onnx")
    back = analyze(back_design)
    assert (back.macs, back.output_shape) == (a.macs, a.output_shape)
    bn_params = sum(la.params for b in a.blocks for la in b.layers if la.op == "bn")
    assert not any(la.attr("bias") for b in a.blocks for la in b.layers if la.op == "conv")
    # folded: every BN (2 per channel) became a conv bias (1 per channel)
    assert back.params == a.params - bn_params // 2
    assert "no BatchNorm and 52 convolutions with a bias" in back_design.description
    assert kinds(back)["dwconv"] == 17 and kinds(back)["add"] == 10


def test_split_sizes_become_channel_slices_and_an_unknown_split_is_refused(tmp_path):
    from onnx import TensorProto, helper

    def split_model(dims, **attrs):
        inputs = ["x", "sizes"] if "sizes" in attrs else ["x"]
        sizes = attrs.pop("sizes", None)
        nodes = [helper.make_node("Split", inputs, ["a", "b"], name="cut", axis=1, **attrs),
                 helper.make_node("Concat", ["b", "a"], ["y"], name="join", axis=1)]
        inits = [helper.make_tensor("sizes", TensorProto.INT64, [2], sizes)] if sizes else []
        graph = helper.make_graph(
            nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
        path = tmp_path / "split.onnx"
        path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
                         .SerializeToString())
        return path

    slices = [op for op in onnx_graph(split_model([1, 8, 4, 4], sizes=[3, 5])).ops
              if op.type == "Slice"]
    assert [(op.name, op.attrs["start"], op.attrs["stop"], op.outputs) for op in slices] == [
        ("cut", 0, 3, ("a",)), ("cut", 3, 8, ("b",))]
    halves = [op for op in onnx_graph(split_model([1, 7, 4, 4], num_outputs=2)).ops
              if op.type == "Slice"]
    assert [(op.attrs["start"], op.attrs["stop"]) for op in halves] == [(0, 4), (4, 7)]
    # a channel cut outside a ShuffleNetV2 unit is still refused, at the Split's name
    with pytest.raises(ImportRefused, match="at cut"):
        to_design(onnx_graph(split_model([1, 8, 4, 4], sizes=[3, 5])))
    # sizes that do not add up to the channels: the Split itself is refused, located
    with pytest.raises(ImportRefused, match="unsupported op Split: at cut"):
        to_design(onnx_graph(split_model([1, 8, 4, 4], sizes=[3, 3])))
