"""The one bound on every number a design file holds, and how a bad value is shown in a message:
shared by the file reader (``io``) and the records it reads (a kept ``Timing``)."""
from __future__ import annotations

import math
from typing import Any

MAX_NUMBER = 1e15
"""The largest magnitude of any number in a design file: far beyond every legal value (a block's
bounds, a position, a timing), small enough that every computation stays exact and finite."""
SHOWN_CHARS = 60


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters: error messages never echo a whole value."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def number_problem(v: Any, least: float = -MAX_NUMBER) -> str | None:
    """What is wrong with a number from a file (not finite, or outside ``least`` to
    ``MAX_NUMBER``), or None when nothing is."""
    try:
        ok = math.isfinite(v) and least <= v <= MAX_NUMBER
    except OverflowError:
        ok = False
    if ok:
        return None
    low = "0" if least == 0 else f"{least:g}"
    return f"must be a finite number from {low} to {MAX_NUMBER:g}, got {shown(v, 40)}"
