"""Error texts in the app cut long values as the command line does (io.SHOWN_CHARS): a node's
tooltip, the inspector's message and the paste status never echo a 500-character value whole."""
import json
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from designer.core import io
from designer.core.presets import load_preset
from designer.ui.shell.main_window import CLIPBOARD_MARK

LONG = "x" * 500
NAME = "N" * 300


def quoted_runs(text: str) -> list[str]:
    return re.findall(r"'[^']*'", text)


def spoiled():
    design = load_preset("mobilenet_v2")
    bad = list(design.nodes)[3]
    design.nodes[bad].params["out_channels"] = LONG
    design.nodes[bad].name = NAME
    return design, bad


def test_node_tooltip_cuts_long_values(window):
    design, bad = spoiled()
    w = window(design)
    tip = w.scene.items_by_id[bad].toolTip()
    assert "out_channels must be a whole number, got 'xxxxxxxx" in tip
    assert LONG not in tip and all(len(q) <= io.SHOWN_CHARS for q in quoted_runs(tip))
    waiting = w.scene.items_by_id[list(design.nodes)[4]].toolTip()
    assert "waiting on 'NNNN" in waiting and NAME not in waiting
    assert all(len(q) <= io.SHOWN_CHARS for q in quoted_runs(waiting))


def test_inspector_message_cuts_long_values_and_is_plain_text(window):
    design, bad = spoiled()
    w = window(design)
    w.document.select([bad])
    text = w.inspector.message.text()
    assert text.startswith("out_channels: out_channels must be a whole number, got 'xxx")
    assert LONG not in text and len(text) < 150
    assert w.inspector.message.textFormat() == Qt.PlainText


def test_inspector_name_clash_message_cuts_the_names(window):
    design, _ = spoiled()
    w = window(design)
    other = next(iter(design.nodes))
    w.document.select([other])
    editor = w.inspector.editors["name"]
    editor.setText(NAME)
    editor.editingFinished.emit()
    text = w.inspector.message.text()
    assert text.startswith("Another block is already named 'NNN") and NAME not in text
    assert w.document.design.nodes[other].name != NAME


def test_paste_error_status_cuts_long_values(window):
    w = window(load_preset("mobilenet_v2"))
    QApplication.clipboard().setText(json.dumps({CLIPBOARD_MARK: {"nodes": [
        {"id": "a", "kind": "conv", "name": "n", "params": {}}],
        "edges": [{"from": "a", "to": "a", "port": "k" * 400}]}}))
    w.paste()
    message = w.statusBar().currentMessage()
    assert message.startswith("Cannot paste: the clipboard's blocks are malformed (\"invalid "
                              "literal for int() with base 10: 'kkk")
    assert "k" * 100 not in message and len(message) < 120, message


def test_a_name_that_looks_like_html_is_shown_as_typed(window):
    design = load_preset("mobilenet_v2")
    node = list(design.nodes)[2]
    design.nodes[node].name = "<b>bold</b>"
    w = window(design)
    tip = w.scene.items_by_id[node].toolTip()
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip and "<b>" not in tip
