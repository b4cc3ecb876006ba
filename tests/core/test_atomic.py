"""The one writer of every file ConvSketch writes: whole or nothing, never through a planted
link, never over a device, a FIFO or a read-only file (issue 13)."""
import os
import stat
import threading

import pytest

from designer.core import io
from designer.core.atomic import atomic_path, write_atomically
from designer.core.presets import load_preset


def saved(path):
    io.save(load_preset("squeezenet1_1"), path)


@pytest.mark.parametrize("write", [saved, lambda p: write_atomically(p, "text"),
                                   lambda p: atomic_path(p).__enter__()])
def test_a_fifo_is_refused_and_left_a_fifo(tmp_path, write):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(fifo)
    for target in (fifo, link):
        with pytest.raises(OSError, match="not a regular file"):
            write(target)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and sorted(os.listdir(tmp_path)) == ["link.json",
                                                                                    "pipe"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a device node")
def test_a_character_device_like_dev_null_is_not_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    with pytest.raises(OSError, match="not a regular file"):
        saved(null)
    assert stat.S_ISCHR(os.stat(null).st_mode) and os.listdir(tmp_path) == ["null"]


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "d.json").mkdir()
    with pytest.raises(IsADirectoryError):
        saved(tmp_path / "d.json")
    assert (tmp_path / "d.json").is_dir()


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_respected_even_by_root(tmp_path, mode):
    path = tmp_path / "d.json"
    path.write_text("old")
    os.chmod(path, mode)
    with pytest.raises(PermissionError, match="read-only"):
        saved(path)
    with pytest.raises(PermissionError):
        write_atomically(path, "new")
    assert path.read_text() == "old" and stat.S_IMODE(os.stat(path).st_mode) == mode
    assert os.listdir(tmp_path) == ["d.json"]


def test_a_link_planted_at_any_temporary_name_is_never_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    for name in (".d.json.tmp", ".d.json.tmp.json"):
        (tmp_path / name).symlink_to(victim)
    write_atomically(tmp_path / "d.json", "new")
    assert victim.read_text() == "precious" and (tmp_path / "d.json").read_text() == "new"
    assert not (tmp_path / "d.json").is_symlink()


def test_writers_at_the_same_moment_each_leave_a_whole_file(tmp_path, monkeypatch):
    """Both writers hold their data, unrenamed, at the same moment (a barrier in fsync): each has
    a file of its own, so the one renamed last is whole and neither fails."""
    path = tmp_path / "out.txt"
    barrier = threading.Barrier(2, timeout=30)
    real_fsync = os.fsync

    def fsync_together(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}"):
            barrier.wait()
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync_together)
    contents = ["a" * 300_000, "b" * 200_000]
    errors = []

    def write(text):
        try:
            write_atomically(path, text)
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)
    threads = [threading.Thread(target=write, args=(c,)) for c in contents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and path.read_text() in contents and os.listdir(tmp_path) == ["out.txt"]


def test_atomic_path_keeps_the_suffix_and_removes_its_file_on_error(tmp_path):
    target = tmp_path / "chart.png"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.suffix == ".png" and tmp.parent == tmp_path and tmp.exists()
        raise RuntimeError("the writer failed")
    assert os.listdir(tmp_path) == []
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"png")
    assert target.read_bytes() == b"png" and os.listdir(tmp_path) == ["chart.png"]
