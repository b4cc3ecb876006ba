"""How counts read for people (decimal units, as the papers), and the one-line statement of the
counting conventions that the command line and the app both show."""
from __future__ import annotations

CONVENTIONS = ("MACs: conv and linear multiply-accumulates, bias excluded (FLOPs = 2 × MACs). "
               "Other ops (BN, activation, pooling, add) are counted apart. Parameters include "
               "biases and BN scale/shift; BN running statistics are buffers.")

CONVENTIONS_IN_FULL = (
    CONVENTIONS + "\n\n"
    "Activation memory, at the chosen dtype: each layer's output (in-place activations, flatten "
    "and dropout add nothing); the total of all activations including the input; the peak live "
    "memory over the execution order with tensor lifetimes (each tensor freed at its last read: "
    "the least a run in this order holds; eager PyTorch holds more, a median 1.4×, since a "
    "block's input stays referenced while the block runs); and the "
    "block-boundary peak of MobileNetV2 §5, where a block's inner tensors are never held whole."
    "\n\n"
    "α multiplies every channel count except the image's channels and the classifier's outputs, "
    "rounded down (floor, MobileNetV1) or to a multiple of 8 (divisible8, MobileNetV2); blocks "
    "marked fixed keep their width, min_base never goes below it. ρ multiplies the input's height "
    "and width, rounded to the nearest pixel. Files keep the widths at α = 1.\n\n"
    "Latency is the batch-1 median of one runtime on one device, measured on this machine.")


def human(n: float, unit: str = "") -> str:
    """3504872 -> '3.50M'; bytes with ``unit='B'`` -> '9.63 MB'."""
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.2f}{' ' if unit else ''}{suffix}{unit}"
    return f"{n:g}{' ' + unit if unit else ''}"
