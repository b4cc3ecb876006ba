"""Writing exports to disk, each checked before the file appears (atomically, never half a file)."""
from __future__ import annotations

import os
from pathlib import Path

from designer.core.design import Design

from .check import CheckResult, check_module
from .memory import memory_guard
from .pytorch import ExportError, generate_source, module_from_source, valid_analysis


def export_py(design: Design, path: str | os.PathLike) -> CheckResult:
    """Generate the .py, build the module from exactly that text, check it against the analysis,
    and only then write it. A mismatch raises ExportError and writes nothing."""
    check_target(Path(path))
    source = generate_source(design)
    analysis = valid_analysis(design)
    with memory_guard(analysis, "building and checking the PyTorch module"):
        result = checked(module_from_source(source, str(path)), analysis)
    write_text_atomically(Path(path), source)
    return result


def check_target(path: Path) -> None:
    """Refuse at once a file that cannot be written, before minutes of exporting."""
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: there is no folder {path.parent}")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")


def checked(model, analysis) -> CheckResult:
    """The check of ``model`` against ``analysis``; raises ExportError on any mismatch."""
    result = check_module(model, analysis)
    if not result.ok:
        raise ExportError("the exported module disagrees with the analysis:\n" + result.summary())
    return result


def write_text_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
