"""Exports are written by the product's one atomic writer (issue 13): a link planted at the old
fixed temporary name is never followed, two exports to one path at once leave one whole file,
and a FIFO or a read-only file is refused before any work."""
import os
import stat
import subprocess
import sys
import threading

import onnx
import pytest

from designer.export.files import export_py
from designer.export.onnx_export import export_onnx
from designer.export.pytorch import ExportError, generate_source
from tests.export.test_onnx_export_threads import tiny


@pytest.mark.parametrize("suffix,export", [(".py", export_py), (".onnx", export_onnx)])
def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path, suffix, export):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / f"out{suffix}"
    (tmp_path / f".out{suffix}.tmp").symlink_to(victim)
    export(tiny("t"), out)
    assert victim.read_text() == "precious"
    assert not out.is_symlink() and stat.S_ISREG(os.lstat(out).st_mode)
    if suffix == ".onnx":
        onnx.checker.check_model(str(out))


def test_two_exports_to_one_path_at_once_leave_one_whole_file(tmp_path, monkeypatch):
    """Both exports hold their checked text, unrenamed, at the same moment (a barrier in fsync);
    with one fixed temporary name the second truncated the first's file and one export failed."""
    out = tmp_path / "out.py"
    barrier = threading.Barrier(2, timeout=60)
    real_fsync = os.fsync

    def fsync_together(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}") and barrier.parties:
            barrier.wait()
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync_together)
    designs = [tiny("first"), tiny("second_with_a_longer_name")]
    errors = []

    def export(design):
        try:
            export_py(design, out)
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)
    threads = [threading.Thread(target=export, args=(d,)) for d in designs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert out.read_text() in [generate_source(d) for d in designs]
    assert os.listdir(tmp_path) == ["out.py"]


@pytest.mark.parametrize("flag", ["--py", "--onnx"])
def test_export_refuses_a_fifo_and_a_read_only_file_before_any_work(tmp_path, flag):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    read_only = tmp_path / "ro"
    read_only.write_text("old")
    os.chmod(read_only, 0o444)
    for target, words in ((fifo, "is not a regular file"), (read_only, "is read-only")):
        out = subprocess.run([sys.executable, "-m", "designer", "export", "squeezenet1_1", flag,
                              str(target)], check=False, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert out.stderr.startswith(f"error: cannot write {target}: it {words}"), out.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and read_only.read_text() == "old"


def test_check_target_is_an_export_error():
    with pytest.raises(ExportError, match="there is no folder"):
        export_py(tiny("t"), "/no/such/folder/out.py")
