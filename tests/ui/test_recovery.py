"""Crash recovery and the settings folder: recovery is offered at every start (with or without a
file), a pending recovery is never deleted or overwritten before the user was asked, a real app
process killed after its own autosave is recovered, one that cannot be read is moved aside (never
deleted) and autosave goes on, and an unwritable settings folder never raises into the window
(pytest-qt, offscreen; only the modal question, and the OS calls a refusing folder makes fail,
are patched). Recoveries are per instance: see test_recovery_instances.py."""
import io as stdio
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from designer.core import io
from designer.core.commands import SetSetting
from designer.core.presets import load_preset
from designer.ui.shell import session
from designer.ui.shell.app import make_window, start


@pytest.fixture
def asked(monkeypatch):
    """Answer the recovery question with ``answer[0]``; record every question's text."""
    texts, answer = [], [QMessageBox.Yes]

    def question(parent, title, text, *rest):
        texts.append(text)
        return answer[0]
    monkeypatch.setattr(QMessageBox, "question", question)
    return texts, answer


def dead_owner() -> session.Instance:
    """A ConvSketch process that has ended (a real process, waited for)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    assert ended.wait(30) == 0
    return session.Instance(ended.pid, 12345)


def crashed_session(tmp_path) -> Path:
    """What a killed session leaves: SqueezeNet 1.1 at α 0.5 from sq.json, never saved."""
    source = tmp_path / "sq.json"
    io.save(load_preset("squeezenet1_1"), source)
    design = load_preset("squeezenet1_1")
    design.alpha = 0.5
    session.write_recovery(design, source, owner=dead_owner())
    return source


def orphans() -> list[Path]:
    """The recovery files of instances no longer running."""
    return [r.path for r in session.orphaned_recoveries()]


def started(qtbot, spec):
    w = start(spec)
    qtbot.addWidget(w)
    w.files.may_discard = lambda: True
    return w


def test_start_with_a_file_offers_the_recovery_and_restores_it(qtbot, tmp_path, asked):
    source = crashed_session(tmp_path)
    other = tmp_path / "other.json"
    io.save(load_preset("alexnet"), other)
    w = started(qtbot, str(other))
    texts, _ = asked
    assert len(texts) == 1 and "'SqueezeNet 1.1'" in texts[0] and "sq.json" in texts[0]
    assert "other.json" in texts[0]
    assert w.document.design.name == "SqueezeNet 1.1" and w.document.design.alpha == 0.5
    assert w.document.path == source and w.document.modified and w.isWindowModified()
    assert session.recovery_path().exists() and orphans() == []
    assert io.load(session.recovery_path()).alpha == 0.5
    w.close()
    assert not session.recovery_path().exists() and orphans() == []


def test_start_with_a_file_declined_keeps_the_file_and_drops_the_recovery(qtbot, tmp_path,
                                                                          asked):
    crashed_session(tmp_path)
    other = tmp_path / "other.json"
    io.save(load_preset("alexnet"), other)
    texts, answer = asked
    answer[0] = QMessageBox.No
    assert len(orphans()) == 1
    w = started(qtbot, str(other))
    assert len(texts) == 1
    assert w.document.design.name == load_preset("alexnet").name
    assert w.document.path == other and not w.document.modified
    assert not session.recovery_path().exists() and orphans() == []
    assert list(session.folder().iterdir()) == []


def test_start_without_a_file_offers_it_too(qtbot, tmp_path, asked):
    source = crashed_session(tmp_path)
    w = started(qtbot, None)
    assert len(asked[0]) == 1
    assert w.document.design.alpha == 0.5 and w.document.path == source


def test_a_start_on_a_bad_file_exits_with_its_error_and_keeps_the_recovery(tmp_path,
                                                                          convsketch_home):
    crashed_session(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1, "nodes": [')
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CONVSKETCH_HOME": str(convsketch_home)}
    out = subprocess.run([sys.executable, "-m", "designer", str(bad)], capture_output=True,
                         text=True, timeout=60, env=env, check=False)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"error: {bad}, at line 1, column 33: is not valid JSON")
    assert len(orphans()) == 1 and io.load(orphans()[0]).alpha == 0.5


def test_no_question_without_a_pending_recovery(qtbot, tmp_path, asked):
    w = started(qtbot, None)
    assert asked[0] == [] and w.document.design.name == load_preset("mobilenet_v2").name


def test_a_window_that_never_asked_neither_deletes_nor_overwrites_the_recovery(qtbot, tmp_path,
                                                                               asked):
    crashed_session(tmp_path)
    (orphan,) = orphans()
    before = orphan.read_bytes()
    w = make_window(str(tmp_path / "sq.json"))
    qtbot.addWidget(w)
    w.files.may_discard = lambda: True
    w.document.push(SetSetting("alpha", 0.75))
    w.files.write_recovery()
    assert io.load(session.recovery_path()).alpha == 0.75 and orphan != session.recovery_path()
    w.files._save_to(tmp_path / "saved.json")
    w.close()
    assert orphan.read_bytes() == before and not session.recovery_path().exists()
    later = started(qtbot, None)
    assert len(asked[0]) == 1 and later.document.design.alpha == 0.5


def test_killed_app_process_autosaves_by_its_own_timer_and_is_recovered(qtbot, tmp_path, asked,
                                                                        convsketch_home):
    design_file = tmp_path / "v2.json"
    io.save(load_preset("mobilenet_v2"), design_file)
    script = textwrap.dedent("""
        import sys
        from designer.ui.shell.app import application, start
        app = application()
        window = start(sys.argv[1])
        window.scaling.alpha.setValue(50)
        print("edited", flush=True)
        app.exec()
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CONVSKETCH_HOME": str(convsketch_home),
           "CONVSKETCH_AUTOSAVE_MS": "200"}
    proc = subprocess.Popen([sys.executable, "-c", script, str(design_file)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "edited"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            own = list(convsketch_home.glob(f"recovery-{proc.pid}-*.json")) \
                if convsketch_home.exists() else []
            if own:
                break
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        assert len(own) == 1, "the app's autosave timer never wrote its recovery file"
        (recovery,) = own
        source = recovery.with_name(recovery.stem + "-source.txt")
        assert source.read_text() == str(design_file)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert io.load(design_file).alpha == 1.0
    w = started(qtbot, str(design_file))
    assert len(asked[0]) == 1 and "MobileNetV2" in asked[0][0]
    assert w.document.design.alpha == 0.5 and w.document.path == design_file
    assert w.document.modified
    assert w.files.save() and io.load(design_file).alpha == 0.5
    assert not recovery.exists() and not source.exists() and orphans() == []
    assert not session.recovery_path().exists()


# -- an unwritable settings folder -------------------------------------------------------------

def refuse_writes(monkeypatch, home: Path) -> list[str]:
    """Every OS call that would create, write, rename or delete in ``home`` is refused (as in
    a read-only folder; we run as root, so permissions alone would not refuse)."""
    home = str(home)
    refused = []

    def inside(path) -> bool:
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(home)
        except TypeError:
            return False

    def guard(real, writes=lambda *a, **k: True):
        def call(path, *args, **kwargs):
            if inside(path) and writes(*args, **kwargs):
                refused.append(real.__name__)
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)
        return call

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT
    for name in ("mkdir", "unlink", "rmdir", "rename", "replace"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    monkeypatch.setattr(os, "open", guard(os.open, lambda flags, *a, **k: flags & write_flags))
    monkeypatch.setattr(stdio, "open", guard(stdio.open, lambda mode="r", *a, **k: mode[0] != "r"))
    return refused


@pytest.fixture(params=["missing", "exists"])
def unwritable_home(request, monkeypatch, convsketch_home):
    """The settings folder (missing, or there already) refuses every write."""
    if request.param == "exists":
        convsketch_home.mkdir(parents=True)
    return refuse_writes(monkeypatch, convsketch_home)


def file_action(w, text):
    return next(a for a in w.menu("File").actions() if a.text() == text)


def test_save_succeeds_and_reports_when_the_settings_folder_is_unwritable(
        window, tmp_path, unwritable_home, convsketch_home):
    w = window(load_preset("mobilenet_v2"))
    w.document.path = tmp_path / "v2.json"
    w.scaling.alpha.setValue(50)
    w.files.write_recovery()
    assert w.statusBar().currentMessage().startswith("Autosave failed: ")
    assert "Permission denied" in w.statusBar().currentMessage()
    file_action(w, "&Save").trigger()
    assert io.load(tmp_path / "v2.json").alpha == 0.5 and not w.document.modified
    message = w.statusBar().currentMessage()
    assert "Permission denied" in message and str(convsketch_home) in message
    assert unwritable_home
    w.close()


# -- a recovery file that cannot be read -------------------------------------------------------

def refuse_reading(monkeypatch, path: Path) -> None:
    """Opening ``path`` for reading is refused, as a file without read permission is (root
    reads anything, so the refusal is patched in)."""
    real_open = os.open

    def guarded(name, flags, *args, **kwargs):
        if os.path.abspath(os.fsdecode(name)) == str(path) and not flags & (os.O_WRONLY
                                                                            | os.O_RDWR):
            raise PermissionError(13, "Permission denied", os.fsdecode(name))
        return real_open(name, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", guarded)


def contents(path: Path):
    """A file's bytes, or a folder's names and bytes: what must survive, wherever it goes."""
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    return path.read_bytes()


@pytest.mark.parametrize("writable", [True, False], ids=["folder-writable", "folder-read-only"])
@pytest.mark.parametrize("broken", ["a-folder", "unreadable"])
def test_a_recovery_that_cannot_be_read_is_set_aside_and_autosave_goes_on(
        qtbot, asked, monkeypatch, convsketch_home, broken, writable):
    convsketch_home.mkdir(parents=True)
    if broken == "a-folder":
        recovery = convsketch_home / "recovery.json"
        recovery.mkdir()
        (recovery / "inside.txt").write_text("kept")
        cause = "is a folder, not a design file"
    else:
        design = load_preset("squeezenet1_1")
        design.alpha = 0.5
        owner = dead_owner()
        session.write_recovery(design, None, owner=owner)
        recovery = session.recovery_path(owner)
        refuse_reading(monkeypatch, recovery)
        cause = "permission denied: the file cannot be read"
    before = contents(recovery)
    if not writable:
        refused = refuse_writes(monkeypatch, convsketch_home)

    w = started(qtbot, None)
    assert asked[0] == []
    told = w.statusBar().currentMessage()
    aside = sorted(p for p in convsketch_home.iterdir() if p.name.startswith("recovery.broken-"))
    if writable:
        assert len(aside) == 1
        assert re.fullmatch(r"recovery\.broken-\d{8}-\d{6}\.json", aside[0].name)
        assert contents(aside[0]) == before and not recovery.exists()
        assert told == (f"An earlier session's recovery file was not offered: {recovery}: "
                        f"{cause}; moved to {aside[0]}")
    else:
        assert aside == [] and contents(recovery) == before and "rename" in refused
        assert told == (f"An earlier session's recovery file was not offered: {recovery}: "
                        f"{cause}; it could not be moved aside (Permission denied); autosave "
                        "carries on")

    w.scaling.alpha.setValue(75)
    w.files.write_recovery()
    autosaved = w.statusBar().currentMessage()
    assert "paused" not in autosaved and "restart" not in autosaved
    if writable:
        assert io.loads(session.recovery_path().read_bytes()).alpha == 0.75
        assert contents(aside[0]) == before and not recovery.exists()
    else:
        assert autosaved.startswith(f"Autosave failed: {convsketch_home}")
        assert autosaved.endswith(": Permission denied") and contents(recovery) == before


def test_two_recoveries_set_aside_in_one_second_keep_both(convsketch_home, monkeypatch):
    convsketch_home.mkdir(parents=True)
    recovery = convsketch_home / "recovery.json"
    monkeypatch.setattr(session.time, "strftime", lambda fmt: "20261123-040000")
    kept = []
    for text in ("{broken", "[also broken"):
        recovery.write_text(text)
        (pending,) = session.orphaned_recoveries()
        with pytest.raises(session.UnreadableRecovery) as told:
            pending.load()
        kept.append((told.value.moved_to.name, told.value.moved_to.read_text()))
    assert kept == [("recovery.broken-20261123-040000.json", "{broken"),
                    ("recovery.broken-20261123-040000-1.json", "[also broken")]
    assert session.orphaned_recoveries() == []
