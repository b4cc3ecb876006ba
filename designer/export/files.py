"""Writing exports to disk, each checked before the file appears, through the product's one
atomic writer (:mod:`designer.core.atomic`): never half a file, never through a planted link."""
from __future__ import annotations

import os
from pathlib import Path

from designer.core.atomic import writable_target, write_atomically
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
        result = checked(module_from_source(source, str(path)), analysis, design)
    write_atomically(path, source)
    return result


def check_target(path: Path) -> None:
    """Refuse at once a file that cannot be written (no folder, a folder, a device, a read-only
    file), before minutes of exporting: the same judgement the writer makes at the end."""
    try:
        writable_target(path)
    except FileNotFoundError:
        raise ExportError(f"cannot write {path}: there is no folder {path.parent}") from None
    except IsADirectoryError:
        raise ExportError(f"cannot write {path}: it is a folder") from None
    except OSError as err:
        raise ExportError(f"cannot write {path}: it {err.strerror}") from None


def checked(model, analysis, design: Design) -> CheckResult:
    """The check of ``model`` against ``analysis`` and ``design``'s wiring; raises ExportError on
    any mismatch."""
    result = check_module(model, analysis, design)
    if not result.ok:
        raise ExportError("the exported module disagrees with the analysis:\n" + result.summary())
    return result
