"""Design files: JSON with a ``format_version``, read defensively, written atomically.

Reading never half-succeeds: a file that is not a design raises :class:`DesignFileError` naming
the file and the place in it (``nodes[3].params``), and the caller's open document is untouched.
Only regular files are read, and never more than ``MAX_FILE_BYTES`` (a FIFO would block forever,
``/dev/zero`` never ends). Text that cannot be written back (a lone UTF-16 surrogate from a
``\\ud800`` escape) is refused on reading, so an opened design can always be saved. Parameter
*values* are not judged here but by the analysis, which locates them by block and field, so a
design with one bad value still opens and can be mended.

Saving writes a temporary file beside the target, flushes it to disk and renames it over the
target, so a crash mid-save leaves the old file whole. The saved file keeps the old file's mode
(a new one gets the umask's), and a symbolic link is saved through, not replaced.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from .design import INPUT, Design, Edge, Node

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
UPGRADES: dict[int, Any] = {}
SHOWN_CHARS = 60


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters: error messages never echo a whole value."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class DesignFileError(Exception):
    """A file that cannot be read as a design: where, and what is wrong."""

    def __init__(self, path: str | os.PathLike | None, place: str | None, message: str):
        self.path, self.place, self.message = path, place, message
        where = str(path) if path is not None else ""
        if place:
            where += f", at {place}" if where else f"at {place}"
        super().__init__(f"{where}: {message}" if where else message)


class DesignSaveError(OSError):
    """A design that cannot be saved (not encodable, or the disk refused): an OSError, so every
    caller that keeps the work on a failed write keeps it here too."""

    def __init__(self, path: str | os.PathLike, message: str, code: int = errno.EIO):
        super().__init__(code, message, str(path))


def to_dict(design: Design) -> dict:
    nodes = []
    for n in design.nodes.values():
        item = {"id": n.id, "kind": n.kind, "name": n.name, "params": n.params}
        if n.width != "scale":
            item["width"] = n.width
        nodes.append(item)
    out = {
        "format_version": FORMAT_VERSION,
        "name": design.name,
        "description": design.description,
        "input_shape": list(design.input_shape),
        "alpha": design.alpha,
        "rho": design.rho,
        "rounding": design.rounding,
        "dtype": design.dtype,
        "nodes": nodes,
        "edges": [{"from": e.src, "to": e.dst, "port": e.port} for e in design.edges],
        "layout": {k: list(design.layout[k]) for k in (INPUT, *design.nodes) if k in design.layout},
    }
    if design.groups:
        out["groups"] = {name: list(ids) for name, ids in design.groups.items()}
    if design.view:
        out["view"] = design.view
    if design.extra:
        out["extra"] = design.extra
    return out


def dumps(design: Design) -> str:
    return json.dumps(to_dict(design), indent=2, ensure_ascii=False) + "\n"


def save(design: Design, path: str | os.PathLike) -> None:
    """Write atomically (temporary file, fsync, rename). A failure leaves any earlier file as it
    was and raises OSError (:class:`DesignSaveError` when the design itself cannot be written)."""
    path = Path(os.path.realpath(path))
    try:
        data = dumps(design).encode("utf-8")
    except UnicodeEncodeError:
        place = _lone_surrogate_place(to_dict(design)) or "a name"
        raise DesignSaveError(path, f"cannot save: {place} holds text that is not valid Unicode "
                                    "(a lone surrogate); rename it and save again",
                              errno.EILSEQ) from None
    except (TypeError, ValueError, RecursionError) as err:
        raise DesignSaveError(path, f"cannot save: the design cannot be written as JSON "
                                    f"({shown(str(err))})") from None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = _default_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _default_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 less the umask (read from /proc where
    Linux has it, so other threads never see a changed umask)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            umask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _unreadable(path: Path, err: OSError) -> DesignFileError:
    """What an operating-system refusal to open or read a design file means to its user."""
    if isinstance(err, FileNotFoundError):
        return DesignFileError(path, None, "no such file")
    if isinstance(err, PermissionError):
        return DesignFileError(path, None, "permission denied: the file cannot be read")
    if isinstance(err, IsADirectoryError):
        return DesignFileError(path, None, "is a folder, not a design file")
    return DesignFileError(path, None, f"cannot be read ({err.strerror or err})")


def load(path: str | os.PathLike) -> Design:
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise _unreadable(path, err) from None
    except ValueError:
        raise DesignFileError(shown(str(path)), None, "is not a usable file name (it holds a NUL "
                                                      "character)") from None
    try:
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise DesignFileError(path, None, "is a folder, not a design file")
            if not stat.S_ISREG(info.st_mode):
                raise DesignFileError(path, None, "is not a regular file (a pipe, device or "
                                                  "socket), so it is not read")
            raw = b"" if info.st_size > MAX_FILE_BYTES else f.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise _unreadable(path, err) from None
    if info.st_size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        size = max(info.st_size, len(raw))
        raise DesignFileError(path, None, f"is {size / 1e6:.0f} MB; a design file is at most "
                                          f"{MAX_FILE_BYTES / 1e6:.0f} MB")
    return loads(raw, path)


def loads(raw: bytes | str, path: str | os.PathLike | None = None) -> Design:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise DesignFileError(path, f"byte {err.start}", "is not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DesignFileError(path, f"line {err.lineno}, column {err.colno}",
                              f"is not valid JSON ({err.msg})") from None
    except RecursionError:
        raise DesignFileError(path, None, "is nested too deeply to be a design") from None
    except ValueError:
        limit = sys.get_int_max_str_digits()
        long_number = re.search(rf"\d{{{limit + 1},}}", raw)
        place = _line_column(raw, long_number.start()) if long_number else None
        raise DesignFileError(path, place, f"holds a number with more than {limit:,} digits") \
            from None
    return from_dict(data, path)


def _line_column(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _lone_surrogate_place(data: Any) -> str | None:
    """Where in parsed JSON a string (value or key) holds a lone surrogate, or None."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return None
    except (UnicodeEncodeError, RecursionError):
        pass
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        place, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return place or "the top level"
        elif isinstance(value, dict):
            for key, item in value.items():
                sub = f"{place}.{key}" if place else str(key)
                if isinstance(key, str) and _SURROGATE.search(key):
                    return f"{place or 'the top level'} (a key)"
                stack.append((sub, item))
        elif isinstance(value, list):
            stack.extend((f"{place}[{i}]", item) for i, item in enumerate(value))
    return None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def from_dict(data: Any, path: str | os.PathLike | None = None) -> Design:
    def err(place: str | None, message: str) -> DesignFileError:
        return DesignFileError(path, place, message)

    if not isinstance(data, dict):
        raise err(None, f"must hold a JSON object, not {type(data).__name__}")
    bad_text = _lone_surrogate_place(data)
    if bad_text:
        raise err(_shown_place(bad_text), "holds text that is not valid Unicode (a lone surrogate "
                                          "such as \\ud800): it could never be saved")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise err("format_version", "missing or not a whole number: is this a ConvSketch design?")
    if version > FORMAT_VERSION:
        raise err("format_version", f"version {version} is newer than this ConvSketch reads "
                                    f"({FORMAT_VERSION}): update ConvSketch to open it")
    while version < FORMAT_VERSION:
        if version not in UPGRADES:
            raise err("format_version", f"version {version} is not a version ConvSketch wrote")
        data, version = UPGRADES[version](data), version + 1

    def typed(key: str, kind: type | tuple, default: Any = None, required: bool = True) -> Any:
        if key not in data:
            if required:
                raise err(key, "is missing")
            return default
        v = data[key]
        if not isinstance(v, kind) or (isinstance(v, bool) and bool not in _as_tuple(kind)):
            raise err(key, f"must be {_kind_name(kind)}, got {shown(v)}")
        return v

    design = Design()
    design.name = typed("name", str, "Untitled", required=False)
    design.description = typed("description", str, "", required=False)
    shape = typed("input_shape", list)
    if (len(shape) != 3 or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape)):
        raise err("input_shape", f"must be [channels, height, width] as whole numbers, got {shown(shape)}")
    design.input_shape = tuple(shape)
    design.alpha = typed("alpha", (int, float), 1.0, required=False)
    design.rho = typed("rho", (int, float), 1.0, required=False)
    design.rounding = typed("rounding", str, "divisible8", required=False)
    design.dtype = typed("dtype", str, "fp32", required=False)
    design.extra = typed("extra", dict, {}, required=False)

    for i, item in enumerate(typed("nodes", list)):
        place = f"nodes[{i}]"
        if not isinstance(item, dict):
            raise err(place, "must be an object")
        for key in ("id", "kind", "name"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise err(f"{place}.{key}", "must be non-empty text")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise err(f"{place}.params", "must be an object")
        width = item.get("width", "scale")
        if not isinstance(width, str):
            raise err(f"{place}.width", "must be text")
        if item["id"] in design.nodes or item["id"] == INPUT:
            raise err(f"{place}.id", f"id {shown(item['id'])} is used twice")
        design.nodes[item["id"]] = Node(item["id"], item["kind"], dict(params), item["name"], width)

    for i, item in enumerate(typed("edges", list)):
        place = f"edges[{i}]"
        if not isinstance(item, dict):
            raise err(place, "must be an object")
        src, dst, port = item.get("from"), item.get("to"), item.get("port", 0)
        if not isinstance(src, str) or not isinstance(dst, str):
            raise err(place, "needs 'from' and 'to' node ids")
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port < 1024:
            raise err(f"{place}.port", f"must be a whole number from 0 to 1023, got {shown(port, 40)}")
        edge = Edge(src, dst, port)
        if edge in design.edges:
            raise err(place, "repeats an earlier edge")
        design.edges.append(edge)

    for name, ids in typed("groups", dict, {}, required=False).items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise err(_shown_place(f"groups.{name}"), "must be a list of block ids")
        design.groups[name] = list(ids)
    view = typed("view", dict, {}, required=False)
    collapsed = view.get("collapsed", [])
    if not isinstance(collapsed, list) or not all(isinstance(n, str) for n in collapsed):
        raise err("view.collapsed", "must be a list of group names")
    design.view = dict(view)

    for key, pos in typed("layout", dict, {}, required=False).items():
        if (not isinstance(pos, list) or len(pos) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos)):
            raise err(_shown_place(f"layout.{key}"), "must be [x, y]")
        if key in design.nodes or key == INPUT:
            design.layout[key] = (pos[0], pos[1])
    return design


def _shown_place(place: str) -> str:
    """A place in the file, cut like a shown value and with surrogates escaped (a key is text
    from the file too)."""
    place = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", place)
    return place if len(place) <= SHOWN_CHARS else place[:SHOWN_CHARS - 1] + "…"


def _as_tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list",
             dict: "an object", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))
