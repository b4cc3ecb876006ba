import pytest
from PySide6.QtWidgets import QMessageBox

from designer.core.presets import load_preset
from designer.ui.shell.document import DocumentModel
from designer.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def convsketch_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVSKETCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def told(monkeypatch):
    """The message boxes a test's windows showed, as (kind, title, text), none of them modal: a
    modal box would wait for a click offscreen. A test that answers them patches them itself."""
    shown = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *rest, _k=kind:
                            shown.append((_k, title, text)) or QMessageBox.Ok)
    return shown


@pytest.fixture
def window(qtbot, told):
    def make(design=None):
        w = MainWindow(DocumentModel(design))
        w.files.may_discard = lambda: True  # no modal "unsaved changes?" when qtbot closes it
        w.document.undo_stack.setClean()
        qtbot.addWidget(w)
        w.resize(1400, 900)
        w.show()
        return w
    return make


@pytest.fixture
def v2(window):
    return window(load_preset("mobilenet_v2"))
