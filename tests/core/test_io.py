"""Design files: byte-stable round trip, atomic saves, and located errors for broken files."""
import json
import os

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.presets import load_preset, names


@pytest.mark.parametrize("name", names())
def test_round_trip_is_byte_stable(tmp_path, name):
    d = load_preset(name)
    path = tmp_path / "d.json"
    io.save(d, path)
    first = path.read_bytes()
    again = io.load(path)
    io.save(again, path)
    assert path.read_bytes() == first
    assert analyze(again).to_dict() == analyze(d).to_dict()


def test_save_leaves_no_temp_file_and_replaces_atomically(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("old")
    io.save(load_preset("mobilenet_v2"), path)
    assert os.listdir(tmp_path) == ["d.json"]
    assert json.loads(path.read_text())["format_version"] == io.FORMAT_VERSION


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "d.json"
    path.write_text("old")

    def full_disk(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        io.save(load_preset("mobilenet_v2"), path)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["d.json"]


def good():
    return io.to_dict(load_preset("squeezenet1_1"))


@pytest.mark.parametrize("mutate,place,words", [
    (lambda d: d.pop("format_version"), "format_version", "missing"),
    (lambda d: d.update(format_version=99), "format_version", "newer"),
    (lambda d: d.update(input_shape=[3, 224]), "input_shape", "channels, height, width"),
    (lambda d: d.update(nodes={}), "nodes", "must be a list"),
    (lambda d: d["nodes"][2].pop("kind"), "nodes[2].kind", "non-empty text"),
    (lambda d: d["nodes"][1].update(params=[1]), "nodes[1].params", "object"),
    (lambda d: d["nodes"][3].update(id=d["nodes"][0]["id"]), "nodes[3].id", "used twice"),
    (lambda d: d["edges"][0].update(port="a"), "edges[0].port", "whole number"),
    (lambda d: d.update(alpha="big"), "alpha", "number"),
])
def test_broken_files_name_the_place(tmp_path, mutate, place, words):
    data = good()
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(io.DesignFileError) as err:
        io.load(path)
    assert err.value.place == place and words in err.value.message
    assert str(path) in str(err.value)


@pytest.mark.parametrize("content,words", [
    (b'{"format_version": 1, "nodes": [', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"[1, 2]", "JSON object"),
])
def test_unreadable_content(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(io.DesignFileError, match=words):
        io.load(path)


def test_folder_missing_and_huge_files(tmp_path):
    with pytest.raises(io.DesignFileError, match="folder"):
        io.load(tmp_path)
    with pytest.raises(io.DesignFileError, match="no such file"):
        io.load(tmp_path / "none.json")
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(io.MAX_FILE_BYTES + 1)
    with pytest.raises(io.DesignFileError, match="at most"):
        io.load(big)


def test_bad_param_values_load_and_are_located_by_analysis(tmp_path):
    data = good()
    data["nodes"][0]["params"]["kernel"] = -4
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    a = analyze(io.load(path))
    assert [(p.node_name, p.field) for p in a.problems] == [(data["nodes"][0]["name"], "kernel")]
