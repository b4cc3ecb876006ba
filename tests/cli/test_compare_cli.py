"""compare and sweep on the command line, with real files written and read back."""
import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          check=False, text=True, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_compare_markdown_table():
    out = cli("compare", "vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1", "--markdown")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[3].startswith("| MobileNetV1 | 1 | 224×224 | 4,231,976 | 568,740,352 |")
    assert lines[3].split(" | ")[8] == "0.0368"  # 568,740,352 / 15,470,264,320
    assert lines[2].split(" | ")[7:] == ["1", "1", "1", "1 |"]
    assert lines[5].startswith("| SqueezeNet 1.1 | 1 | 224×224 | 1,235,496 | 349,151,936 | "
                               "18,086,208 | 3,928,576 | 0.00893 | 0.0226 | 0.296 | 0.153 |")


def test_compare_per_design_alpha_json_and_errors():
    out = cli("compare", "mobilenet_v1", "mobilenet_v1", "--alpha", "1,0.5", "--json")
    rows = json.loads(out.stdout)["rows"]
    assert [round(r["macs"] / 1e6) for r in rows] == [569, 149]
    assert [r["label"] for r in rows] == ["MobileNetV1 α=1", "MobileNetV1 α=0.5"]
    bad = cli("compare", "mobilenet_v1", "vgg16", "--alpha", "1,0.5,0.25")
    assert bad.returncode == 2 and "one per design" in bad.stderr


def test_compare_names_designs_by_display_name_and_tells_alike_ones_apart(tmp_path):
    from designer.core import io as design_io
    from designer.core.presets import load_preset
    for name in ("a.json", "b.json"):
        design_io.save(load_preset("mobilenet_v2"), tmp_path / name)
    out = cli("compare", "mobilenet_v2", str(tmp_path / "a.json"), str(tmp_path / "b.json"),
              "--json")
    labels = [r["label"] for r in json.loads(out.stdout)["rows"]]
    assert labels == ["mobilenet_v2", str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    out = cli("compare", "mobilenet_v2", "squeezenet1_1", "--baseline", "SqueezeNet 1.1",
              "--json")
    assert json.loads(out.stdout)["baseline"] == "SqueezeNet 1.1"


def test_compare_png_svg_csv(tmp_path):
    out = cli("compare", "vgg16", "mobilenet_v2", "--csv", "--png", str(tmp_path / "c.png"),
              "--svg", str(tmp_path / "c.svg"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.split("wrote")[0])))
    assert rows[1]["design"] == "MobileNetV2" and int(rows[1]["params"]) == 3_504_872
    from PySide6.QtGui import QImage
    image = QImage(str(tmp_path / "c.png"))
    assert image.width() >= 1400 and image.height() >= 500
    root = ET.parse(tmp_path / "c.svg").getroot()
    assert root.tag.endswith("svg")


def test_sweep_csv_and_png(tmp_path):
    out = cli("sweep", "mobilenet_v1", "--alphas", "1,0.5", "--resolutions", "224,160", "--csv",
              "--png", str(tmp_path / "s.png"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.split("wrote")[0])))
    assert [(r["alpha"], r["resolution"], round(int(r["macs"]) / 1e6)) for r in rows] == [
        ("1.0", "224", 569), ("1.0", "160", 291), ("0.5", "224", 149), ("0.5", "160", 77)]
    assert (tmp_path / "s.png").stat().st_size > 10_000
    assert cli("sweep", "mobilenet_v1", "--alphas", "9").returncode == 2


def test_sweep_never_ignores_a_scaling_flag():
    """sweep sets α and the resolution itself: --alpha 0.5 must not print α = 1 figures (it
    reads as --alphas 0.5), and --rho, which it cannot honour, is refused."""
    out = cli("sweep", "mobilenet_v1", "--alpha", "0.5", "--csv")
    assert out.returncode == 0, out.stderr
    assert {r["alpha"] for r in csv.DictReader(io.StringIO(out.stdout))} == {"0.5"}
    out = cli("sweep", "mobilenet_v1", "--rho", "0.5")
    assert out.returncode == 2 and "unrecognized arguments: --rho" in out.stderr
    assert "Traceback" not in out.stderr
    fp16 = cli("sweep", "mobilenet_v1", "--alphas", "1", "--resolutions", "224", "--dtype", "fp16",
               "--json")
    assert fp16.returncode == 0, fp16.stderr


def test_compare_refuses_an_invalid_design_by_block_and_field(tmp_path):
    from designer.core import io as design_io
    from designer.core.presets import load_preset
    d = load_preset("mobilenet_v1")
    node = next(n for n in d.nodes.values() if n.kind == "linear")
    node.params["out_features"] = 0
    design_io.save(d, tmp_path / "bad.json")
    out = cli("compare", "mobilenet_v2", str(tmp_path / "bad.json"), "--markdown")
    assert out.returncode == 1 and "out_features" in out.stderr and out.stdout == ""


