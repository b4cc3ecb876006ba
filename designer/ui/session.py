"""Recent files and crash recovery: the open design is autosaved to a recovery file while it has
unsaved changes, removed on a clean exit, and offered back at the next start if it is still there.

The folder is ``$CONVSKETCH_HOME`` if set (tests), else Qt's per-user app data folder.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from designer.core import io
from designer.core.design import Design

MAX_RECENT = 8


def home() -> Path:
    env = os.environ.get("CONVSKETCH_HOME")
    base = Path(env) if env else Path(
        QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or "~/.convsketch")
    path = base.expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def recovery_path() -> Path:
    return home() / "recovery.json"


def write_recovery(design: Design, source: Path | None) -> None:
    io.save(design, recovery_path())
    (home() / "recovery-source.txt").write_text(str(source or ""))


def clear_recovery() -> None:
    for name in ("recovery.json", "recovery-source.txt"):
        (home() / name).unlink(missing_ok=True)


def pending_recovery() -> tuple[Design, Path | None] | None:
    """The design a crashed session left behind, or None (an unreadable one is discarded)."""
    path = recovery_path()
    if not path.exists():
        return None
    try:
        design = io.load(path)
    except io.DesignFileError:
        clear_recovery()
        return None
    source = (home() / "recovery-source.txt")
    text = source.read_text().strip() if source.exists() else ""
    return design, Path(text) if text else None


def recent_files() -> list[str]:
    try:
        items = json.loads((home() / "recent.json").read_text())
        return [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]
    except (OSError, ValueError):
        return []


def add_recent(path: Path) -> list[str]:
    items = [str(path.resolve())] + [p for p in recent_files() if p != str(path.resolve())]
    items = items[:MAX_RECENT]
    try:
        (home() / "recent.json").write_text(json.dumps(items))
    except OSError:
        pass
    return items
