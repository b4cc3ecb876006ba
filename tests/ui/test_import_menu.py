"""File > Import model… driven from the window's real menu (pytest-qt, offscreen; the file and
question dialogs patched): the model opens as a new, unsaved design, laid out; a .py asks before
its code runs; a refused import leaves the open document exactly as it was."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from designer.core import io
from designer.core.analysis import analyze
from designer.core.layout import auto_layout
from tests.model_files import MODEL_HEAD, conv_model


def menu_action(window, menu, text):
    (action,) = [a for a in window.menu(menu).actions() if a.text() == text]
    return action


@pytest.fixture
def choose(monkeypatch):
    def answer(path):
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    return answer


@pytest.fixture
def questions(monkeypatch):
    asked = []

    def reply(answer):
        def question(parent, title, text, *args):
            asked.append((title, text))
            return answer
        monkeypatch.setattr(QMessageBox, "question", question)
    return asked, reply


def snapshot(window):
    return io.dumps(window.document.design), window.document.path, window.document.modified


def run_import(window, qtbot):
    menu_action(window, "File", "&Import model…").trigger()
    if window.import_actions.busy:
        qtbot.waitUntil(lambda: not window.import_actions.busy, timeout=300_000)


def test_onnx_model_opens_as_a_new_unsaved_design(v2, qtbot, tmp_path, choose):
    choose(conv_model(tmp_path / "tiny.onnx"))
    v2.document.path = tmp_path / "was-here.json"
    run_import(v2, qtbot)
    assert v2.import_actions.last_ok, v2.import_actions.last_message
    d = v2.document.design
    assert d.name == "tiny" and v2.document.path is None
    assert [(n.name, n.kind) for n in d.nodes.values()] == [("stem/conv", "conv")]
    assert d.layout == auto_layout(d) and set(d.nodes) <= set(d.layout)
    assert analyze(d).output_shape == (8, 16, 16)
    assert v2.document.undo_stack.count() == 0


def test_refused_import_leaves_the_open_document_untouched(v2, qtbot, tmp_path, choose,
                                                           monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    v2.document.path = tmp_path / "mine.json"
    before = snapshot(v2)
    bad = tmp_path / "cut.onnx"
    bad.write_bytes(conv_model(tmp_path / "whole.onnx").read_bytes()[:40])
    choose(bad)
    run_import(v2, qtbot)
    assert v2.import_actions.last_ok is False
    assert snapshot(v2) == before
    assert shown and shown[0].startswith(f"{bad}: not an ONNX model")


def test_python_model_asks_before_running_and_a_no_runs_nothing(v2, qtbot, tmp_path, choose,
                                                                questions):
    asked, reply = questions
    marker = tmp_path / "ran"
    path = tmp_path / "model.py"
    path.write_text(f"open({str(marker)!r}, 'w').close()\n" + MODEL_HEAD
                    + "def build_model():\n    return nn.Conv2d(3, 4, 3)\n")
    reply(QMessageBox.No)
    before = snapshot(v2)
    choose(path)
    menu_action(v2, "File", "&Import model…").trigger()
    assert len(asked) == 1 and "runs its Python code" in asked[0][1]
    assert not v2.import_actions.busy and not marker.exists()
    assert snapshot(v2) == before


def test_python_model_that_raises_leaves_the_document_untouched(v2, qtbot, tmp_path, choose,
                                                                questions):
    asked, reply = questions
    reply(QMessageBox.Yes)
    path = tmp_path / "model.py"
    path.write_text(MODEL_HEAD + "def build_model():\n    raise RuntimeError('broken')\n")
    before = snapshot(v2)
    choose(path)
    run_import(v2, qtbot)
    assert len(asked) == 1
    assert v2.import_actions.last_ok is False
    assert "build_model() raised RuntimeError: broken" in v2.import_actions.last_message
    assert snapshot(v2) == before


def test_a_hanging_model_is_cancelled_from_the_progress_dialog(v2, qtbot, tmp_path, choose,
                                                               questions):
    """build_model() that never returns: Cancel kills its process well before the two-minute
    limit, says so in the status bar (no error box), and the open document is untouched."""
    import time

    _, reply = questions
    reply(QMessageBox.Yes)
    pid_file = tmp_path / "pid"
    path = tmp_path / "hangs.py"
    path.write_text(MODEL_HEAD + "import os, time\n"
                    f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                    "def build_model():\n    time.sleep(3600)\n")
    before = snapshot(v2)
    choose(path)
    menu_action(v2, "File", "&Import model…").trigger()
    actions = v2.import_actions
    assert actions.busy and actions.progress.labelText().startswith("Importing hangs.py")
    qtbot.waitUntil(lambda: pid_file.exists() and pid_file.read_text() != "", timeout=120_000)
    qtbot.waitUntil(actions.progress.isVisible)
    (button,) = [b for b in actions.progress.findChildren(QPushButton) if b.text() == "Cancel"]
    started = time.monotonic()
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not actions.busy, timeout=60_000)
    assert time.monotonic() - started < 60
    assert actions.last_ok is False and "cancelled" in actions.last_message
    assert "cancelled" in v2.statusBar().currentMessage()
    assert snapshot(v2) == before
    pid = int(pid_file.read_text())
    qtbot.waitUntil(lambda: not _alive(pid), timeout=10_000)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:            # a zombie is dead too
        return f.read().split()[2] != "Z"
