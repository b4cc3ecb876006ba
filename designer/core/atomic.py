"""The one way ConvSketch writes a file: whole or not at all, and only over a regular file.

Every file the product writes (designs, exported code and ONNX, charts, tables, screenshots, the
recent list) goes through :func:`atomic_path` or :func:`write_atomically`. The data goes to a new
temporary file in the target's own folder, created with ``O_EXCL`` under a random name (no fixed
``.name.tmp`` that someone could plant as a symbolic link), flushed to disk and renamed over the
target, so a crash or a second writer at the same moment never leaves half a file.

The target is checked first: a symbolic link is written through to the regular file it names (as
an editor saves); a device, a FIFO, a socket or a folder is refused (saving to ``/dev/null`` as
root must not replace the system's ``/dev/null``); a read-only file is refused even for root,
who could otherwise rename over it. The written file keeps the old file's mode, or gets the
umask's for a new one.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def writable_target(path: str | os.PathLike) -> tuple[Path, int]:
    """The file to replace (a link resolved) and the mode the new file gets; raises OSError for
    a target that is not a regular file or that is read-only, and for a missing folder."""
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, f"there is no folder {target.parent}",
                                    str(path)) from None
        return target, default_file_mode()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "is not a regular file (a device, pipe or socket): "
                                    "refusing to replace it", str(path))
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "is read-only: refusing to replace it", str(path))
    return target, mode


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A fresh temporary file beside ``path`` for a writer that needs a file name (Qt, torch):
    when the block ends cleanly the temporary file is flushed and renamed over ``path``; on an
    error it is removed and ``path`` is as it was. It keeps ``path``'s suffix, by which some
    writers choose the format."""
    target, mode = writable_target(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}",
                                dir=target.parent)
    tmp = Path(name)
    try:
        os.close(fd)
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(target.parent)


def write_atomically(path: str | os.PathLike, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; raises OSError on any refusal."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target, mode = writable_target(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
        os.replace(name, target)
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise
    _fsync_folder(target.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def default_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 less the umask (read from /proc where
    Linux has it, so other threads never see a changed umask)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            umask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask
