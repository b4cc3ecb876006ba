"""How counts read for people (decimal units, as the papers), and the one-line statement of the
counting conventions that the command line and the app both show."""
from __future__ import annotations

CONVENTIONS = ("MACs: conv and linear multiply-accumulates, bias excluded (FLOPs = 2 × MACs). "
               "Other ops (BN, activation, pooling, add) are counted apart. Parameters include "
               "biases and BN scale/shift; BN running statistics are buffers.")


def human(n: float, unit: str = "") -> str:
    """3504872 -> '3.50M'; bytes with ``unit='B'`` -> '9.63 MB'."""
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.2f}{' ' if unit else ''}{suffix}{unit}"
    return f"{n:g}{' ' + unit if unit else ''}"
