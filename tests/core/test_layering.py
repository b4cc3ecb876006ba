"""The core rule: blocks/ and designer/core/ import neither Qt nor torch nor onnx. Every module of
both packages is imported (found by walking them, so a new module is checked without being
listed here) in a fresh process, with the command line's entry modules that must stay light."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "pyqtgraph", "torch", "onnx", "onnxruntime", "onnxscript")
WALK = """
import importlib, json, pkgutil, sys
import blocks, designer.core
names = []
for package in (blocks, designer.core):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
import designer.cli, designer.cli.diagram
print(json.dumps({"walked": names, "heavy": [m for m in HEAVY if m in sys.modules]}))
"""


def test_core_imports_no_qt_or_torch():
    out = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{WALK}"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    got = json.loads(out.stdout)
    files = {".".join(p.relative_to(ROOT).with_suffix("").parts)
             for top in ("blocks", "designer/core") for p in (ROOT / top).rglob("*.py")
             if p.name != "__init__.py"}
    assert set(got["walked"]) == files
    assert got["heavy"] == []
