"""``python -m designer import``: a model in, a design file out; every refusal (hostile files
included) one located message with exit status 2, no traceback, and an earlier OUT untouched."""
import os
import subprocess
import sys

import pytest
from onnx import helper

from designer.core import io
from tests.model_files import MODEL_HEAD, conv_model


def cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "designer", "import", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=False)


def refused(r, *fragments):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    for f in fragments:
        assert f in r.stderr, r.stderr
    return r.stderr


def test_import_writes_a_design_and_a_refusal_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.json"
    r = cli(conv_model(tmp_path / "m.onnx"), out, "--name", "tiny")
    assert r.returncode == 0, r.stderr
    d = io.load(out)
    assert d.name == "tiny" and d.input_shape == (3, 16, 16)
    assert [(n.name, n.kind, n.params["out_channels"]) for n in d.nodes.values()] == \
        [("stem/conv", "conv", 8)]
    before = out.read_bytes()
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage" * 10)
    refused(cli(bad, out), str(bad))
    assert out.read_bytes() == before


def test_every_unsupported_op_is_listed_with_its_nodes(tmp_path):
    extra = [helper.make_node("Tanh", ["y"], ["s"], name="head/tanh"),
             helper.make_node("Softmax", ["s"], ["p"], name="head/softmax")]
    err = refused(cli(conv_model(tmp_path / "m.onnx", dilation=(2, 1), extra_nodes=extra),
                      tmp_path / "o.json"),
                  "cannot import, 3 operations")
    assert "Conv with dilation [2, 1]: at stem/conv" in err
    assert "unsupported op Tanh: at head/tanh" in err
    assert "unsupported op Softmax: at head/softmax" in err
    assert not (tmp_path / "o.json").exists()


def test_open_input_dimensions_need_input(tmp_path):
    model = conv_model(tmp_path / "m.onnx", dims=(1, 3, "H", "W"))
    refused(cli(model, tmp_path / "o.json"), "open dimension (3×?×?)", "--input CxHxW")
    r = cli(model, tmp_path / "o.json", "--input", "3x20x20")
    assert r.returncode == 0, r.stderr
    assert io.load(tmp_path / "o.json").input_shape == (3, 20, 20)


def test_truncated_and_foreign_files_are_not_onnx_models(tmp_path):
    whole = conv_model(tmp_path / "m.onnx").read_bytes()
    cut = tmp_path / "cut.onnx"
    cut.write_bytes(whole[: len(whole) // 2])
    refused(cli(cut, tmp_path / "o.json"), f"{cut}: not an ONNX model")
    text = tmp_path / "text.onnx"
    text.write_text('{"this": "is json"}')
    refused(cli(text, tmp_path / "o.json"), f"{text}: not an ONNX model")
    other = tmp_path / "model.h5"
    other.write_bytes(b"HDF")
    refused(cli(other, tmp_path / "o.json"), "not a model file ConvSketch imports")


def _field(number, payload):
    """A length-delimited protobuf field."""
    key, size, out = (number << 3) | 2, len(payload), bytearray()
    for v in (key, size):
        while True:
            byte, v = v & 0x7F, v >> 7
            out.append(byte | (0x80 if v else 0))
            if not v:
                break
    return bytes(out) + payload


def test_protobuf_bomb_nested_past_the_parsers_depth_is_refused(tmp_path):
    """Graph -> node -> attribute -> subgraph, 3,000 deep, in a file of a few kilobytes."""
    graph = b""
    for _ in range(3000):
        attribute = _field(1, b"g") + _field(6, graph)
        graph = _field(1, _field(5, attribute))
    bomb = tmp_path / "bomb.onnx"
    bomb.write_bytes(b"\x08\x07" + _field(7, graph) + _field(8, b"\x10\x11"))
    assert bomb.stat().st_size < 100_000
    refused(cli(bomb, tmp_path / "o.json", timeout=60), f"{bomb}:", "not an ONNX model")


def test_two_gigabyte_file_is_refused_unread(tmp_path):
    big = tmp_path / "big.onnx"
    with open(big, "wb") as f:
        f.truncate(2 * 1024 ** 3)
    refused(cli(big, tmp_path / "o.json", timeout=60), f"{big}: 2.0 GB is more than the 1 GB")


@pytest.mark.parametrize("location", ["../outside.bin", "/etc/passwd", "sub/../../outside.bin"])
def test_external_data_outside_the_folder_is_refused_and_never_opened(tmp_path, location):
    folder = tmp_path / "model"
    folder.mkdir()
    os.mkfifo(tmp_path / "outside.bin")  # opening it would block: the import must not
    model = conv_model(folder / "m.onnx", location=location)
    refused(cli(model, tmp_path / "o.json", timeout=60),
            f"external data outside the model's folder (not read): w -> {location}")


def test_external_data_inside_the_folder_is_not_read_either(tmp_path):
    os.mkfifo(tmp_path / "weights.bin")
    r = cli(conv_model(tmp_path / "m.onnx", location="weights.bin"), tmp_path / "o.json",
            timeout=60)
    assert r.returncode == 0, r.stderr



@pytest.mark.parametrize("body,fragments", [
    ("def build_model():\n    raise ValueError('no weights here')\n",
     [":6: in build_model: build_model() raised ValueError: no weights here"]),
    ("def build_model():\n    return 42\n", ["build_model() returned int, not a torch.nn.Module"]),
    ("def make():\n    return nn.Conv2d(3, 4, 3)\n", ["defines no build_model() function"]),
    ("raise SystemExit(3)\n", [":5: in <module>: running the file raised SystemExit: 3"]),
])
def test_python_models_that_fail_are_located(tmp_path, body, fragments):
    path = tmp_path / "model.py"
    path.write_text(MODEL_HEAD + body)
    refused(cli(path, tmp_path / "o.json"), str(path), *fragments)


def test_python_model_that_hangs_is_stopped_at_the_time_limit(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODEL_HEAD + "def build_model():\n    while True:\n        pass\n")
    refused(cli(path, tmp_path / "o.json", "--time-limit", "3", timeout=120),
            "did not finish within 3 s (stopped")


def test_python_model_without_input_shape_needs_input(tmp_path):
    path = tmp_path / "model.py"
    path.write_text("from torch import nn\n\ndef build_model():\n"
                    "    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())\n")
    refused(cli(path, tmp_path / "o.json"), "defines no INPUT_SHAPE", "--input CxHxW")
    r = cli(path, tmp_path / "o.json", "--input", "3x10x10")
    assert r.returncode == 0, r.stderr
    d = io.load(tmp_path / "o.json")
    assert [(n.name, n.kind, n.params["activation"]) for n in d.nodes.values()] == \
        [("0", "conv", "relu")]
