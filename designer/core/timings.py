"""Timings kept with a design, in ``design.extra["timings"]``: a list of dicts, newest last, each
with at least ``runtime`` ("torch" | "onnxruntime"), ``device``, ``batch``, ``threads``,
``alpha``, ``rho``, ``median_ms``, ``q1_ms``, ``q3_ms``, ``iqr_ms``, ``p95_ms``, ``runs``,
``noisy``, ``environment`` (versions, threads, CPU), and for per-block runs ``blocks``: a list of
``{name, kind, macs, median_ms, iqr_ms, runs}``. Adding one is an undoable command."""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from .commands import Command
from .design import Design

KEEP = 20


@dataclass
class AddTimings(Command):
    """Append measured timings (per device and runtime, replacing an older one of the same
    runtime, device, α, ρ, batch and threads); undo restores the previous list."""

    timings: list[dict]
    text: str = "keep timing"
    _old: Any = field(default=None, repr=False)

    def do(self, design: Design) -> None:
        old = design.extra.get("timings")
        self._old = copy.deepcopy(old)
        kept = [t for t in (old if isinstance(old, list) else [])
                if not any(_same_setup(t, new) for new in self.timings)]
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


def _same_setup(a: dict, b: dict) -> bool:
    keys = ("runtime", "device", "alpha", "rho", "batch", "threads")
    return isinstance(a, dict) and all(a.get(k) == b.get(k) for k in keys)


RUNTIMES = ("torch", "onnxruntime")
DEVICES = ("cpu", "cuda")


def describe(runtime: str, device: str) -> str:
    """"torch CPU", "onnxruntime CUDA": how a latency's origin is named in labels."""
    return f"{runtime} {device.upper()}"


def _at_scaling(t: dict, design: Design) -> bool:
    """Taken at the design's α and ρ (float noise aside): a timing at another width or
    resolution is another network."""
    try:
        return (math.isclose(float(t.get("alpha")), design.alpha, abs_tol=1e-9)
                and math.isclose(float(t.get("rho")), design.rho, abs_tol=1e-9))
    except (TypeError, ValueError):
        return False


LATENCY_BATCH = 1
"""Latency, as compared between designs, is the time for one image: a batch-8 run's median sits
beside no batch-1 one."""


def timings_at(design: Design, runtime: str | None = None, device: str | None = None,
               batch: int | None = None) -> list[dict]:
    """The timings kept with the design at its α and ρ, oldest first, of ``runtime``,
    ``device`` and ``batch`` when given."""
    timings = design.extra.get("timings") if isinstance(design.extra, dict) else None
    return [t for t in (timings if isinstance(timings, list) else [])
            if isinstance(t, dict) and _at_scaling(t, design)
            and (runtime is None or t.get("runtime") == runtime)
            and (device is None or t.get("device", "cpu") == device)
            and (batch is None or t.get("batch", 1) == batch)]


def latest(design: Design, runtime: str | None = None, device: str | None = None,
           batch: int | None = None) -> dict | None:
    """The newest timing at the design's α and ρ (of ``runtime``, ``device`` and ``batch`` if
    given)."""
    found = timings_at(design, runtime, device, batch)
    return found[-1] if found else None


def setups(design: Design, batch: int | None = LATENCY_BATCH) -> list[tuple[str, str]]:
    """The (runtime, device) pairs the design keeps a timing for at its α and ρ (and batch)."""
    return sorted({(t.get("runtime"), t.get("device", "cpu"))
                   for t in timings_at(design, batch=batch)
                   if isinstance(t.get("runtime"), str)})
