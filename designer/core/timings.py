"""Timings kept with a design, in ``design.extra["timings"]``: typed records (``Timing``), newest
last, one per runtime ("torch" | "onnxruntime") and setup (device, batch, threads, α, ρ), with
the spread of their runs, the environment they ran in (versions, threads, CPU) and, for a
per-block run, one ``BlockTiming`` per block. The worker writes them, the file keeps them as
JSON objects (``to_dict``), and every reader gets them back typed (``from_dict``, which names
the place of a bad field, ``extra.timings[1].median_ms``). Adding one is an undoable command."""
from __future__ import annotations

import copy
import math
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from .bounds import number_problem, shown
from .commands import Command
from .design import Design


class TimingError(ValueError):
    """A kept timing that is not one: where (``extra.timings[1].median_ms``) and what."""

    def __init__(self, place: str, message: str):
        self.place, self.message = place, message
        super().__init__(f"{place}: {message}")


NUMBER, COUNT, TEXT, FLAG, MAPPING = "number", "count", "text", "flag", "mapping"


def _read(data: Any, place: str, cls, kinds: dict[str, str], nested=None) -> dict:
    """The fields of ``cls`` from ``data``, each checked against its kind and the file's bound;
    keys the record does not know are kept aside (``other``) so that nothing is lost. Every
    present field is checked before a missing one is named, so the first bad value is found."""
    if not isinstance(data, dict):
        raise TimingError(place, f"must be an object, got {shown(data)}")
    known = {f.name for f in fields(cls)} - {"other"}
    values: dict[str, Any] = {}
    for key, kind in kinds.items():
        if key not in data or data[key] is None:
            continue
        v, where = data[key], f"{place}.{key}"
        if kind in (NUMBER, COUNT):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TimingError(where, f"must be a number, got {shown(v)}")
            problem = number_problem(v, least=0)
            if problem:
                raise TimingError(where, problem)
            if kind == COUNT and v != int(v):
                raise TimingError(where, f"must be a whole number, got {shown(v)}")
            v = int(v) if kind == COUNT else v
        elif kind == TEXT and not isinstance(v, str):
            raise TimingError(where, f"must be text, got {shown(v)}")
        elif kind == FLAG and not isinstance(v, bool):
            raise TimingError(where, f"must be true or false, got {shown(v)}")
        elif kind == MAPPING and not isinstance(v, dict):
            raise TimingError(where, f"must be an object, got {shown(v)}")
        values[key] = v
    if nested:
        key, make = nested
        rows = data.get(key) or []
        if not isinstance(rows, list):
            raise TimingError(f"{place}.{key}", f"must be a list, got {shown(rows)}")
        values[key] = tuple(make(row, f"{place}.{key}[{i}]") for i, row in enumerate(rows))
    for f in fields(cls):
        if f.name not in values and f.default is MISSING and f.default_factory is MISSING:
            raise TimingError(f"{place}.{f.name}", "is missing")
    values["other"] = {k: v for k, v in data.items() if k not in known}
    return values


def _written(record) -> dict:
    """A record as its JSON object: set fields only, unknown keys from the file kept."""
    out = {}
    for f in fields(record):
        v = getattr(record, f.name)
        if f.name == "other" or v is None or v == () or v == {}:
            continue
        out[f.name] = [b.to_dict() for b in v] if isinstance(v, tuple) else v
    return {**out, **record.other}


@dataclass(frozen=True)
class BlockTiming:
    """One block timed on its own (torch eager), in interleaved rounds."""

    name: str
    median_ms: float
    kind: str | None = None
    macs: int | None = None
    q1_ms: float | None = None
    q3_ms: float | None = None
    iqr_ms: float | None = None
    runs: int | None = None
    noisy: bool | None = None
    """Whether its runs spread too widely to trust (not recorded before per-block spreads)."""
    other: dict = field(default_factory=dict, compare=False, repr=False)

    KINDS: ClassVar[dict[str, str]] = {
        "name": TEXT, "median_ms": NUMBER, "kind": TEXT, "macs": COUNT, "q1_ms": NUMBER,
        "q3_ms": NUMBER, "iqr_ms": NUMBER, "runs": COUNT, "noisy": FLAG}

    @classmethod
    def from_dict(cls, data: Any, place: str = "block") -> BlockTiming:
        return cls(**_read(data, place, cls, cls.KINDS))

    def to_dict(self) -> dict:
        return _written(self)


