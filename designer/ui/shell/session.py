"""Recent files and crash recovery: while the open design has unsaved changes each running
ConvSketch autosaves it to a recovery file of its own (``recovery-<pid>-<start>.json``, and the
file it came from in ``recovery-<pid>-<start>-source.txt``), removes only that one on a clean
exit, and at a start offers back the recoveries whose owner is no longer running. An owner is
a process id and that process's start time: a pid the system has since given to another process
does not hide the recovery of the one that died. A single ``recovery.json`` written before
recoveries were per instance is offered too.

The folder is ``$CONVSKETCH_HOME`` if set (tests), else Qt's per-user app data folder. Every
function that writes there raises only OSError (an unwritable folder, a full disk), so the window
can report it and carry on; reading a missing or broken file gives nothing rather than an error,
except a recovery file that cannot be read: it is moved aside and reported (UnreadableRecovery).
"""
from __future__ import annotations

import errno
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from designer.core import io
from designer.core.atomic import write_atomically
from designer.core.design import Design

MAX_RECENT = 8
LEGACY_RECOVERY = "recovery.json"
LEGACY_SOURCE = "recovery-source.txt"
_OWNED = re.compile(r"recovery-(\d+)-(\d+)\.json")


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


def _linux_start(pid: int) -> int | None:
    """When ``pid`` started, in hundredths of a second since the epoch, from the kernel's own
    record (the same figure whoever asks, so it can be compared exactly); None if there is no
    such process. Raises OSError where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        if not Path("/proc/self/stat").exists():
            raise
        return None
    except ProcessLookupError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    ticks = int(fields[19])
    boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime "))
    return boot * 100 + ticks * 100 // os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Instance:
    """A running (or once running) ConvSketch: its process id and when that process started."""
    pid: int
    start: int

    @property
    def file_name(self) -> str:
        return f"recovery-{self.pid}-{self.start}.json"

    def running(self) -> bool:
        """Whether this very process still runs. Without /proc only the pid can be checked
        (POSIX): a reused pid then keeps a recovery waiting until that process ends too."""
        try:
            return _linux_start(self.pid) == self.start
        except (OSError, ValueError, IndexError, StopIteration):
            pass
        if os.name != "posix" or self.pid <= 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True


def _this_instance() -> Instance:
    pid = os.getpid()
    try:
        start = _linux_start(pid)
    except (OSError, ValueError, IndexError, StopIteration):
        start = None
    return Instance(pid, start if start is not None else int(time.time() * 100))


THIS = _this_instance()


def recovery_path(owner: Instance = THIS) -> Path:
    """Where ``owner`` (this process unless told) autosaves (creates the folder)."""
    return home() / owner.file_name


def _source_path(design_file: Path) -> Path:
    if design_file.name == LEGACY_RECOVERY:
        return design_file.with_name(LEGACY_SOURCE)
    return design_file.with_name(design_file.stem + "-source.txt")


def write_recovery(design: Design, source: Path | None, owner: Instance = THIS) -> None:
    """Autosave ``design`` (opened from ``source``) as ``owner``'s recovery; the source is
    written first, so a design file found always has its source beside it."""
    path = recovery_path(owner)
    write_atomically(_source_path(path), str(source or "").encode("utf-8", "surrogateescape"))
    io.save(design, path)


def clear_recovery() -> None:
    """Remove this process's own recovery (never another instance's)."""
    path = folder() / THIS.file_name
    for name in (path, _source_path(path)):
        name.unlink(missing_ok=True)


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


@dataclass(frozen=True)
class Recovery:
    """The recovery file a ConvSketch that is no longer running left behind."""
    path: Path

    def load(self) -> tuple[Design, Path | None]:
        """The design and the file it came from; raises UnreadableRecovery (after moving the
        file aside if the folder lets it) for one that cannot be read as a design."""
        try:
            design = io.load(self.path)
        except Exception as err:  # noqa: BLE001 - whatever the reason, the file is not offered
            problem = str(err) if isinstance(err, io.DesignFileError) else \
                f"{self.path}: {type(err).__name__}: {io.shown(str(err))}"
            try:
                moved = set_aside(self.path)
            except OSError as move_err:
                raise UnreadableRecovery(problem, None,
                                         move_err.strerror or str(move_err)) from None
            raise UnreadableRecovery(problem, moved) from None
        try:
            source = _source_path(self.path)
            text = source.read_text(encoding="utf-8", errors="surrogateescape").strip() \
                if source.exists() else ""
        except OSError:
            text = ""
        return design, Path(text) if text else None

    def discard(self) -> None:
        """Delete it (the user declined it); raises OSError if the folder refuses."""
        for path in (self.path, _source_path(self.path)):
            path.unlink(missing_ok=True)

    def adopt(self) -> None:
        """Make it this process's own recovery (the user restored it): it stays on disk until
        this instance saves or exits cleanly, so a second crash loses nothing either. One gone
        meanwhile (another instance, started at the same time, restored it) is left to that one.
        Raises OSError if the folder refuses (it then stays where it was, offered again later)."""
        own = recovery_path()
        source = _source_path(self.path)
        if source.exists():
            os.replace(source, _source_path(own))
        try:
            os.replace(self.path, own)
        except FileNotFoundError:
            if os.path.lexists(self.path):
                raise


def orphaned_recoveries() -> list[Recovery]:
    """The recoveries whose owner no longer runs, newest first. Looking never creates the
    settings folder."""
    found = []
    try:
        for entry in os.scandir(folder()):
            owned = _OWNED.fullmatch(entry.name)
            if owned and Instance(int(owned[1]), int(owned[2])).running():
                continue
            if owned or entry.name == LEGACY_RECOVERY:
                try:
                    when = entry.stat(follow_symlinks=False).st_mtime
                except OSError:
                    when = 0.0
                found.append((when, entry.name, Recovery(Path(entry.path))))
    except OSError:
        return []
    return [recovery for *_, recovery in sorted(found, key=lambda f: (f[0], f[1]), reverse=True)]


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
    write_atomically(home() / "recent.json", json.dumps(items))
    return items
