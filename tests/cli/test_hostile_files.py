"""Hostile files on the command line: a clear located error, non-zero exit, never a traceback."""
import json
import os
import subprocess
import sys

import pytest

from designer.core import io
from designer.core.presets import load_preset


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def good():
    return io.to_dict(load_preset("mobilenet_v1"))


def write(tmp_path, content):
    path = tmp_path / "design.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def mutated(fn):
    d = good()
    fn(d)
    return d


HOSTILE = {
    "truncated": lambda: json.dumps(good()).encode()[:500],
    "wrong types": lambda: mutated(lambda d: d.update(nodes="conv")),
    "missing field": lambda: mutated(lambda d: d.pop("edges")),
    "newer version": lambda: mutated(lambda d: d.update(format_version=2)),
    "non-utf8": lambda: b'{"name": "\xff\xfe"}',
    "deeply nested": lambda: b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "empty": lambda: b"",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file(tmp_path, name):
    path = write(tmp_path, HOSTILE[name]())
    out = cli("stats", str(path))
    assert out.returncode == 2, out
    assert out.stderr.startswith(f"error: {path}") and "Traceback" not in out.stderr


def test_unknown_kind_and_bad_value_are_located(tmp_path):
    def spoil(d):
        d["nodes"][3]["kind"] = "transformer"
        d["nodes"][5]["params"]["stride"] = "2"
    path = write(tmp_path, mutated(spoil))
    out = cli("stats", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "block 'sep4', field 'kind': unknown block kind 'transformer'" in out.stderr
    assert "block 'sep6', field 'stride'" in out.stderr


def test_hundred_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(100 * 1024 * 1024)
    out = cli("stats", str(path))
    assert out.returncode == 2 and "at most" in out.stderr


def test_directory_and_missing_file(tmp_path):
    assert "folder" in cli("stats", str(tmp_path)).stderr
    out = cli("stats", str(tmp_path / "gone.json"))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    path = write(tmp_path, good())
    real_open = os.open

    def denied(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(io.DesignFileError, match="permission denied"):
        io.load(path)


def test_older_format_versions_are_upgraded(monkeypatch, tmp_path):
    """The upgrade chain runs each step in order (exercised with a synthetic version 2)."""
    d = good()
    d["nodes"][0]["params"]["kernel_size"] = d["nodes"][0]["params"].pop("kernel")
    path = write(tmp_path, d)

    def v1_to_v2(data):
        for n in data["nodes"]:
            if "kernel_size" in n["params"]:
                n["params"]["kernel"] = n["params"].pop("kernel_size")
        return data
    monkeypatch.setattr(io, "FORMAT_VERSION", 2)
    monkeypatch.setattr(io, "UPGRADES", {1: v1_to_v2})
    assert io.load(path).nodes["conv1"].params["kernel"] == 3
    d["format_version"] = 0
    path.write_text(json.dumps(d))
    with pytest.raises(io.DesignFileError, match="not a version ConvSketch wrote"):
        io.load(path)


def test_failed_save_into_a_missing_folder_raises_and_writes_nothing(tmp_path):
    with pytest.raises(OSError):
        io.save(load_preset("mobilenet_v2"), tmp_path / "no" / "such" / "d.json")
    assert list(tmp_path.iterdir()) == []


def located_failure(out, path, *words):
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.startswith(f"error: {path}"), out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


def test_number_with_too_many_digits_is_located(tmp_path):
    text = json.dumps(good(), indent=1).replace('"alpha": 1.0', '"alpha": 1' + "0" * 5000)
    path = write(tmp_path, text.encode())
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"alpha"' in t)
    located_failure(cli("stats", str(path)), path, f"line {line}", "4,300 digits")


def test_lone_surrogate_in_a_name_is_refused_at_load(tmp_path):
    text = json.dumps(good()).replace('"name": "sep5"', '"name": "sep\\ud800"')
    path = write(tmp_path, text.encode())
    located_failure(cli("stats", str(path)), path, "nodes[4].name", "not valid Unicode")
    pair = write(tmp_path, text.replace("\\ud800", "\\ud83d\\ude00").encode())
    out = cli("stats", str(pair))
    assert out.returncode == 0 and "sep\U0001f600" in out.stdout


def test_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "design.json"
    os.mkfifo(fifo)
    out = cli("stats", str(fifo))     # cli() times out (and fails) after 60 s
    located_failure(out, fifo, "not a regular file")


def test_dev_zero_is_refused():
    located_failure(cli("stats", "/dev/zero"), "/dev/zero", "not a regular file")


def test_empty_design_prints_an_empty_table(tmp_path):
    path = write(tmp_path, mutated(lambda d: d.update(nodes=[], edges=[], layout={})))
    out = cli("stats", str(path))
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "total" in out.stdout and "parameters      0" in out.stdout


def test_huge_values_are_cut_and_control_characters_escaped(tmp_path):
    def spoil(d):
        d["nodes"][3]["kind"] = "k" * 15_000_000
        d["nodes"][5]["params"]["stride"] = "s" * 1_000_000
        d["nodes"][6]["name"] = "evil\x1b[2J\x1b]0;owned\x07\u202e"
        d["nodes"][6]["params"]["stride"] = 0
    path = write(tmp_path, mutated(spoil))
    out = cli("stats", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stderr) < 2000, len(out.stderr)
    assert "block 'sep4', field 'kind'" in out.stderr and "kkkkk…'" in out.stderr
    assert "block 'sep6', field 'stride'" in out.stderr and "sssss…'" in out.stderr
    assert r"block 'evil\x1b[2J\x1b]0;owned\x07\u202e', field 'stride'" in out.stderr
    assert not any(c in out.stderr for c in "\x1b\x07\u202e")


def test_huge_and_hostile_names_in_the_table(tmp_path):
    def spoil(d):
        d["name"] = "\x1b[31m" + "n" * 1_000_000
        d["nodes"][3]["name"] = "x" * 15_000_000
        d["nodes"][4]["name"] = "bell\x07"
    path = write(tmp_path, mutated(spoil))
    out = cli("stats", str(path))
    assert out.returncode == 0, out.stderr
    assert len(out.stdout) < 20_000 and "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "x" * 39 + "…" in out.stdout and r"bell\x07" in out.stdout


def test_bad_settings_in_the_file_are_blamed_on_the_file(tmp_path):
    path = write(tmp_path, mutated(lambda d: d.update(dtype="fp64", alpha=9)))
    out = cli("stats", str(path))
    located_failure(out, path, "setting 'dtype' must be one of", "setting 'alpha'")
    assert "--" not in out.stderr
    out = cli("stats", str(path), "--dtype", "fp16", "--alpha", "0.5")
    assert out.returncode == 0, out.stderr
    out = cli("stats", str(path), "--dtype", "fp16")
    assert "setting 'alpha'" in out.stderr and "dtype" not in out.stderr
    out = cli("stats", "mobilenet_v1", "--alpha", "9")
    assert out.stderr.startswith("error: --alpha: must be a number from 0.25 to 1.5, got 9.0")


def test_resolution_errors_are_in_pixels():
    out = cli("stats", "mobilenet_v1", "--resolution", "1")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("error: --resolution: must be from 23 to 448 pixels")
    assert "got 1" in out.stderr and "--rho" not in out.stderr and "0.004" not in out.stderr
    assert cli("stats", "mobilenet_v1", "--resolution", "448", "--json").returncode == 0


def test_bad_input_shape_in_the_file_with_resolution_flag(tmp_path):
    path = write(tmp_path, mutated(lambda d: d.update(input_shape=[3, 0, 0])))
    out = cli("stats", str(path), "--resolution", "160")
    located_failure(out, path, "setting 'input_shape'")


def test_closed_pipe_ends_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "designer", "stats", "googlenet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == b"", err
