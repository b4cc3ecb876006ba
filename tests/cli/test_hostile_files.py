"""Hostile files on the command line: a clear located error, non-zero exit, never a traceback."""
import json
import subprocess
import sys

import pytest

from designer.core import io
from designer.core.presets import load_preset


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, timeout=60)


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

    def denied(self):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(type(path), "read_bytes", denied)
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
