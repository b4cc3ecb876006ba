"""File > Export and Tools > Open in Netron, driven from the window's menus (pytest-qt, offscreen):
the export runs on a worker thread, writes a checked file and shows the check's result; the
Netron tab renders the exported graph and is refreshed when the design changes and is exported
again."""
import json
import re
import threading

import onnx
import pytest
from PySide6.QtWidgets import QFileDialog

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.commands import SetSetting
from designer.core.presets import load_preset
from designer.export.pytorch import module_from_source
from designer.ui.export import export_menu


def menu_action(window, menu, text):
    (action,) = [a for a in window.menu(menu).actions() if a.text() == text]
    return action


@pytest.fixture
def save_as(monkeypatch):
    """Answer the next save dialogs with ``target``."""
    def answer(target):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    return answer


@pytest.fixture
def export_threads(monkeypatch):
    threads = []
    original = export_menu.export_and_describe

    def recording(*args):
        threads.append(threading.current_thread())
        return original(*args)
    monkeypatch.setattr(export_menu, "export_and_describe", recording)
    return threads


def check_rows(message):
    return {row.split()[0]: row.split()[-1] for row in message.splitlines()
            if re.match(r"(parameters|MACs|output shape) ", row)}


def test_export_py_from_the_menu_runs_off_the_ui_thread_and_shows_the_check(
        v2, qtbot, tmp_path, save_as, export_threads):
    target = tmp_path / "mnv2.py"
    save_as(target)
    actions = v2.export_actions
    menu_action(v2, "File", "Export as PyTorch .py…").trigger()
    assert actions.busy and actions.progress is not None
    assert not menu_action(v2, "File", "Export as ONNX…").isEnabled()
    qtbot.waitUntil(lambda: not actions.busy, timeout=120_000)
    assert export_threads and export_threads[0] is not threading.main_thread()
    assert actions.last_ok, actions.last_message
    assert check_rows(actions.last_message) == {"parameters": "ok", "MACs": "ok", "output": "ok"}
    assert "3,504,872" in actions.last_message and "300,774,272" in actions.last_message
    assert v2.statusBar().currentMessage().startswith("Wrote mnv2.py")
    model = module_from_source(target.read_text())
    assert sum(p.numel() for p in model.parameters()) == v2.document.analysis.params
    assert menu_action(v2, "File", "Export as ONNX…").isEnabled()


def test_export_onnx_from_the_menu_at_the_windows_scaling(v2, qtbot, tmp_path, save_as):
    v2.document.push(SetSetting("alpha", 0.5))
    target = tmp_path / "mnv2.onnx"
    save_as(target)
    menu_action(v2, "File", "Export as ONNX…").trigger()
    qtbot.waitUntil(lambda: not v2.export_actions.busy, timeout=120_000)
    message = v2.export_actions.last_message
    assert v2.export_actions.last_ok, message
    assert f"{v2.document.analysis.params:,}" in message and "onnxruntime matches" in message
    graph = onnx.load(str(target)).graph
    first_conv = next(i for i in graph.initializer if len(i.dims) == 4)
    assert first_conv.dims[0] == 16  # 32 stem channels at α = 0.5
    assert f"{len(graph.node)} ONNX nodes" in message


def test_an_invalid_design_is_refused_with_its_problem_and_no_file(window, qtbot, tmp_path,
                                                                    save_as):
    b = Builder("too small", input_shape=(3, 4, 4))
    b.add("conv", "big", kernel=15, padding=0)
    w = window(b.build())
    assert analyze(w.document.design).problems
    save_as(tmp_path / "bad.py")
    menu_action(w, "File", "Export as PyTorch .py…").trigger()
    assert not w.export_actions.busy and w.export_actions.last_ok is False
    assert "block 'big'" in w.export_actions.last_message
    assert w.statusBar().currentMessage() == "Export failed"
    assert list(tmp_path.iterdir()) == []


def poll_drawn(view, seen):
    """Ask the page for Netron's drawn graph; the answer (node count, node texts) lands in
    ``seen`` later, when the page replies."""
    view.web.page().runJavaScript(
        "JSON.stringify([document.querySelectorAll('g.node').length, Array.from("
        "document.querySelectorAll('g.node text')).map(t => t.textContent).join('|')])",
        0, lambda r: seen.update(zip(("nodes", "text"), json.loads(r))) if r else None)


