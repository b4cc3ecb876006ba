"""Recent files and crash recovery: the open design is autosaved to a recovery file while it has
unsaved changes, removed on a clean exit, and offered back at the next start if it is still there.

The folder is ``$CONVSKETCH_HOME`` if set (tests), else Qt's per-user app data folder. Every
function that writes there raises only OSError (an unwritable folder, a full disk), so the window
can report it and carry on; reading a missing or broken file gives nothing rather than an error.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from designer.core import io
from designer.core.design import Design

MAX_RECENT = 8


def folder() -> Path:
    """The settings folder, which may not exist yet (reading never creates it)."""
    env = os.environ.get("CONVSKETCH_HOME")
    base = Path(env) if env else Path(
        QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or "~/.convsketch")
    return base.expanduser()


def home() -> Path:
    """The settings folder, created if missing (raises OSError if it cannot be)."""
    path = folder()
    path.mkdir(parents=True, exist_ok=True)
    return path


def recovery_path() -> Path:
    return home() / "recovery.json"


def write_recovery(design: Design, source: Path | None) -> None:
    io.save(design, recovery_path())
    (home() / "recovery-source.txt").write_text(str(source or ""), encoding="utf-8",
                                                errors="surrogateescape")


def clear_recovery() -> None:
    for name in ("recovery.json", "recovery-source.txt"):
        (home() / name).unlink(missing_ok=True)


def has_pending_recovery() -> bool:
    try:
        return (folder() / "recovery.json").exists()
    except OSError:
        return False


def pending_recovery() -> tuple[Design, Path | None] | None:
    """The design a crashed session left behind, or None (one that cannot be read as a design is
    discarded). Looking never creates the settings folder."""
    path = folder() / "recovery.json"
    if not has_pending_recovery():
        return None
    try:
        design = io.load(path)
    except io.DesignFileError:
        try:
            clear_recovery()
        except OSError:
            pass
        return None
    try:
        source = folder() / "recovery-source.txt"
        text = source.read_text(encoding="utf-8", errors="surrogateescape").strip() \
            if source.exists() else ""
    except OSError:
        text = ""
    return design, Path(text) if text else None


def recent_files() -> list[str]:
    try:
        items = json.loads((folder() / "recent.json").read_text(encoding="utf-8"))
        return [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]
    except (OSError, ValueError, TypeError):
        return []


def add_recent(path: Path) -> list[str]:
    """Put ``path`` first in the recent list; raises OSError if the list cannot be written."""
    full = os.path.realpath(path)
    items = [full] + [p for p in recent_files() if p != full]
    items = items[:MAX_RECENT]
    (home() / "recent.json").write_text(json.dumps(items), encoding="utf-8")
    return items
