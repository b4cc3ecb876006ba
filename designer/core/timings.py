"""Timings kept with a design, in ``design.extra["timings"]``: a list of dicts, newest last, each
with at least ``runtime`` ("torch" | "onnxruntime"), ``device``, ``batch``, ``threads``,
``alpha``, ``rho``, ``median_ms``, ``q1_ms``, ``q3_ms``, ``iqr_ms``, ``p95_ms``, ``runs``,
``noisy``, ``environment`` (versions, threads, CPU), and for per-block runs ``blocks``: a list of
``{name, kind, macs, median_ms, iqr_ms, runs}``. Adding one is an undoable command."""
from __future__ import annotations

import copy
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


def latest(design: Design, runtime: str | None = None) -> dict | None:
    """The newest timing at the design's α and ρ (of ``runtime`` if given)."""
    timings = design.extra.get("timings") if isinstance(design.extra, dict) else None
    for t in reversed(timings if isinstance(timings, list) else []):
        if (isinstance(t, dict) and t.get("alpha") == design.alpha and t.get("rho") == design.rho
                and (runtime is None or t.get("runtime") == runtime)):
            return t
    return None