def test_compare_scatter_and_latency_needs_timings(tmp_path):
    out = cli("compare", "vgg16", "mobilenet_v2", "--scatter", str(tmp_path / "p.svg"))
    assert out.returncode == 0, out.stderr
    assert ET.parse(tmp_path / "p.svg").getroot().tag.endswith("svg")
    out = cli("compare", "vgg16", "--scatter", str(tmp_path / "q.png"), "--scatter-y", "latency")
    assert out.returncode == 2 and "no design keeps a timing" in out.stderr


def test_compare_latency_of_a_chosen_runtime_labelled(tmp_path):
    from designer.core import io as design_io
    from designer.core.presets import load_preset
    d = load_preset("squeezenet1_1")
    from designer.core.timings import Timing
    d.extra["timings"] = [Timing(7.5, "torch", 1.0, 1.0), Timing(2.5, "onnxruntime", 1.0, 1.0)]
    design_io.save(d, tmp_path / "timed.json")
    out = cli("compare", str(tmp_path / "timed.json"), "vgg16", "--markdown")
    assert out.returncode == 0, out.stderr
    header, _, first = out.stdout.splitlines()[:3]
    assert "| Latency, torch CPU (ms) |" in header and "| 7.50 |" in first
    out = cli("compare", str(tmp_path / "timed.json"), "--latency-runtime", "onnxruntime",
              "--json")
    js = json.loads(out.stdout)
    assert js["rows"][0]["latency_ms"] == 2.5
    assert js["latency"] == {"runtime": "onnxruntime", "device": "cpu"}
    out = cli("compare", str(tmp_path / "timed.json"), "--latency-device", "cuda",
              "--scatter", str(tmp_path / "q.png"), "--scatter-y", "latency")
    assert out.returncode == 2 and "timing of torch CUDA" in out.stderr
    assert "kept: onnxruntime CPU, torch CPU" in out.stderr


def test_sweep_markdown_is_tables_6_and_7():
    out = cli("sweep", "mobilenet_v1", "--markdown")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "| MobileNetV1: α \\ input | 224×224 | 192×192 | 160×160 | 128×128 |"
    assert lines[2].split(" | ")[1:] == ["568.7 M MACs / 4.23 M params",
                                         "418.1 M MACs / 4.23 M params",
                                         "290.7 M MACs / 4.23 M params",
                                         "186.4 M MACs / 4.23 M params |"]
    assert lines[4].startswith("| 0.5 | 149.5 M MACs / 1.33 M params")


def test_blocks_command_tables_chart_and_errors(tmp_path):
    out = cli("blocks", "--input", "64x56x56", "--out", "128", "--csv", "--png",
              str(tmp_path / "b.png"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["kind"] for r in rows] == ["conv", "conv", "sepconv", "fire", "ir", "conv3x3x3",
                                         "ir", "se", "shuffle", "basic", "bottleneck"]
    # An SE's global pool sees the whole 56-px map (plus the depthwise's 3x3 reach inside an ir).
    assert [int(r["receptive_field"]) for r in rows] == [3, 3, 3, 3, 3, 7, 58, 56, 1, 5, 3]
    assert int(rows[2]["macs"]) == 64 * 56 * 56 * (9 + 128)
    from PySide6.QtGui import QImage
    assert QImage(str(tmp_path / "b.png")).width() >= 1300
    js = json.loads(cli("blocks", "--input", "30x7x7", "--out", "50", "--json").stdout)
    assert len(js["rows"]) == 8 and "groups" in js["skipped"][0]
    md = cli("blocks", "--markdown").stdout
    assert "| depthwise-separable | 8,768 | 27,496,448 | 0.119 | 0.119 |" in md
    bad = cli("blocks", "--input", "64x56")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --input")
    assert cli("blocks", "--kernel", "99").stderr.startswith(
        "error: --kernel: must be a whole number from 1 to 15, got 99")


def test_compare_sweep_and_blocks_take_one_set_of_output_flags_from_common(capsys):
    """The table and chart flags are declared once, with the other shared arguments, so the
    three workshop commands cannot drift apart."""
    import pytest

    from designer.cli import blocks, build_parser, common, compare, sweep

    assert common.add_output_args.__module__ == "designer.cli.common"
    assert all(m.add_output_args is common.add_output_args for m in (compare, sweep, blocks))
    parser = build_parser()
    for command in (["compare", "vgg16"], ["sweep", "vgg16"], ["blocks"]):
        args = parser.parse_args(command + ["--csv", "--png", "a.png", "--svg", "a.svg"])
        assert (args.csv, args.json, args.markdown, args.png, args.svg) == (
            True, False, False, "a.png", "a.svg")
        with pytest.raises(SystemExit) as refused:
            parser.parse_args(command + ["--csv", "--json"])
        assert refused.value.code == 2
        assert "not allowed with argument" in capsys.readouterr().err
