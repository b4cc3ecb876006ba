"""Design files: JSON with a ``format_version``, read defensively, written atomically.

Reading never half-succeeds: a file that is not a design raises :class:`DesignFileError` naming
the file and the place in it (``nodes[3].params``), and the caller's open document is untouched.
Parameter *values* are not judged here but by the analysis, which locates them by block and
field, so a design with one bad value still opens and can be mended.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .design import Design, Edge, Node

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
UPGRADES: dict[int, Any] = {}


class DesignFileError(Exception):
    """A file that cannot be read as a design: where, and what is wrong."""

    def __init__(self, path: str | os.PathLike | None, place: str | None, message: str):
        self.path, self.place, self.message = path, place, message
        where = str(path) if path is not None else ""
        if place:
            where += f", at {place}" if where else f"at {place}"
        super().__init__(f"{where}: {message}" if where else message)


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
        "layout": {k: list(design.layout[k]) for k in design.nodes if k in design.layout},
    }
    if design.extra:
        out["extra"] = design.extra
    return out


def dumps(design: Design) -> str:
    return json.dumps(to_dict(design), indent=2, ensure_ascii=False) + "\n"


def save(design: Design, path: str | os.PathLike) -> None:
    """Write atomically: a temporary file beside the target, flushed to disk, then renamed over it.
    A failure leaves any earlier file as it was and raises OSError."""
    path = Path(path)
    data = dumps(design).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
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


def load(path: str | os.PathLike) -> Design:
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DesignFileError(path, None, "is a folder, not a design file")
        if size > MAX_FILE_BYTES:
            raise DesignFileError(path, None, f"is {size / 1e6:.0f} MB; a design file is at most "
                                              f"{MAX_FILE_BYTES / 1e6:.0f} MB")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DesignFileError(path, None, "no such file") from None
    except PermissionError:
        raise DesignFileError(path, None, "permission denied: the file cannot be read") from None
    except OSError as err:
        raise DesignFileError(path, None, f"cannot be read ({err.strerror or err})") from None
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
    return from_dict(data, path)


def from_dict(data: Any, path: str | os.PathLike | None = None) -> Design:
    def err(place: str | None, message: str) -> DesignFileError:
        return DesignFileError(path, place, message)

    if not isinstance(data, dict):
        raise err(None, f"must hold a JSON object, not {type(data).__name__}")
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
            raise err(key, f"must be {_kind_name(kind)}, got {v!r:.60}")
        return v

    design = Design()
    design.name = typed("name", str, "Untitled", required=False)
    design.description = typed("description", str, "", required=False)
    shape = typed("input_shape", list)
    if (len(shape) != 3 or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape)):
        raise err("input_shape", f"must be [channels, height, width] as whole numbers, got {shape!r:.60}")
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
        if item["id"] in design.nodes or item["id"] == "input":
            raise err(f"{place}.id", f"id {item['id']!r} is used twice")
        design.nodes[item["id"]] = Node(item["id"], item["kind"], dict(params), item["name"], width)

    for i, item in enumerate(typed("edges", list)):
        place = f"edges[{i}]"
        if not isinstance(item, dict):
            raise err(place, "must be an object")
        src, dst, port = item.get("from"), item.get("to"), item.get("port", 0)
        if not isinstance(src, str) or not isinstance(dst, str):
            raise err(place, "needs 'from' and 'to' node ids")
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port < 1024:
            raise err(f"{place}.port", f"must be a whole number from 0 to 1023, got {port!r:.40}")
        edge = Edge(src, dst, port)
        if edge in design.edges:
            raise err(place, "repeats an earlier edge")
        design.edges.append(edge)

    for key, pos in typed("layout", dict, {}, required=False).items():
        if (not isinstance(pos, list) or len(pos) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos)):
            raise err(f"layout.{key}", "must be [x, y]")
        if key in design.nodes:
            design.layout[key] = (pos[0], pos[1])
    return design


def _as_tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list",
             dict: "an object", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))
