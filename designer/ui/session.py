"""Recent files and crash recovery: the open design is autosaved to a recovery file while it has
unsaved changes, removed on a clean exit, and offered back at the next start if it is still there.

The folder is ``$CONVSKETCH_HOME`` if set (tests), else Qt's per-user app data folder. Every
function that writes there raises only OSError (an unwritable folder, a full disk), so the window
can report it and carry on; reading a missing or broken file gives nothing rather than an error,
except a recovery file that cannot be read: it is moved aside and reported (UnreadableRecovery).
"""
from __future__ import annotations

import errno
import json
import os
import time
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


class UnreadableRecovery(Exception):
    """An earlier session's recovery file that cannot be read as a design. It is moved aside,
    not deleted (the cause may pass, or the user may want the bytes), so that autosave can
    carry on; the message says where it went, or why it could not be moved."""

    def __init__(self, problem: str, moved_to: Path | None, move_problem: str | None = None):
        self.problem, self.moved_to, self.move_problem = problem, moved_to, move_problem
        if moved_to is not None:
            told = f"moved to {moved_to}"
        else:
            told = f"it could not be moved aside ({move_problem}); autosave carries on"
        super().__init__(f"An earlier session's recovery file was not offered: {problem}; {told}")


def pending_recovery() -> tuple[Design, Path | None] | None:
    """The design a crashed session left behind, or None; raises UnreadableRecovery (after
    moving the file aside if the folder lets it) for one that cannot be read as a design.
    Looking never creates the settings folder."""
    path = folder() / "recovery.json"
    if not has_pending_recovery():
        return None
    try:
        design = io.load(path)
    except Exception as err:  # noqa: BLE001 - whatever the reason, the file is not offered
        problem = str(err) if isinstance(err, io.DesignFileError) else \
            f"{path}: {type(err).__name__}: {io.shown(str(err))}"
        try:
            moved = set_aside(path)
        except OSError as move_err:
            raise UnreadableRecovery(problem, None, move_err.strerror or str(move_err)) from None
        raise UnreadableRecovery(problem, moved) from None
    try:
        source = folder() / "recovery-source.txt"
        text = source.read_text(encoding="utf-8", errors="surrogateescape").strip() \
            if source.exists() else ""
    except OSError:
        text = ""
    return design, Path(text) if text else None


def set_aside(path: Path) -> Path:
    """Rename ``path`` to ``recovery.broken-<time>.json`` beside it (never over another file);
    raises OSError if the folder refuses."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        target = path.with_name(f"recovery.broken-{stamp}{f'-{n}' if n else ''}.json")
        if not os.path.lexists(target):
            os.rename(path, target)
            return target
    raise FileExistsError(errno.EEXIST, "too many set-aside recovery files", str(path.parent))


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