def wait_for_graph(qtbot, view, path, showing):
    """The node texts once Netron has drawn as many nodes as ``path`` holds (plus its input
    and output) and a node shows the text ``showing``."""
    graph = onnx.load(str(path)).graph
    expected = (len([n for n in graph.node if n.op_type != "Constant"]) + len(graph.input)
                + len(graph.output))
    seen = {}

    def rendered():
        poll_drawn(view, seen)
        assert seen.get("nodes") == expected and showing in seen["text"]
    qtbot.waitUntil(rendered, timeout=60_000)
    return seen["text"]


def test_open_in_netron_renders_the_graph_and_refreshes_after_a_change(window, qtbot):
    w = window(load_preset("squeezenet1_1"))
    actions = w.export_actions
    try:
        menu_action(w, "Tools", "Open in Netron").trigger()
        qtbot.waitUntil(lambda: actions.netron is not None and not actions.busy,
                        timeout=120_000)
        assert actions.last_ok, actions.last_message
        view = actions.netron
        assert w.tabs.currentWidget() is view and w.tabs.tabText(w.tabs.indexOf(view)) == "Netron"
        assert view.url.startswith("http://127.0.0.1:")
        assert view.consent.isVisible() and "accepts Netron's analytics consent" in view.consent.text()
        first = view.path
        wait_for_graph(qtbot, view, first, showing="W〈64×3×3×3〉")

        w.document.push(SetSetting("alpha", 0.5))
        assert "changed" in view.note.text()
        view.refresh.click()
        qtbot.waitUntil(lambda: view.path != first and not actions.busy, timeout=120_000)
        text = wait_for_graph(qtbot, view, view.path, showing="W〈32×3×3×3〉")
        assert "W〈64×3×3×3〉" not in text
        assert "last exported" in view.note.text()
    finally:
        actions.stop_netron()


def test_a_design_too_big_for_memory_is_shown_as_a_message(window, qtbot, tmp_path, save_as,
                                                           monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    b = Builder("huge", input_shape=(3, 4096, 4096))
    b.add("conv", "c", out_channels=65536)
    w = window(b.build())
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    save_as(tmp_path / "huge.py")
    menu_action(w, "File", "Export as PyTorch .py…").trigger()
    qtbot.waitUntil(lambda: not w.export_actions.busy, timeout=120_000)
    assert w.export_actions.last_ok is False
    assert shown == [("Export failed", w.export_actions.last_message)]
    assert shown[0][1].startswith("out of memory while building and checking the PyTorch module: "
                                  "1,900,544 parameters")
    assert not (tmp_path / "huge.py").exists() and w.document.analysis.ok


def test_export_entries_come_before_quit(window):
    w = window()
    texts = [a.text() for a in w.menu("File").actions()]
    assert texts[-7:] == ["Save &as…", "", "Export as PyTorch .py…", "Export as ONNX…",
                          "Export &diagram…", "", "&Quit"]


def test_stopping_netron_removes_its_temporary_folders(window, qtbot, monkeypatch):
    """The exports made for the Netron view and the server's private folder both go when
    serving stops (the app stops it on quit)."""
    import webbrowser

    from designer.ui.export import netron_view

    monkeypatch.setattr(netron_view, "web_engine_available", lambda: False)
    monkeypatch.setattr(webbrowser, "open", lambda url: True)
    w = window(load_preset("squeezenet1_1"))
    actions = w.export_actions
    menu_action(w, "Tools", "Open in Netron").trigger()
    qtbot.waitUntil(lambda: actions.netron_url is not None and not actions.busy, timeout=120_000)
    from designer.export import netron_server

    exports = actions._tmp
    private = netron_server._served[actions.netron_url].folder
    assert exports.is_dir() and private.is_dir()
    actions.stop_netron()
    assert not exports.exists() and not private.exists() and actions._tmp is None


def test_netron_leaves_no_folder_when_refused_or_when_its_window_closes(window, tmp_path,
                                                                         monkeypatch):
    """A refused Open in Netron made an empty folder, and the exports' folder went only when
    the whole app quit: a closed window (or a test's) left one behind each time."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(export_menu.QMessageBox, "warning", lambda *a: None)
    b = Builder("too small", input_shape=(3, 4, 4))
    b.add("conv", "big", kernel=15, padding=0)
    w = window(b.build())
    assert w.export_actions.open_in_netron() is False
    assert "block 'big'" in w.export_actions.last_message
    assert list(tmp_path.iterdir()) == [] and w.export_actions._tmp is None
    other = window(load_preset("squeezenet1_1"))
    exports = tmp_path / "convsketch-netron-made"
    exports.mkdir()
    (exports / "design-1.onnx").write_bytes(b"onnx")
    other.export_actions._tmp = exports
    other.close()
    assert not exports.exists()
