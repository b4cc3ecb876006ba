"""``estimate`` and ``calibrate`` as a user runs them: real processes, real profile files."""
import json
import os
import subprocess
import sys

import pytest

from designer.core.analysis import analyze
from designer.core.latency import KINDS, MODEL, DeviceProfile, KindRate, estimate, save_profile
from designer.core.presets import load_preset


def cli(*args, home=None):
    env = dict(os.environ)
    if home is not None:
        env["CONVSKETCH_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, env=env, timeout=600, check=False)


@pytest.fixture
def profile_file(tmp_path):
    rates = tuple((k, KindRate(3.0, 20_000.0, 10_000.0)) for k in KINDS)
    p = DeviceProfile("a laptop", rates, False, "datasheet: 20 GMAC/s, 10 GB/s", 4, "2.13.0",
                      "Example CPU")
    return save_profile(p, tmp_path / "laptop.json"), p


def test_estimate_with_a_profile_file(profile_file):
    path, p = profile_file
    out = cli("estimate", "mobilenet_v2", "--device", str(path), "--json", "--batch", "2")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    expected = estimate(analyze(load_preset("mobilenet_v2")), p, 2)
    assert d["latency_ms"] == pytest.approx(expected.latency_ms)
    assert [b["latency_ms"] for b in d["blocks"]] == pytest.approx(
        [b.latency_ms for b in expected.blocks])
    assert d["batch"] == 2 and d["profile"]["calibrated"] is False
    text = cli("estimate", "mobilenet_v2", "--device", str(path)).stdout
    one = estimate(analyze(load_preset("mobilenet_v2")), p, 1)
    assert f"estimated {one.latency_ms:.2f} ms at batch 1" in text
    assert "UNCALIBRATED" in text and "block17" in text


def test_a_broken_profile_is_a_located_error(tmp_path, profile_file):
    path, _ = profile_file
    data = json.loads(path.read_text())
    data["rates"]["dwconv"]["bytes_per_us"] = "fast"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out = cli("estimate", "mobilenet_v2", "--device", str(bad))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "bad.json: rates.dwconv.bytes_per_us: must be a number" in out.stderr
    out = cli("estimate", "mobilenet_v2", "--device", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and "missing.json" in out.stderr and "Traceback" not in out.stderr


def test_the_first_estimate_on_a_machine_calibrates_and_says_so(tmp_path):
    from designer.core.machine import cpu_model, torch_version
    first = cli("estimate", "squeezenet1_1", "--json", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "no device profile yet: calibrating it now" in first.stderr
    saved = json.loads((tmp_path / "device-profile.json").read_text())
    assert saved["calibrated"] is True and saved["cpu"] == cpu_model()
    assert saved["torch"] == torch_version() and saved["threads"] >= 1
    assert set(saved["rates"]) == set(KINDS)
    assert saved["network_factor"] > 0 and saved["conv_factor"] > 0 and saved["model"] == MODEL
    assert json.loads(first.stdout)["latency_ms"] > 0
    second = cli("estimate", "squeezenet1_1", "--json", home=tmp_path)
    assert "calibrating" not in second.stderr
    assert json.loads(second.stdout)["latency_ms"] == json.loads(first.stdout)["latency_ms"]


def test_estimate_on_an_example_device_by_name():
    from designer.core.device_examples import example_profile

    out = cli("estimate", "mobilenet_v2", "--device", "nvidia-a100-40gb-sxm")
    assert out.returncode == 0, out.stderr
    expected = estimate(analyze(load_preset("mobilenet_v2")), example_profile(
        "nvidia-a100-40gb-sxm"))
    assert f"estimated {expected.latency_ms:.2f} ms at batch 1" in out.stdout
    assert "UNCALIBRATED" in out.stdout and "19500 GFLOP/s fp32 peak, 1555 GB/s" in out.stdout
    out = cli("estimate", "mobilenet_v2", "--device", "nvidia-x100")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "no example device of that name" in out.stderr and "nvidia-t4" in out.stderr


def test_explain_writes_a_block_out_term_by_term(profile_file):
    from designer.core.latency_explain import explain_block

    path, p = profile_file
    out = cli("estimate", "mobilenet_v2", "--device", str(path), "--explain", "block3",
              "--explain", "conv1")
    assert out.returncode == 0, out.stderr
    a = analyze(load_preset("mobilenet_v2"))
    for name in ("block3", "conv1"):
        b = next(x for x in a.blocks if x.name == name)
        lines = explain_block(b.block, b.input_shapes, p).lines()
        assert f"\n{name}:\n" + "\n".join("  " + line for line in lines) in out.stdout
    assert "depthwise.conv (dwconv): overhead 3.0 µs + max(4,064,256 MACs / 20 G MACs/s" in out.stdout
    d = json.loads(cli("estimate", "mobilenet_v2", "--device", str(path), "--json",
                       "--explain", "block3").stdout)
    assert d["explain"]["block3"][-1].startswith("total: ")
    bad = cli("estimate", "mobilenet_v2", "--device", str(path), "--explain", "block99")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "--explain block99: no counted block of that name (blocks: conv1, block1" in bad.stderr
