"""Autosave waits for a pause (issue 12's speed at scale): writing a large design mid-drag cost a
slider tick hundreds of milliseconds. An edit just before the autosave is due pushes it back by
the quiet time; once the edits stop, the recovery is written."""
from designer.core import io
from designer.core.commands import SetSetting
from designer.core.presets import load_preset
from designer.ui.shell import session
from designer.ui.shell.file_actions import QUIET_MS, autosave_interval


def test_an_edit_just_before_the_autosave_pushes_it_back_then_it_writes(window, qtbot):
    w = window(load_preset("mobilenet_v2"))
    timer = w.files.autosave
    timer.start(50)                                   # due in 50 ms ...
    w.document.push(SetSetting("alpha", 0.75))        # ... and an edit comes first
    assert timer.remainingTime() > 50 and timer.interval() == QUIET_MS
    path = session.recovery_path()
    assert not path.exists()
    qtbot.waitUntil(path.exists, timeout=QUIET_MS * 10)
    assert io.load(path).alpha == 0.75
    assert timer.interval() == autosave_interval()
