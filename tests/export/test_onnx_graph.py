"""The ONNX file as Netron shows it: no stray Identity boxes (the legacy exporter's shared zero
biases become named initializers), node names carry the design's block names, and the dynamo
fallback leaves the terminal quiet."""
import subprocess
import sys

import onnx
import onnxruntime as ort
import torch

from designer.core.presets import load_preset
from designer.export.onnx_export import export_onnx
from designer.export.pytorch import attribute_names, build_module, valid_analysis


def test_mobilenet_v2_has_no_identity_and_names_its_blocks(tmp_path):
    design = load_preset("mobilenet_v2")
    model = build_module(design).eval()
    result = export_onnx(design, tmp_path / "m.onnx", model=model)
    graph = onnx.load(str(tmp_path / "m.onnx")).graph
    assert [n for n in graph.node if n.op_type == "Identity"] == []
    assert result.nodes == len(graph.node)
    assert result.max_abs_diff <= 1e-4 * max(1.0, result.output_scale)
    onnx.checker.check_model(str(tmp_path / "m.onnx"), full_check=True)
    blocks = set(attribute_names(valid_analysis(design)).values())
    convs = [n for n in graph.node if n.op_type == "Conv"]
    assert len(convs) == 52
    assert all(n.name.split("/")[1] in blocks for n in convs)
    biases = {i.name for i in graph.initializer if i.name.endswith(".bias")}
    # Every weight and bias folding made (the zero biases the exporter shares through Identity
    # nodes, or the biases of measured BatchNorms) named after its conv.
    assert {"block17.conv.1.0.bias", "block1.conv.0.0.bias"} <= biases
    assert len(biases) >= 39
    assert not [i.name for i in graph.initializer if i.name.startswith("onnx::")]
    assert {f"{n.name.strip('/').split('/')[0]}" for n in convs} <= {
        i.name.split(".")[0] for i in graph.initializer if i.name.endswith(".weight")}
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    x = torch.randn(1, 3, 224, 224)
    (got,) = session.run(None, {"input": x.numpy()})
    with torch.no_grad():
        assert abs(got - model(x).numpy()).max() <= 1e-4


def test_the_dynamo_fallback_is_quiet(tmp_path):
    target = tmp_path / "a.onnx"
    out = subprocess.run([sys.executable, "-m", "designer", "export", "alexnet", "--rho", "0.714",
                          "--onnx", str(target)], check=False, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stderr == "", out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"wrote {target}")
    # The rest is the export check's own report, one line per check; nothing of the exporter's.
    assert all(line.rstrip().endswith("ok") for line in lines[1:]), out.stdout
    assert not any("torch.onnx" in line or "Obtain model graph" in line for line in lines)
    assert onnx.load(str(target)).graph.input[0].type.tensor_type.shape.dim[2].dim_value == 160
