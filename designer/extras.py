"""The light install and the `torch` extra.

A workshop participant installs ConvSketch with PySide6 and pyqtgraph alone: the designer, the
analysis, compare, sweep and ``stats`` need nothing else. Export, ``check``, Netron of a design,
timing and calibration need torch, onnx, onnxscript, onnxruntime or netron, which
``pip install "convsketch[torch]"`` adds. Without them those menu items and commands stay where
they are and say, in one line, what to install; this module is where that line is written, so
the app and the command line say the same thing. It looks modules up without importing them.
"""
from __future__ import annotations

import importlib.util

INSTALL = 'pip install "convsketch[torch]"'
EXPORT = ("torch", "onnx", "onnxscript", "onnxruntime")
"""What a checked export needs (a .py export is checked by building it with torch, an ONNX
export by onnx.checker and onnxruntime; the dynamo fallback needs onnxscript)."""
PY_EXPORT = ("torch",)
TIMING = ("torch", "onnxruntime")
NETRON = ("netron",)
HEAVY = ("torch", "onnx", "onnxscript", "onnxruntime", "netron")


class MissingExtra(Exception):
    """A feature of the `torch` extra was asked for on a light install; the message is the one
    line to show."""


def missing(modules: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``modules`` that cannot be imported here, found without importing them."""
    absent = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            absent.append(name)
    return absent


def message(feature: str, absent: list[str]) -> str:
    """'Export needs torch and onnx, not installed: pip install "convsketch[torch]"'."""
    names = " and ".join([", ".join(absent[:-1]), absent[-1]] if len(absent) > 1 else absent)
    return f"{feature} needs {names}, not installed: {INSTALL}"


def require(feature: str, modules: tuple[str, ...]) -> None:
    """Raise MissingExtra with the one line to show when any of ``modules`` is missing."""
    absent = missing(modules)
    if absent:
        raise MissingExtra(message(feature, absent))


def explain(err: ImportError) -> str | None:
    """The one line for an ImportError of a module of the extra, met past the checks (a module
    present but broken); None when the error is about something else."""
    top = (err.name or "").split(".")[0]
    return f"{top} could not be imported ({err}): {INSTALL}" if top in HEAVY else None
