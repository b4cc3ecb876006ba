"""The five presets after MobileNetV2 through the command line at α 1, 0.75 and 0.5: ``stats``,
``export`` (whose check builds the module and counts it with forward hooks) and ``bench``.

tests/export/test_presets_export.py exports every preset at α 1 and 0.5 (.py with its check, and
ONNX against onnxruntime) through the library; here the CLI does the same at 0.75, and every α
through ``stats`` and ``bench --seconds 1`` (both runtimes); one small design holding every new
kind is timed block by block. The exports and timings are marked slow (run by default; ``-m "not
slow"`` skips)."""
import json
import subprocess
import sys

import pytest

from designer.core.analysis import analyze
from designer.core.io import save
from designer.core.presets import load_preset
from tests.model_files import every_new_kind

PRESETS = ["mobilenet_v3_small", "mobilenet_v3_large", "shufflenet_v2_x1_0", "efficientnet_b0",
           "resnet50"]
# torchvision's num_params (shared/reference/published.md, "The nets after MobileNetV2")
PUBLISHED_PARAMS = {"mobilenet_v3_small": 2_542_856, "mobilenet_v3_large": 5_483_032,
                    "shufflenet_v2_x1_0": 2_278_604, "efficientnet_b0": 5_288_548,
                    "resnet50": 25_557_032}


def cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "designer", *args], check=False,
                          capture_output=True, text=True, timeout=timeout)


def in_process(capsys, *args):
    from designer.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("name", PRESETS)
def test_stats_at_three_alphas(capsys, name):
    seen = []
    for alpha in ("1", "0.75", "0.5"):
        code, out, err = in_process(capsys, "stats", name, "--alpha", alpha, "--json")
        assert code == 0, err
        stats = json.loads(out)
        design = load_preset(name)
        design.alpha = float(alpha)
        a = analyze(design)
        assert (stats["params"], stats["macs"], stats["problems"]) == (a.params, a.macs, [])
        assert stats["output_shape"] == [1000]
        seen.append(stats["params"])
    assert seen[0] == PUBLISHED_PARAMS[name] and seen[0] > seen[1] > seen[2]


@pytest.mark.slow
@pytest.mark.parametrize("name", PRESETS)
def test_export_with_its_check_at_alpha_075(capsys, tmp_path, name):
    code, out, err = in_process(capsys, "export", name, "--alpha", "0.75",
                                "--py", str(tmp_path / "m.py"), "--onnx", str(tmp_path / "m.onnx"))
    assert code == 0, err
    design = load_preset(name)
    design.alpha = 0.75
    a = analyze(design)
    assert f"MACs          PyTorch {a.macs:>16,}  ConvSketch {a.macs:>16,}  ok" in out
    assert f"{a.params:,}" in out and "MISMATCH" not in out
    assert "onnxruntime matches torch" in out and (tmp_path / "m.onnx").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("alpha", ["1", "0.75", "0.5"])
@pytest.mark.parametrize("name", PRESETS)
def test_bench_one_second(name, alpha):
    out = cli("bench", name, "--alpha", alpha, "--seconds", "1", "--runtime", "both",
              "--threads", "1", "--json")
    assert out.returncode == 0, out.stderr
    timings = json.loads(out.stdout)["timings"]
    assert {t["runtime"] for t in timings} == {"torch", "onnxruntime"}
    assert all(t["alpha"] == float(alpha) and t["median_ms"] > 0 for t in timings)


def test_every_new_kind_is_timed_block_by_block(tmp_path):
    save(every_new_kind(), tmp_path / "d.json")
    out = cli("bench", str(tmp_path / "d.json"), "--runtime", "torch", "--seconds", "0.5",
              "--per-block", "--threads", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = lines.index(next(x for x in lines if x.startswith("block ")))
    rows = {row.split()[0]: float(row.split()[1]) for row in lines[header + 1:-1]}
    assert set(rows) == {"dilated", "bneck", "mbconv", "se", "shuffle", "unit", "unit_down",
                         "basic", "bottleneck", "dilated_dw"}
    assert all(ms > 0 for ms in rows.values())


def test_check_explains_every_counter_on_swish_and_se():
    # ptflops counts SiLU once per element and ignores the sigmoid gates and SE's multiply;
    # fvcore and thop count neither (designer.core.conventions)
    out = cli("check", "efficientnet_b0")
    assert out.returncode == 0, out.stderr
    assert "385,814,752" in out.stdout and out.stdout.count("exactly") == 3
    assert "SiLU" in out.stdout
