"""Memory for building, checking and exporting a module, told as what it is: how many parameters
and how many bytes the design asks for, not an allocator's traceback.

Before anything is allocated the design's fp32 weights and its peak of live activations (what
any forward pass must hold at once, a lower bound) are compared with the memory the system says
is available; a design that cannot fit is refused at once rather than after gigabytes are
committed. What still runs out (torch, or onnxruntime's ``bad_alloc``) is caught the same way.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

from designer.core.analysis import Analysis
from designer.core.design import DTYPES

from .pytorch import ExportError

_OOM_WORDS = ("can't allocate memory", "not enough memory", "out of memory", "failed to allocate",
              "bad_alloc", "cannot allocate memory")


def is_out_of_memory(err: BaseException) -> bool:
    return isinstance(err, MemoryError) or any(w in str(err).lower() for w in _OOM_WORDS)


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:,.1f} GB" if n_bytes >= 1e8 else f"{n_bytes / 1e6:,.1f} MB"


def weight_bytes(analysis: Analysis) -> int:
    return 4 * analysis.params


def activation_bytes(analysis: Analysis, batch: int = 1) -> int:
    """The fp32 peak of live activations of one forward pass at ``batch``."""
    return analysis.peak_activation_bytes * 4 // DTYPES.get(analysis.dtype, 4) * batch


def available_memory() -> int | None:
    """Bytes the system can still give this process (Linux's MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def out_of_memory_message(analysis: Analysis, what: str, batch: int = 1) -> str:
    return (f"out of memory while {what}: {analysis.params:,} parameters need "
            f"{_gb(weight_bytes(analysis))} (fp32) and one forward pass at batch {batch} holds up "
            f"to {_gb(activation_bytes(analysis, batch))} of fp32 activations "
            f"(at {analysis.peak_at or 'the largest layer'}); this machine cannot allocate that. "
            "Lower α or the resolution, or shrink the largest layers.")


def _foreign_runtime_error(err: BaseException) -> bool:
    """onnxruntime's errors derive from Exception, not RuntimeError."""
    return type(err).__module__.startswith("onnxruntime")


@contextmanager
def memory_guard(analysis: Analysis, what: str, batch: int = 1):
    """Refuse at once a design whose weights and activations exceed the available memory; turn
    an allocation failure inside the block (torch's, onnxruntime's) into an ExportError naming
    the design's sizes; any other torch or onnxruntime failure becomes an ExportError too."""
    available = available_memory()
    if available is not None and weight_bytes(analysis) + activation_bytes(analysis, batch) \
            > available:
        raise ExportError(out_of_memory_message(analysis, what, batch)
                          .replace("this machine cannot allocate that",
                                   f"only {_gb(available)} is available, so nothing was tried"))
    try:
        yield
    except Exception as err:
        if not isinstance(err, (MemoryError, RuntimeError)) and not _foreign_runtime_error(err):
            raise
        if is_out_of_memory(err):
            raise ExportError(out_of_memory_message(analysis, what, batch)) from None
        raise ExportError(f"{'onnxruntime' if _foreign_runtime_error(err) else 'torch'} failed "
                          f"while {what}: {err}") from None
