"""The light install: with torch, onnx, onnxscript, onnxruntime and netron made unimportable
(a meta-path blocker in a sitecustomize on PYTHONPATH, so every child process is blocked too),
the app and the light commands work and import none of them, and every heavy command and menu
entry says in one line what to install, never an ImportError."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from designer import extras

ROOT = Path(__file__).resolve().parents[2]
BLOCKER = textwrap.dedent("""
    import sys
    BLOCKED = {"torch", "onnx", "onnxscript", "onnxruntime", "netron"}

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (light install)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
""")


def run_light(tmp_path: Path, code: str) -> dict:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "QT_QPA_PLATFORM": "offscreen",
           "CONVSKETCH_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=300, check=False, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


COMMANDS = """
    import contextlib, io, json, sys
    from designer.cli import main

    def run(argv):
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(argv)
        return [code, out.getvalue(), err.getvalue()]
"""
HEAVY_LOADED = """
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in
                   {"torch", "onnx", "onnxscript", "onnxruntime", "netron"})
"""


def test_the_blocker_blocks(tmp_path):
    got = run_light(tmp_path, """
        import json
        try:
            import torch
            print(json.dumps("imported"))
        except ImportError as err:
            print(json.dumps(type(err).__name__))
    """)
    assert got == "ModuleNotFoundError"


def test_light_commands_work_without_the_extra(tmp_path):
    got = run_light(tmp_path, COMMANDS + """
    results = {
        "presets": run(["presets"]),
        "stats": run(["stats", "mobilenet_v2", "--json"]),
        "compare": run(["compare", "vgg16", "mobilenet_v1", "--markdown", "--png", "c.png"]),
        "sweep": run(["sweep", "mobilenet_v1", "--alphas", "1,0.5", "--resolutions", "224,160"]),
        "blocks": run(["blocks", "--input", "64x56x56", "--out", "128"]),
        "screenshot": run(["screenshot", "squeezenet1_1", "s.png", "--size", "800x600"]),
    }
    """ + HEAVY_LOADED + """
    print(json.dumps({"results": results, "heavy": heavy}))
    """)
    assert got["heavy"] == []
    for name, (code, out, err) in got["results"].items():
        assert code == 0, (name, err)
    assert json.loads(got["results"]["stats"][1])["macs"] == 300_774_272  # the README's figure
    assert (tmp_path / "c.png").stat().st_size > 0 and (tmp_path / "s.png").stat().st_size > 0


HEAVY_COMMANDS = {
    "export-py": (["export", "squeezenet1_1", "--py", "m.py"], "Export needs torch,"),
    "export-onnx": (["export", "squeezenet1_1", "--onnx", "m.onnx"],
                    "Export needs torch, onnx, onnxscript and onnxruntime,"),
    "check": (["check", "squeezenet1_1"], "check needs torch,"),
    "netron-design": (["netron", "squeezenet1_1", "--no-browser", "--seconds", "0.1"],
                      "netron needs torch, onnx, onnxscript, onnxruntime and netron,"),
    "netron-file": (["netron", "m.onnx", "--no-browser", "--seconds", "0.1"],
                    "netron needs netron,"),
    "bench": (["bench", "squeezenet1_1", "--runtime", "torch"], "Timing needs torch,"),
    "calibrate": (["calibrate"], ("Calibrating this machine (or pass --device PROFILE) needs "
                                  "torch,")),
    "estimate": (["estimate", "squeezenet1_1"], "calibrating it needs torch,"),
    "import-onnx": (["import", "m.onnx", "i.json"], "Importing ONNX model needs onnx,"),
    "import-py": (["import", "m.py", "i.json"], "Importing PyTorch model file needs torch,"),
}


def test_heavy_commands_say_in_one_line_what_to_install(tmp_path):
    got = run_light(tmp_path, COMMANDS + f"""
    results = {{name: run(argv) for name, (argv, _) in {HEAVY_COMMANDS!r}.items()}}
    """ + HEAVY_LOADED + """
    print(json.dumps({"results": results, "heavy": heavy}))
    """)
    assert got["heavy"] == []
    for name, (code, out, err) in got["results"].items():
        assert code == 2, (name, out, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert err.startswith("error: ") and HEAVY_COMMANDS[name][1] in err, (name, err)
        assert err.rstrip().endswith(f"not installed: {extras.INSTALL}"), (name, err)
    assert not any((tmp_path / f).exists() for f in ("m.py", "m.onnx", "i.json"))


def test_the_app_opens_and_its_heavy_entries_say_what_to_install(tmp_path):
    got = run_light(tmp_path, """
        import json, sys
        from pathlib import Path
        from designer.ui.shell.app import application, make_window
        app = application()
        w = make_window("mobilenet_v1")
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information = QMessageBox.warning = lambda *a: QMessageBox.Ok
        w.show()
        for i in range(w.tabs.count()):
            w.tabs.setCurrentIndex(i)
            app.processEvents()
        said = {}
        ex = w.export_actions
        for name, action in (("py", ex.actions["py"]), ("onnx", ex.actions["onnx"]),
                             ("netron", ex.actions["netron"])):
            ex.last_message = ""
            action.trigger()
            app.processEvents()
            said[name] = [action.isVisible(), ex.last_message, ex.busy]
        timing = w.bench_panel
        timing.runtime.setCurrentText("torch")
        timing.start_button.click()
        said["timing"] = [timing.start_button.isVisible(), timing.status.text(), timing.running]
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in
                       {"torch", "onnx", "onnxscript", "onnxruntime", "netron"})
        print(json.dumps({"said": said, "heavy": heavy}))
    """)
    assert got["heavy"] == []
    said = got["said"]
    py_line = f"Export as PyTorch .py needs torch, not installed: {extras.INSTALL}"
    assert said["py"] == [True, py_line, False]
    assert said["onnx"][1] == ("Export as ONNX needs torch, onnx, onnxscript and onnxruntime, "
                               f"not installed: {extras.INSTALL}")
    assert said["netron"][1].startswith("Open in Netron needs torch, onnx, onnxscript, "
                                        "onnxruntime and netron,")
    assert said["timing"] == [True, f"Timing needs torch, not installed: {extras.INSTALL}", False]


@pytest.mark.parametrize("absent, line", [
    (["torch"], 'X needs torch, not installed: pip install "convsketch[torch]"'),
    (["torch", "onnx"], 'X needs torch and onnx, not installed: pip install "convsketch[torch]"'),
    (["a", "b", "c"], 'X needs a, b and c, not installed: pip install "convsketch[torch]"'),
])
def test_the_line_names_what_is_missing(absent, line):
    assert extras.message("X", absent) == line


def test_installed_modules_are_not_missing_and_absent_ones_are():
    assert extras.missing(("json", "no_such_module_here")) == ["no_such_module_here"]
