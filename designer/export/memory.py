"""An out-of-memory while building or checking a module, told as what it is: how many parameters
and how many bytes the design asks for, not torch's allocator traceback."""
from __future__ import annotations

from contextlib import contextmanager

from designer.core.analysis import Analysis
from designer.core.design import DTYPES

from .pytorch import ExportError

_OOM_WORDS = ("can't allocate memory", "not enough memory", "out of memory", "failed to allocate")


def is_out_of_memory(err: BaseException) -> bool:
    return isinstance(err, MemoryError) or (
        isinstance(err, RuntimeError) and any(w in str(err).lower() for w in _OOM_WORDS))


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:,.1f} GB" if n_bytes >= 1e8 else f"{n_bytes / 1e6:,.1f} MB"


def out_of_memory_message(analysis: Analysis, what: str) -> str:
    weights = 4 * analysis.params
    activations = analysis.peak_activation_bytes * 4 / DTYPES.get(analysis.dtype, 4)
    return (f"out of memory while {what}: {analysis.params:,} parameters need {_gb(weights)} "
            f"(fp32) and one forward pass at batch 1 holds up to "
            f"{_gb(activations)} of fp32 activations "
            f"(at {analysis.peak_at or 'the largest layer'}); this machine cannot allocate that. "
            "Lower α or the resolution, or shrink the largest layers.")


@contextmanager
def memory_guard(analysis: Analysis, what: str):
    """Turn torch's allocation failure (RuntimeError/MemoryError) inside the block into an
    ExportError naming the design's sizes; any other RuntimeError becomes an ExportError too."""
    try:
        yield
    except (MemoryError, RuntimeError) as err:
        if is_out_of_memory(err):
            raise ExportError(out_of_memory_message(analysis, what)) from None
        raise ExportError(f"torch failed while {what}: {err}") from None
