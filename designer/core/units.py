"""How counts read for people: decimal units, as the papers write them. (What the counts count is
stated in :mod:`designer.core.conventions`.)"""
from __future__ import annotations


def plural(count: int | None, noun: str) -> str:
    """'1 thread', '2 threads'; an unknown count reads '? threads'."""
    if count is None:
        return f"? {noun}s"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def human(n: float, unit: str = "") -> str:
    """3504872 -> '3.50M'; bytes with ``unit='B'`` -> '9.63 MB'."""
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.2f}{' ' if unit else ''}{suffix}{unit}"
    return f"{n:g}{' ' + unit if unit else ''}"