@dataclass(frozen=True)
class Timing:
    """One runtime's timing of the whole design: the median and spread of its runs (ms), the
    setup it ran in, and (torch, per-block runs) each block's own timing. Files written before
    this record existed load as they are: a field they lack takes its default."""

    median_ms: float
    runtime: str
    alpha: float
    rho: float
    device: str = "cpu"
    batch: int = 1
    threads: int | None = None
    q1_ms: float | None = None
    q3_ms: float | None = None
    iqr_ms: float | None = None
    p95_ms: float | None = None
    min_ms: float | None = None
    runs: int | None = None
    noisy: bool = False
    peak_memory_bytes: int | None = None
    note: str | None = None
    environment: dict = field(default_factory=dict, compare=False)
    blocks: tuple[BlockTiming, ...] = ()
    other: dict = field(default_factory=dict, compare=False, repr=False)

    KINDS: ClassVar[dict[str, str]] = {
        "median_ms": NUMBER, "runtime": TEXT, "alpha": NUMBER, "rho": NUMBER, "device": TEXT,
        "batch": COUNT, "threads": COUNT, "q1_ms": NUMBER, "q3_ms": NUMBER, "iqr_ms": NUMBER,
        "p95_ms": NUMBER, "min_ms": NUMBER, "runs": COUNT, "noisy": FLAG,
        "peak_memory_bytes": COUNT, "note": TEXT, "environment": MAPPING}

    @classmethod
    def from_dict(cls, data: Any, place: str = "timing") -> Timing:
        """The record of a JSON object, or a TimingError naming the first bad field's place."""
        return cls(**_read(data, place, cls, cls.KINDS, ("blocks", BlockTiming.from_dict)))

    def to_dict(self) -> dict:
        return _written(self)

    @property
    def setup(self) -> tuple:
        """What a newer timing of the same setup replaces."""
        return (self.runtime, self.device, self.alpha, self.rho, self.batch, self.threads)

    def spread_text(self) -> str:
        """"median 12.31 ms, IQR 11.90–12.80 ms, p95 13.40 ms, 50 runs" (what a file kept)."""
        parts = [f"median {self.median_ms:.2f} ms"]
        if self.q1_ms is not None and self.q3_ms is not None:
            parts.append(f"IQR {self.q1_ms:.2f}–{self.q3_ms:.2f} ms")
        if self.p95_ms is not None:
            parts.append(f"p95 {self.p95_ms:.2f} ms")
        if self.runs is not None:
            parts.append(f"{self.runs} runs")
        flag = "  ⚠ wide spread: close other programs and run again" if self.noisy else ""
        return ", ".join(parts) + flag


KEEP = 20


@dataclass
class AddTimings(Command):
    """Append measured timings (replacing an older one of the same setup: runtime, device, α, ρ,
    batch and threads); undo restores the previous list."""

    timings: list[Timing]
    text: str = "keep timing"
    _old: Any = field(default=None, repr=False)

    def do(self, design: Design) -> None:
        old = design.extra.get("timings")
        self._old = copy.copy(old)
        new = {t.setup for t in self.timings}
        kept = [t for t in kept_timings(design) if t.setup not in new]
        extra = dict(design.extra)
        extra["timings"] = (kept + list(self.timings))[-KEEP:]
        design.set_extra(extra)

    def undo(self, design: Design) -> None:
        extra = dict(design.extra)
        if self._old is None:
            extra.pop("timings", None)
        else:
            extra["timings"] = self._old
        design.set_extra(extra)


RUNTIMES = ("torch", "onnxruntime")
DEVICES = ("cpu", "cuda")


def describe(runtime: str, device: str) -> str:
    """"torch CPU", "onnxruntime CUDA": how a latency's origin is named in labels."""
    return f"{runtime} {device.upper()}"


def kept_timings(design: Design) -> list[Timing]:
    """Every timing kept with the design, oldest first."""
    timings = design.extra.get("timings") if isinstance(design.extra, dict) else None
    return [t for t in timings if isinstance(t, Timing)] if isinstance(timings, list) else []


def _at_scaling(t: Timing, design: Design) -> bool:
    """Taken at the design's α and ρ (float noise aside): a timing at another width or
    resolution is another network."""
    return (math.isclose(t.alpha, design.alpha, abs_tol=1e-9)
            and math.isclose(t.rho, design.rho, abs_tol=1e-9))


LATENCY_BATCH = 1
"""Latency, as compared between designs, is the time for one image: a batch-8 run's median sits
beside no batch-1 one."""


def timings_at(design: Design, runtime: str | None = None, device: str | None = None,
               batch: int | None = None) -> list[Timing]:
    """The timings kept with the design at its α and ρ, oldest first, of ``runtime``,
    ``device`` and ``batch`` when given."""
    return [t for t in kept_timings(design)
            if _at_scaling(t, design)
            and (runtime is None or t.runtime == runtime)
            and (device is None or t.device == device)
            and (batch is None or t.batch == batch)]


def latest(design: Design, runtime: str | None = None, device: str | None = None,
           batch: int | None = None) -> Timing | None:
    """The newest timing at the design's α and ρ (of ``runtime``, ``device`` and ``batch`` if
    given)."""
    found = timings_at(design, runtime, device, batch)
    return found[-1] if found else None


def setups(design: Design, batch: int | None = LATENCY_BATCH) -> list[tuple[str, str]]:
    """The (runtime, device) pairs the design keeps a timing for at its α and ρ (and batch)."""
    return sorted({(t.runtime, t.device) for t in timings_at(design, batch=batch)})
