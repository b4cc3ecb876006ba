"""Recovery per running instance: two real app processes autosave side by side, the one that
quits cleanly removes only its own recovery, the one killed is offered back at the next start
(and only it); a recovery whose owner still runs is never offered, one whose pid was reused by
another process is; several are offered newest first, one at a time, and none the user was not
asked about is deleted (pytest-qt offscreen; only the modal question is patched)."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from designer.core import io
from designer.core.presets import load_preset
from designer.ui.shell import session
from designer.ui.shell.app import start
from tests.ui.test_recovery import dead_owner

APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from designer.ui.shell.app import application, start
    app = application()
    window = start(sys.argv[1])
    window.files.may_discard = lambda: True  # the user chose Discard at Quit
    window.scaling.alpha.setValue(int(sys.argv[2]))
    quit_when = Path(sys.argv[3])
    poll = QTimer()
    poll.timeout.connect(lambda: quit_when.exists() and window.close())
    poll.start(50)
    print("edited", flush=True)
    sys.exit(app.exec())
""")


@pytest.fixture
def asked(monkeypatch):
    """Answer each recovery question with the next of ``answers`` (Yes when they run out);
    record every question's text."""
    texts, answers = [], []

    def question(parent, title, text, *rest):
        texts.append(text)
        return answers.pop(0) if answers else QMessageBox.Yes
    monkeypatch.setattr(QMessageBox, "question", question)
    return texts, answers


def started(qtbot, spec=None):
    w = start(spec)
    qtbot.addWidget(w)
    w.files.may_discard = lambda: True
    return w


def own_recovery(home: Path, proc) -> Path:
    """Wait until the app process ``proc`` has autosaved; its recovery file."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = list(home.glob(f"recovery-{proc.pid}-*.json")) if home.exists() else []
        if found:
            return found[0]
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.05)
    raise AssertionError(f"app process {proc.pid} never autosaved")


def test_two_app_processes_one_quits_one_is_killed_only_the_killed_one_is_offered(
        qtbot, tmp_path, asked, convsketch_home):
    first, second = tmp_path / "v2.json", tmp_path / "sq.json"
    io.save(load_preset("mobilenet_v2"), first)
    io.save(load_preset("squeezenet1_1"), second)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CONVSKETCH_HOME": str(convsketch_home),
           "CONVSKETCH_AUTOSAVE_MS": "100"}
    procs = []
    try:
        for path, alpha in ((first, 50), (second, 75)):
            procs.append(subprocess.Popen(
                [sys.executable, "-c", APP, str(path), str(alpha), str(tmp_path / f"quit-{alpha}")],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        quits, killed = procs
        for proc in procs:
            assert proc.stdout.readline().strip() == "edited", proc.stderr.read()
        quits_file, killed_file = own_recovery(convsketch_home, quits), \
            own_recovery(convsketch_home, killed)
        saved_at = {f: f.stat().st_mtime_ns for f in (quits_file, killed_file)}
        qtbot.waitUntil(lambda: all(f.stat().st_mtime_ns != t for f, t in saved_at.items()),
                        timeout=20000)  # both have autosaved again: neither overwrote the other
        assert io.load(quits_file).alpha == 0.5 and io.load(killed_file).alpha == 0.75

        w = started(qtbot)
        assert asked[0] == [] and w.document.design.name == load_preset("mobilenet_v2").name
        assert quits_file.exists() and killed_file.exists()
        w.close()

        (tmp_path / "quit-50").touch()
        assert quits.wait(20) == 0, quits.stderr.read()
        killed.send_signal(signal.SIGKILL)
        assert killed.wait(10) == -signal.SIGKILL
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    assert not quits_file.exists() and killed_file.exists()
    assert io.load(first).alpha == 1.0 and io.load(second).alpha == 1.0

    later = started(qtbot)
    texts, _ = asked
    assert len(texts) == 1 and "'SqueezeNet 1.1'" in texts[0] and "sq.json" in texts[0]
    assert later.document.design.alpha == 0.75 and later.document.path == second
    assert not killed_file.exists() and io.load(session.recovery_path()).alpha == 0.75
    assert session.orphaned_recoveries() == []


def write(name: str, alpha: float, owner: session.Instance, age: float) -> Path:
    """A recovery of preset ``name`` at ``alpha`` by ``owner``, last written ``age`` s ago."""
    design = load_preset(name)
    design.alpha = alpha
    session.write_recovery(design, None, owner=owner)
    path = session.recovery_path(owner)
    when = time.time() - age
    os.utime(path, (when, when))
    return path


def test_a_recovery_whose_owner_still_runs_is_not_offered_one_on_a_reused_pid_is(qtbot, asked):
    running = write("alexnet", 0.5, session.THIS, 1)
    assert session.THIS.running() and session.THIS.pid == os.getpid()
    reused = session.Instance(os.getpid(), session.THIS.start + 1)
    assert not reused.running()
    orphan = write("squeezenet1_1", 0.25, reused, 2)
    assert [r.path for r in session.orphaned_recoveries()] == [orphan]
    w = started(qtbot)
    assert len(asked[0]) == 1 and "SqueezeNet 1.1" in asked[0][0]
    assert w.document.design.alpha == 0.25
    assert io.load(running).alpha == 0.25 and running == session.recovery_path()
    assert not orphan.exists()


def test_several_are_offered_newest_first_and_those_not_asked_about_stay(qtbot, tmp_path, asked,
                                                                        convsketch_home):
    oldest = write("alexnet", 0.25, dead_owner(), 300)
    legacy = convsketch_home / "recovery.json"
    write("mobilenet_v1", 0.5, dead_owner(), 200).rename(legacy)
    newest = write("squeezenet1_1", 0.75, dead_owner(), 100)
    assert [r.path for r in session.orphaned_recoveries()] == [newest, legacy, oldest]
    before = oldest.read_bytes()
    texts, answers = asked
    answers[:] = [QMessageBox.No, QMessageBox.Yes]
    w = started(qtbot)
    assert len(texts) == 2 and "'SqueezeNet 1.1'" in texts[0] and "'MobileNetV1'" in texts[1]
    assert w.document.design.name == load_preset("mobilenet_v1").name
    assert w.document.design.alpha == 0.5 and w.document.modified
    assert not newest.exists() and not legacy.exists()
    assert oldest.read_bytes() == before
    assert w.statusBar().currentMessage() == (
        "1 more unsaved design from ConvSketch sessions that ended will be offered at the next "
        "start")
    w.close()
    assert not session.recovery_path().exists()

    texts.clear()
    again = started(qtbot)
    assert len(texts) == 1 and "AlexNet" in texts[0] and again.document.design.alpha == 0.25


def test_one_restored_meanwhile_by_another_instance_is_restored_here_too_without_a_false_alarm(
        qtbot, monkeypatch):
    orphan = write("alexnet", 0.5, dead_owner(), 1)

    def other_instance_took_it(parent, title, text, *rest):
        orphan.unlink()
        return QMessageBox.Yes
    monkeypatch.setattr(QMessageBox, "question", other_instance_took_it)
    w = started(qtbot)
    assert w.document.design.name == "AlexNet" and w.document.design.alpha == 0.5
    assert w.statusBar().currentMessage() == "" and not orphan.exists()
    assert session.orphaned_recoveries() == []
