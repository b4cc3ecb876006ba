import pytest

from designer.core.presets import load_preset
from designer.ui.shell.document import DocumentModel
from designer.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def convsketch_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVSKETCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def window(qtbot):
    def make(design=None):
        w = MainWindow(DocumentModel(design))
        w.quiet = True
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
