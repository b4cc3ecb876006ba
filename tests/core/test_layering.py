"""The core rule: blocks/ and designer/core/ import neither Qt nor torch nor onnx."""
import subprocess
import sys

HEAVY = ("PySide6", "pyqtgraph", "torch", "onnx", "onnxruntime", "onnxscript")


def test_core_imports_no_qt_or_torch():
    code = ("import sys, blocks, designer.core.analysis, designer.core.commands, designer.core.io, "
            "designer.core.presets, designer.core.builder, designer.core.layout, "
            "designer.core.diagram, designer.core.problems, designer.core.groups, designer.core.routing, "
            "designer.core.decimate, designer.cli, "
            "designer.cli.diagram;"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
