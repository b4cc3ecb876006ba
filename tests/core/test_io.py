"""Design files: byte-stable round trip, atomic saves, and located errors for broken files."""
import json
import os
import stat
import tempfile
import threading

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.presets import load_preset, names, open_design


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


def test_number_with_too_many_digits_is_located(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{\n  "format_version": 1,\n  "alpha": ' + "9" * 4301 + "\n}")
    with pytest.raises(io.DesignFileError) as err:
        io.load(path)
    assert err.value.place == "line 3, column 12" and "4,300 digits" in err.value.message


@pytest.mark.parametrize("where,place", [
    (lambda d, bad: d["nodes"][2].update(name=bad), "nodes[2].name"),
    (lambda d, bad: d.update(description=bad), "description"),
    (lambda d, bad: d["nodes"][1]["params"].update(note=bad), "nodes[1].params.note"),
    (lambda d, bad: d["layout"].update({bad: [0, 0]}), "layout (a key)"),
])
def test_lone_surrogates_are_refused_where_they_are(tmp_path, where, place):
    data = good()
    where(data, "a\ud800b")
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))       # ensure_ascii: the file holds the escape \ud800
    assert "\\ud800" in path.read_text()
    with pytest.raises(io.DesignFileError) as err:
        io.load(path)
    assert err.value.place == place and "not valid Unicode" in err.value.message


def test_surrogate_pairs_are_ordinary_text(tmp_path):
    data = good()
    data["nodes"][0]["name"] = "conv \U0001f600"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    design = io.load(path)
    io.save(design, path)
    assert io.load(path).nodes[data["nodes"][0]["id"]].name == "conv \U0001f600"


def test_a_design_that_cannot_be_encoded_is_a_save_error_that_keeps_the_old_file(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("old")
    design = load_preset("squeezenet1_1")
    node = design.node_by_name("fire5")
    design.set_node_attr(node.id, "name", "fire\udc80")   # e.g. pasted from a broken clipboard
    with pytest.raises(io.DesignSaveError) as err:
        io.save(design, path)
    assert isinstance(err.value, OSError) and err.value.filename == str(path)
    index = list(design.nodes).index(node.id)
    assert f"nodes[{index}].name" in err.value.strerror and "not valid Unicode" in err.value.strerror
    design.nodes[node.id].params["squeeze"] = object()
    design.set_node_attr(node.id, "name", "fire5")
    with pytest.raises(io.DesignSaveError, match="cannot be written as JSON"):
        io.save(design, path)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["d.json"]


def test_fifo_and_devices_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "d.json"
    os.mkfifo(fifo)
    result = []

    def load(target):
        try:
            io.load(target)
        except io.DesignFileError as err:
            result.append(err)
    for target in (fifo, "/dev/zero"):
        worker = threading.Thread(target=load, args=(target,), daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), f"io.load({target}) blocked"
        assert "not a regular file" in result.pop().message


def test_reading_stops_at_the_size_limit(monkeypatch):
    """/proc files say they are empty and are not: the limit holds on what is read, too."""
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 64)
    with pytest.raises(io.DesignFileError, match="at most"):
        io.load("/proc/self/maps")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_save_keeps_the_old_files_mode(tmp_path, mode):
    path = tmp_path / "d.json"
    path.write_text("old")
    os.chmod(path, mode)
    io.save(load_preset("squeezenet1_1"), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert io.load(path).name == "SqueezeNet 1.1"


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        io.save(load_preset("squeezenet1_1"), tmp_path / "new.json")
        assert os.umask(umask) == umask    # save leaves the umask as it found it
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == mode


def test_save_through_a_symlink_writes_its_target(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "d.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    io.save(load_preset("squeezenet1_1"), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert io.load(target).name == "SqueezeNet 1.1"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real"] and os.listdir(real_dir) == ["d.json"]


@pytest.mark.parametrize("fails", ["mkstemp", "replace"])
def test_read_only_folder_fails_the_save_and_keeps_the_old_file(tmp_path, monkeypatch, fails):
    """Root ignores chmod, so the refusal of a read-only folder is raised where the OS raises it:
    creating the temporary file, or renaming it over the target."""
    path = tmp_path / "d.json"
    path.write_text("old")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))
    if fails == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", denied)
    else:
        monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(PermissionError):
        io.save(load_preset("mobilenet_v2"), path)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["d.json"]


def test_unusable_names_are_refused_clearly():
    with pytest.raises(io.DesignFileError, match="NUL character"):
        io.load("a\x00b.json")
    with pytest.raises(io.DesignFileError, match="no design given"):
        open_design("  ")


def test_a_concat_of_1100_branches_wired_in_the_app_saves_and_opens_again(tmp_path):
    """Wiring numbers a new input one past the highest port, so a wide concat (or one rewired
    many times) has ports past 1,023: the file it saved must load again, not be refused."""
    from designer.core.builder import Builder
    from designer.core.design import INPUT, Node, new_id
    from designer.core.editing import wire

    b = Builder("wide", (3, 8, 8))
    b.add("concat", "cat")
    design = b.build()
    cat = design.node_by_name("cat").id
    for i in range(1100):
        node = Node(new_id(), "maxpool", {"kernel": 1, "stride": 1}, f"p{i}")
        design.add_node(node)
        wire(design, INPUT, node.id).do(design)
        wire(design, node.id, cat).do(design)
    ports = sorted(e.port for e in design.inputs_of(cat))
    assert ports[-1] >= 1024
    io.save(design, tmp_path / "wide.json")
    back = io.load(tmp_path / "wide.json")
    assert sorted(e.port for e in back.inputs_of(cat)) == ports
    assert analyze(back).output_shape == analyze(design).output_shape
    data = json.loads((tmp_path / "wide.json").read_text())
    data["edges"][0]["port"] = 2 ** 31
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(io.DesignFileError, match=r"edges\[0\]\.port"):
        io.load(tmp_path / "bad.json")
