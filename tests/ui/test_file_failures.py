"""Hostile files through the app's Open path, and unexpected failures on open, save and autosave:
each becomes a dialog (or a status message) that names the file and the place, and the open
document — a preset with an unsaved edit — is untouched: same design, still modified, same undo
history (pytest-qt, offscreen; only QMessageBox is patched, to record its text)."""
import json
import os

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer.core import io
from designer.core.presets import load_preset
from designer.ui.shell import session


def good() -> dict:
    return io.to_dict(load_preset("mobilenet_v1"))


def mutated(change) -> bytes:
    data = good()
    change(data)
    return json.dumps(data).encode()


HOSTILE = {
    "truncated JSON": (lambda p: p.write_bytes(json.dumps(good()).encode()[:500]), "line 1, column"),
    "wrong types": (lambda p: p.write_bytes(mutated(lambda d: d.update(nodes="conv"))),
                    "at nodes: must be a list"),
    "newer format_version": (lambda p: p.write_bytes(mutated(lambda d: d.update(format_version=9))),
                             "at format_version: version 9 is newer"),
    "non-UTF-8 bytes": (lambda p: p.write_bytes(b'{"name": "\xff\xfe"}'), "at byte 10"),
    "deeply nested": (lambda p: p.write_bytes(b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
                      "nested too deeply"),
    "huge number": (lambda p: p.write_bytes(b'{"format_version": ' + b"9" * 5000 + b"}"),
                    "line 1, column 20: holds a number with more than 4,300 digits"),
    "lone surrogate": (lambda p: p.write_bytes(
        json.dumps(good()).replace('"MobileNetV1"', '"Mobile\\ud800"', 1).encode()),
        "at name: holds text that is not valid Unicode"),
    "directory": (lambda p: p.mkdir(), "is a folder, not a design file"),
    "100 MB sparse file": (lambda p: (p.touch(), os.truncate(p, 100 * 1024 * 1024)),
                           "is 105 MB; a design file is at most 21 MB"),
    "FIFO": (lambda p: os.mkfifo(p), "is not a regular file"),
    "empty": (lambda p: p.write_bytes(b""), "line 1, column 1"),
}


@pytest.fixture
def edited(v2):
    """MobileNetV2 with one unsaved edit, and a record of every warning dialog."""
    v2.scaling.alpha.setValue(75)
    assert v2.document.modified
    return v2


def snapshot(w):
    stack = w.document.undo_stack
    return (io.dumps(w.document.design), w.document.modified, stack.count(), stack.index(),
            stack.undoText(), w.document.path, w.windowTitle())


def open_from_menu(w, path, monkeypatch) -> None:
    """File > Open…, the file dialog answering ``path``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    next(a for a in w.menu("File").actions() if a.text() == "&Open…").trigger()


@pytest.fixture
def dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(
        (title, text)))
    return shown


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_gives_a_located_dialog_and_keeps_the_open_document(
        edited, dialogs, tmp_path, monkeypatch, case):
    make, place = HOSTILE[case]
    path = tmp_path / "colleague.json"
    make(path)
    before = snapshot(edited)
    open_from_menu(edited, path, monkeypatch)
    assert len(dialogs) == 1
    title, text = dialogs[0]
    assert title == "Cannot open the design"
    assert text.startswith(str(path)) and place in text, text
    assert "Traceback" not in text and len(text) < 400
    assert snapshot(edited) == before
    edited.document.undo_stack.undo()
    assert edited.document.design.alpha == 1.0
    assert session.recent_files() == []


def test_over_size_limit_uses_the_constant(edited, dialogs, tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps(good()).encode())
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 1000)
    before = snapshot(edited)
    assert not edited.files.open_path(str(path))
    assert dialogs[0][1].startswith(f"{path}: is ") and "a design file is at most" in dialogs[0][1]
    assert snapshot(edited) == before


def test_unknown_block_kind_opens_flagged_and_says_so(edited, dialogs, tmp_path):
    """A kind from a newer ConvSketch: the file opens (the rest of the design keeps its
    numbers, the block is flagged and can be replaced) and a dialog names file and block."""
    path = tmp_path / "newer.json"
    path.write_bytes(mutated(lambda d: d["nodes"][3].update(kind="transformer" * 20)))
    assert edited.files.open_path(str(path))
    title, text = dialogs[0]
    assert title == "Unknown block kinds" and text.startswith(str(path))
    assert "block 'sep4', field 'kind': unknown block kind 'transformertransformer" in text
    assert "transformer" * 20 not in text
    assert edited.document.path == path and not edited.document.modified
    item = next(i for i in edited.scene.items_by_id.values() if i.title == "sep4")
    assert item.error is not None


@pytest.mark.parametrize("where", ["open", "save", "autosave"])
def test_an_unexpected_exception_becomes_a_message_not_a_crash(edited, dialogs, tmp_path,
                                                               monkeypatch, where):
    def broken(*args, **kwargs):
        raise RuntimeError("disk gremlin " + "x" * 500)
    path = tmp_path / "v2.json"
    io.save(load_preset("mobilenet_v2"), path)
    before = snapshot(edited)
    if where == "open":
        monkeypatch.setattr(io, "loads", broken)
        open_from_menu(edited, path, monkeypatch)
    elif where == "save":
        monkeypatch.setattr(io, "save", broken)
        edited.document.path = path
        before = snapshot(edited)
        next(a for a in edited.menu("File").actions() if a.text() == "&Save").trigger()
    else:
        monkeypatch.setattr(session, "write_recovery", broken)
        edited.files.autosave.timeout.emit()
        message = edited.statusBar().currentMessage()
        assert message.startswith("Autosave failed: unexpected error (RuntimeError: 'disk gremlin")
        assert len(message) < 120
        assert snapshot(edited) == before and dialogs == []
        return
    title, text = dialogs[0]
    assert title == {"open": "Cannot open the design", "save": "Cannot save"}[where]
    assert text.startswith(f"{path}: unexpected error (RuntimeError: 'disk gremlin"), text
    assert len(text) < 300
    assert snapshot(edited) == before and edited.document.modified
