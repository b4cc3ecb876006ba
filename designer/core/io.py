"""Design files: JSON with a ``format_version``, read defensively, written atomically.

Reading never half-succeeds: a file that is not a design raises :class:`DesignFileError` naming
the file and the place in it (``nodes[3].params``), and the caller's open document is untouched.
Only regular files are read, and never more than ``MAX_FILE_BYTES`` (a FIFO would block forever,
``/dev/zero`` never ends). Text that cannot be written back (a lone UTF-16 surrogate from a
``\\ud800`` escape) is refused on reading, so an opened design can always be saved. Parameter
*values* are not judged here but by the analysis, which locates them by block and field, so a
design with one bad value still opens and can be mended.

Saving goes through :mod:`.atomic`, the one writer of every file the product writes: a crash
mid-save leaves the old file whole, the old file's mode is kept, a symbolic link is saved
through, and a device, FIFO or read-only file is refused rather than replaced.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .bounds import MAX_NUMBER, SHOWN_CHARS, number_problem, shown
from .design import INPUT, Design, Edge, Node
from .hidden_linears import sync_hidden_linears
from .timings import Timing, TimingError

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PORT = 2 ** 31 - 1
"""A port only orders a block's inputs, and the app numbers a new wire one past the highest:
a concat of 1,100 branches, or one rewired many times, has ports past 1,023, which an earlier
bound refused on reading back what the app had saved."""
UPGRADES: dict[int, Any] = {}


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
        if isinstance(design.extra.get("timings"), list):
            out["extra"] = {**design.extra, "timings": [
                t.to_dict() if isinstance(t, Timing) else t for t in design.extra["timings"]]}
    return out


def dumps(design: Design) -> str:
    return json.dumps(to_dict(design), indent=2, ensure_ascii=False) + "\n"


def save(design: Design, path: str | os.PathLike) -> None:
    """Write atomically with the product's one writer (:mod:`.atomic`: a fresh temporary file,
    fsync, rename; only over a regular, writable file). A failure leaves any earlier file as it
    was and raises OSError (:class:`DesignSaveError` when the design itself cannot be written)."""
    path = Path(path)
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
    write_atomically(path, data)


def _unreadable(path: Path, err: OSError) -> DesignFileError:
    """What an operating-system refusal to open or read a design file means to its user."""
    if isinstance(err, FileNotFoundError):
        return DesignFileError(path, None, "no such file")
    if isinstance(err, PermissionError):
        return DesignFileError(path, None, "permission denied: the file cannot be read")
    if isinstance(err, IsADirectoryError):
        return DesignFileError(path, None, "is a folder, not a design file")
    return DesignFileError(path, None, f"cannot be read ({err.strerror or err})")


def load(path: str | os.PathLike,
         progress: Callable[[float, str], None] | None = None) -> Design:
    """Read a design file; ``progress(fraction, what)`` hears how far it got (a large file is
    read off the app's UI thread, with a progress dialog)."""
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
    if progress:
        progress(0.1, "parsing")
    return loads(raw, path, progress)


def loads(raw: bytes | str, path: str | os.PathLike | None = None,
          progress: Callable[[float, str], None] | None = None) -> Design:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise DesignFileError(path, f"byte {err.start}", "is not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DesignFileError(path, f"line {err.lineno}, column {err.colno}",
                              f"is not valid JSON ({_json_problem(err, raw)})") from None
    except RecursionError:
        raise DesignFileError(path, None, "is nested too deeply to be a design") from None
    except ValueError:
        limit = sys.get_int_max_str_digits()
        long_number = re.search(rf"\d{{{limit + 1},}}", raw)
        place = _line_column(raw, long_number.start()) if long_number else None
        raise DesignFileError(path, place, f"holds a number with more than {limit:,} digits") \
            from None
    return from_dict(data, path, surrogates_possible=_SURROGATE_ESCAPE.search(raw) is not None,
                     progress=progress)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json_problem(err: json.JSONDecodeError, raw: str) -> str:
    """json's message as a sentence: its "... starting at" points at the place already named,
    and a file that ends inside a value was most likely cut short."""
    text = err.msg[0].lower() + err.msg[1:]
    text = text[:-len(" at")] + " here" if text.endswith(" at") else text
    if text.startswith("unterminated") or err.pos >= len(raw.rstrip()):
        text += "; the file ends too early: was it cut short?"
    return text


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




def from_dict(data: Any, path: str | os.PathLike | None = None,
              surrogates_possible: bool = True,
              progress: Callable[[float, str], None] | None = None) -> Design:
    """A design from parsed JSON, or a :class:`DesignFileError` at the first place that is not
    one. Every number in the file is bounded here (:func:`_Reader.number`), so nothing later
    meets an infinity, a NaN or a 400-digit integer. ``surrogates_possible=False``: the text had
    no ``\\ud800``-style escape, so the search for lone surrogates is skipped."""
    reader = _Reader(path, progress)
    data = reader.upgraded(data, surrogates_possible)
    design = Design()
    reader.settings(data, design)
    reader.nodes(data, design)
    reader.edges(data, design)
    reader.groups_and_view(data, design)
    reader.layout(data, design)
    sync_hidden_linears(design)        # an older file's flags may predate its wiring
    return design


class _Reader:
    """The pieces of :func:`from_dict`, sharing the file's path for their errors."""

    def __init__(self, path: str | os.PathLike | None,
                 progress: Callable[[float, str], None] | None = None):
        self.path = path
        self.progress = progress

    def tell(self, start: float, span: float, done: int, total: int, what: str) -> None:
        """Report every 2,000 items of a long list (nodes, edges)."""
        if self.progress and done % 2000 == 0 and total:
            self.progress(start + span * done / total, what)

    def error(self, place: str | None, message: str) -> DesignFileError:
        return DesignFileError(self.path, place, message)

    def upgraded(self, data: Any, surrogates_possible: bool = True) -> dict:
        if not isinstance(data, dict):
            raise self.error(None, f"must hold a JSON object, not {type(data).__name__}")
        bad_text = _lone_surrogate_place(data) if surrogates_possible else None
        if bad_text:
            raise self.error(_shown_place(bad_text), "holds text that is not valid Unicode (a lone "
                                                     "surrogate such as \\ud800): it could never "
                                                     "be saved")
        version = data.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.error("format_version", "missing or not a whole number: is this a "
                                               "ConvSketch design?")
        if version > FORMAT_VERSION:
            raise self.error("format_version", f"version {version} is newer than this ConvSketch "
                                               f"reads ({FORMAT_VERSION}): update ConvSketch to "
                                               "open it")
        while version < FORMAT_VERSION:
            if version not in UPGRADES:
                raise self.error("format_version", f"version {version} is not a version "
                                                   "ConvSketch wrote")
            data, version = UPGRADES[version](data), version + 1
        return data

    def typed(self, data: dict, key: str, kind: type | tuple, default: Any = None,
              required: bool = True, place: str | None = None) -> Any:
        place = place or key
        if key not in data:
            if required:
                raise self.error(place, "is missing")
            return default
        v = data[key]
        if not isinstance(v, kind) or (isinstance(v, bool) and bool not in _as_tuple(kind)):
            raise self.error(place, f"must be {_kind_name(kind)}, got {shown(v)}")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            self.number(v, place)
        return v

    def number(self, v: Any, place: str, least: float = -MAX_NUMBER) -> None:
        """The one bound on a number from a file: finite and from ``least`` to ``MAX_NUMBER``."""
        problem = number_problem(v, least)
        if problem:
            raise self.error(place, problem)

    def numbers_in(self, value: Any, place: str | Callable[[], str]) -> None:
        """Bound every number inside ``value`` (a block's params: their legal ranges are the
        analysis's to judge, so that a design with one bad value still opens and is mended).
        ``place`` may be a function, called only for a message (a large file has many)."""
        if not _has_unbounded(value):
            return
        stack = [(place() if callable(place) else place, value)]
        while stack:
            where, v = stack.pop()
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                self.number(v, where)
            elif isinstance(v, dict):
                stack.extend((f"{where}.{k}", item) for k, item in v.items())
            elif isinstance(v, list):
                stack.extend((f"{where}[{i}]", item) for i, item in enumerate(v))

    def settings(self, data: dict, design: Design) -> None:
        design.name = self.typed(data, "name", str, "Untitled", required=False)
        design.description = self.typed(data, "description", str, "", required=False)
        shape = self.typed(data, "input_shape", list)
        if (len(shape) != 3
                or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape)):
            raise self.error("input_shape", "must be [channels, height, width] as whole numbers, "
                                            f"got {shown(shape)}")
        self.numbers_in(shape, "input_shape")
        design.input_shape = tuple(shape)
        design.alpha = self.typed(data, "alpha", (int, float), 1.0, required=False)
        design.rho = self.typed(data, "rho", (int, float), 1.0, required=False)
        design.rounding = self.typed(data, "rounding", str, "divisible8", required=False)
        design.dtype = self.typed(data, "dtype", str, "fp32", required=False)
        design.extra = dict(self.typed(data, "extra", dict, {}, required=False))
        self.timings(design.extra)

    def timings(self, extra: dict) -> None:
        """Kept timings become typed records (``Timing``), each field checked and bounded at its
        place (``extra.timings[1].median_ms``): they are numbers a chart scales its axes by."""
        timings = extra.get("timings")
        if timings is None:
            return
        if not isinstance(timings, list):
            raise self.error("extra.timings", f"must be a list, got {shown(timings)}")
        try:
            extra["timings"] = [Timing.from_dict(t, f"extra.timings[{i}]")
                                for i, t in enumerate(timings)]
        except TimingError as err:
            raise self.error(err.place, err.message) from None

    def nodes(self, data: dict, design: Design) -> None:
        items = self.typed(data, "nodes", list)
        for i, item in enumerate(items):
            self.tell(0.3, 0.4, i, len(items), f"blocks: {i:,} of {len(items):,}")
            place = f"nodes[{i}]"
            if not isinstance(item, dict):
                raise self.error(place, "must be an object")
            for key in ("id", "kind", "name"):
                if not isinstance(item.get(key), str) or not item[key]:
                    raise self.error(f"{place}.{key}", "must be non-empty text")
            params = item.get("params", {})
            if not isinstance(params, dict):
                raise self.error(f"{place}.params", "must be an object")
            self.numbers_in(params, lambda place=place, name=item["name"]: _shown_place(
                f"{place} (block {name!r}).params"))
            width = item.get("width", "scale")
            if not isinstance(width, str):
                raise self.error(f"{place}.width", "must be text")
            if item["id"] in design.nodes or item["id"] == INPUT:
                raise self.error(f"{place}.id", f"id {shown(item['id'])} is used twice")
            design.nodes[item["id"]] = Node(item["id"], item["kind"], dict(params), item["name"],
                                            width)

    def edges(self, data: dict, design: Design) -> None:
        seen: set[Edge] = set()
        items = self.typed(data, "edges", list)
        for i, item in enumerate(items):
            self.tell(0.7, 0.2, i, len(items), f"wires: {i:,} of {len(items):,}")
            place = f"edges[{i}]"
            if not isinstance(item, dict):
                raise self.error(place, "must be an object")
            src, dst, port = item.get("from"), item.get("to"), item.get("port", 0)
            if not isinstance(src, str) or not isinstance(dst, str):
                raise self.error(place, "needs 'from' and 'to' node ids")
            if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= MAX_PORT:
                raise self.error(f"{place}.port", f"must be a whole number from 0 to {MAX_PORT:,}"
                                                  f", got {shown(port, 40)}")
            edge = Edge(src, dst, port)
            if edge in seen:
                raise self.error(place, "repeats an earlier edge")
            seen.add(edge)
            design.edges.append(edge)

    def groups_and_view(self, data: dict, design: Design) -> None:
        for name, ids in self.typed(data, "groups", dict, {}, required=False).items():
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise self.error(_shown_place(f"groups.{name}"), "must be a list of block ids")
            design.groups[name] = list(ids)
        view = self.typed(data, "view", dict, {}, required=False)
        collapsed = view.get("collapsed", [])
        if not isinstance(collapsed, list) or not all(isinstance(n, str) for n in collapsed):
            raise self.error("view.collapsed", "must be a list of group names")
        self.numbers_in(view, "view")
        design.view = dict(view)

    def layout(self, data: dict, design: Design) -> None:
        for key, pos in self.typed(data, "layout", dict, {}, required=False).items():
            if (not isinstance(pos, list) or len(pos) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               for v in pos)):
                raise self.error(_shown_place(f"layout.{key}"), "must be [x, y]")
            self.numbers_in(pos, lambda key=key: _shown_place(f"layout.{key}"))
            if key in design.nodes or key == INPUT:
                design.layout[key] = (pos[0], pos[1])


def _has_unbounded(value: Any) -> bool:
    """Whether ``value`` holds a number out of the file's bound (or a container: looked into by
    the caller). The common case, flat small numbers, is decided without building places."""
    values = value.values() if isinstance(value, dict) else value if isinstance(value, list) \
        else (value,)
    for v in values:
        kind = type(v)
        if kind is int:
            if not -MAX_NUMBER <= v <= MAX_NUMBER:
                return True
        elif kind is float:
            if not -MAX_NUMBER <= v <= MAX_NUMBER:     # NaN fails both comparisons
                return True
        elif kind not in (str, bool, type(None)):
            return True
    return False


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
