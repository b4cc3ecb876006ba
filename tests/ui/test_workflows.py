"""Whole workflows: MobileNetV1 built by hand from the palette, start-up without torch, crash
recovery after a real kill, and the screenshot command."""
import os
import signal
import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.presets import load_preset
from designer.ui.shell import session
from tests.ui.test_recovery import dead_owner

V1 = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1),
      (512, 1), (512, 1), (1024, 2), (1024, 1)]


def append(w, title, **params):
    """Double-click a palette entry (appends after the selected block), then set parameters in
    the inspector as a user would."""
    item = w.palette.findItems(title, Qt.MatchExactly)[0]
    pos = w.palette.visualItemRect(item).center()
    QTest.mouseClick(w.palette.viewport(), Qt.LeftButton, pos=pos)
    QTest.mouseDClick(w.palette.viewport(), Qt.LeftButton, pos=pos)
    for key, value in params.items():
        editor = w.inspector.editors[key]
        if hasattr(editor, "setCurrentText"):
            editor.setCurrentText(value)
        else:
            editor.setValue(value)


def test_build_mobilenet_v1_by_hand_alpha_save_reopen_undo(window, tmp_path):
    w = window()
    w.document.push(__import__("designer.core.commands", fromlist=["x"]).SetSetting("rounding",
                                                                                    "floor"))
    append(w, "Convolution", out_channels=32, stride=2)
    for c, s in V1:
        append(w, "Depthwise-separable", out_channels=c, stride=s)
    append(w, "Global avg pool")
    append(w, "Linear")
    a = w.document.analysis
    assert a.ok and round(a.macs / 1e6) == 569 and a.params == analyze(
        load_preset("mobilenet_v1")).params
    assert "568.74M" in w.totals.text()
    w.scaling.alpha.setValue(50)
    assert round(w.document.analysis.macs / 1e6) == 149
    assert "149.50M" in w.totals.text()
    path = tmp_path / "v1.json"
    assert w.files._save_to(path)
    reopened = io.load(path)
    assert analyze(reopened).macs == w.document.analysis.macs
    w.document.undo_stack.undo()
    assert round(w.document.analysis.macs / 1e6) == 569 and w.document.modified


def test_window_opens_without_importing_torch():
    code = textwrap.dedent("""
        import os, sys, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        t = time.perf_counter()
        from designer.ui.shell.app import application, make_window
        app = application()
        w = make_window()
        w.show()
        app.processEvents()
        print(round(time.perf_counter() - t, 3), "torch" in sys.modules, "onnx" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         check=False)
    _seconds, torch_loaded, onnx_loaded = out.stdout.split()
    assert torch_loaded == "False" and onnx_loaded == "False", out.stderr


def test_recovery_after_the_app_process_is_killed(window, convsketch_home):
    script = textwrap.dedent(f"""
        import os, signal
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["CONVSKETCH_HOME"] = {str(convsketch_home)!r}
        from designer.core.commands import SetSetting
        from designer.ui.shell.app import application, make_window
        app = application()
        w = make_window("squeezenet1_1")
        w.show()
        w.document.push(SetSetting("alpha", 0.5))
        w.files.write_recovery()
        print("autosaved", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.returncode == -signal.SIGKILL and "autosaved" in out.stdout
    (left,) = session.orphaned_recoveries()
    assert left.path.name.startswith("recovery-") and left.path.exists()
    w = window()
    assert w.files.offer_recovery(ask=lambda design, source: True)
    assert w.document.design.name == "SqueezeNet 1.1" and w.document.design.alpha == 0.5
    assert w.document.modified
    assert w.files._save_to(convsketch_home / "saved.json")
    assert not left.path.exists() and not session.recovery_path().exists()
    assert session.orphaned_recoveries() == []


def test_declined_recovery_is_discarded(window):
    session.write_recovery(load_preset("alexnet"), None, owner=dead_owner())
    w = window()
    asked = []
    assert not w.files.offer_recovery(ask=lambda design, source: asked.append(design.name))
    assert asked == [load_preset("alexnet").name]
    assert session.orphaned_recoveries() == [] and w.document.design.nodes == {}
    assert list(session.folder().iterdir()) == []


def test_screenshot_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "designer", "screenshot", "mobilenet_v1",
                          str(tmp_path / "s.png"), "--alpha", "0.5", "--size", "1200x800",
                          "--select", "sep4"], capture_output=True, text=True, timeout=120, check=False,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(tmp_path / "s.png"))
    assert (image.width(), image.height()) == (1200, 800)
    bad = subprocess.run([sys.executable, "-m", "designer", "screenshot", "mobilenet_v1",
                          str(tmp_path / "t.png"), "--size", "huge"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "--size" in bad.stderr


def test_five_thousand_blocks_open_and_rescale_without_hanging(window):
    import time

    from designer.core.builder import generated_chain
    t = time.perf_counter()
    w = window(generated_chain(5000))
    w.scaling.alpha.setValue(50)
    elapsed = time.perf_counter() - t
    assert len(w.scene.items_by_id) == 5001 and w.document.analysis.ok
    assert w.document.analysis.blocks[1].output_shape[0] == 16
    assert elapsed < 20, elapsed  # a hang guard; figures are in benchmarks/
