"""A large design file is read off the UI thread with a progress dialog; a bad one is refused
and leaves the open document (issue 13: a 0.5 MB file froze the window for 20 s)."""
import threading

from PySide6.QtWidgets import QProgressDialog

from designer.core import io
from designer.core.builder import generated_chain
from designer.core.presets import load_preset
from designer.ui.shell.background_open import LARGE_FILE_BYTES


def test_a_large_file_is_read_on_another_thread_with_progress(window, qtbot, tmp_path,
                                                              monkeypatch):
    path = tmp_path / "large.json"
    io.save(generated_chain(3000), path)
    assert path.stat().st_size >= LARGE_FILE_BYTES
    threads, values = [], []
    real_load = io.load

    def recording_load(target, *args, **kwargs):
        if str(target) == str(path):
            threads.append(threading.current_thread())
        return real_load(target, *args, **kwargs)
    monkeypatch.setattr(io, "load", recording_load)
    real_set = QProgressDialog.setValue
    monkeypatch.setattr(QProgressDialog, "setValue",
                        lambda self, v: values.append(v) or real_set(self, v))
    w = window(load_preset("mobilenet_v1"))
    assert w.files.open_path(str(path))
    qtbot.waitUntil(lambda: w.document.design.name == "generated 3000 blocks", timeout=120_000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert any(0 < v < 100 for v in values) and w.document.path == path
    assert len(w.document.design.nodes) == 3000 and w.document.analysis.ok


def test_a_large_bad_file_is_refused_and_the_document_kept(window, qtbot, tmp_path, told):
    path = tmp_path / "cut.json"
    path.write_text(io.dumps(generated_chain(3000))[:-5000])
    w = window(load_preset("mobilenet_v1"))
    w.files.open_path(str(path))
    qtbot.waitUntil(lambda: bool(told), timeout=120_000)
    assert told[-1][1] == "Cannot open the design" and "cut short" in told[-1][2]
    assert w.document.design.name == "MobileNetV1" and w.document.path is None
