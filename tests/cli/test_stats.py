"""The command line, run as a user runs it: a real process, its output and exit code."""
import json
import subprocess
import sys


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True, text=True,
                          check=False)


def test_stats_json_mobilenet_v2():
    out = cli("stats", "mobilenet_v2", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["params"] == 3_504_872 and round(d["macs"] / 1e6, 1) == 300.8
    for key in ("other_ops", "activation_bytes_total", "peak_activation_bytes",
                "block_peak_activation_bytes", "input_shape", "output_shape"):
        assert key in d
    assert d["input_shape"] == [3, 224, 224] and d["output_shape"] == [1000]
    b = d["blocks"][0]
    assert {"name", "kind", "output_shape", "params", "macs", "activation_bytes"} <= set(b)
    assert sum(x["params"] for x in d["blocks"]) == d["params"]


def test_stats_scaling_flags():
    half = json.loads(cli("stats", "mobilenet_v1", "--alpha", "0.5", "--json").stdout)
    assert round(half["macs"] / 1e6) == 149
    low = json.loads(cli("stats", "mobilenet_v1", "--resolution", "160", "--json").stdout)
    assert low["input_shape"] == [3, 160, 160] and round(low["macs"] / 1e6) == 291
    fp16 = json.loads(cli("stats", "mobilenet_v1", "--dtype", "fp16", "--json").stdout)
    fp32 = json.loads(cli("stats", "mobilenet_v1", "--json").stdout)
    assert fp16["activation_bytes_total"] * 2 == fp32["activation_bytes_total"]


def test_stats_table_is_readable():
    out = cli("stats", "squeezenet1_1")
    assert out.returncode == 0
    assert "fire9" in out.stdout and "1,235,496" in out.stdout and "MACs" in out.stdout


def test_invalid_design_exits_non_zero_with_located_errors(tmp_path):
    d = json.loads(open("resources/presets/mobilenet_v1.json").read())
    d["nodes"][1]["params"]["stride"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d))
    out = cli("stats", str(path))
    assert out.returncode == 1
    assert "block 'sep2', field 'stride'" in out.stderr and "Traceback" not in out.stderr


def test_errors_without_traceback(tmp_path):
    (tmp_path / "x.json").write_text("{")
    for args in (["stats", "nope"], ["stats", str(tmp_path / "x.json")],
                 ["stats", "mobilenet_v2", "--alpha", "9"], ["stats", str(tmp_path)]):
        out = cli(*args)
        assert out.returncode == 2 and out.stderr.startswith("error:"), args
        assert "Traceback" not in out.stderr


def test_presets_lists_all():
    out = cli("presets")
    assert out.returncode == 0 and "googlenet" in out.stdout and "3.50M" in out.stdout


def test_stats_prints_and_writes_receptive_field_and_jump():
    d = json.loads(cli("stats", "vgg16", "--json").stdout)
    by_name = {b["name"]: b for b in d["blocks"]}
    assert (by_name["conv5_3"]["receptive_field"], by_name["conv5_3"]["jump"]) == (196, 16)
    assert by_name["fc6"]["sees_whole_image"] is True
    text = cli("stats", "vgg16").stdout.splitlines()
    assert text[1].split()[-2:] == ["field", "jump"]
    pool5 = next(line for line in text if line.startswith("pool5 "))
    assert pool5.split()[-2:] == ["212", "32"]
    fc6 = next(line for line in text if line.startswith("fc6 "))
    assert fc6.split()[-2:] == ["404*", "224"]
