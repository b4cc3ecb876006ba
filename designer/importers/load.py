"""One entry point for every importer: a model file in, a laid-out design out."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from designer import extras
from designer.core.design import Design

from .graph import ImportRefused
from .recognise import to_design

KINDS = {".onnx": "ONNX model", ".py": "PyTorch model file (runs its build_model())"}
NEEDS = {".onnx": ("onnx",), ".py": ("torch",)}


def import_model(path: str | os.PathLike, input_shape: tuple[int, int, int] | None = None,
                 name: str | None = None, time_limit: float | None = None,
                 cancel: threading.Event | None = None) -> Design:
    """The design ``path`` describes, at α 1; raises ImportRefused with a located message.
    A .py file's code is run (in a child process, with ``time_limit`` seconds, stopped early
    when ``cancel`` is set: ImportCancelled)."""
    path = Path(path)
    suffix = path.suffix.lower()
    absent = extras.missing(NEEDS.get(suffix, ()))
    if absent:
        raise ImportRefused(extras.message(f"Importing {KINDS[suffix].split(' (')[0]}", absent))
    if suffix == ".onnx":
        from .onnx_graph import onnx_graph
        graph = onnx_graph(path, input_shape)
    elif suffix == ".py":
        from .torch_graph import TIME_LIMIT, torch_graph
        graph = torch_graph(path, input_shape, time_limit or TIME_LIMIT, cancel)
    else:
        raise ImportRefused(f"{path}: not a model file ConvSketch imports (.onnx, or a .py "
                            "defining build_model())")
    return to_design(graph, name)
