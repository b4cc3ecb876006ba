"""How counts read for people (decimal units, as the papers), and the one-line statement of the
counting conventions that the command line and the app both show."""
from __future__ import annotations

CONVENTIONS = ("MACs: conv and linear multiply-accumulates, bias excluded (FLOPs = 2 × MACs). "
               "Other ops (BN, activation, pooling, add) are counted apart. Parameters include "
               "biases and BN scale/shift; BN running statistics are buffers.")

# What Help > Counting conventions shows, word for word the README's "Counting conventions"
# section (tests/ui/test_help.py holds them equal).
CONVENTIONS_MARKDOWN = '''\
- **MACs**: multiply-accumulates of convolution and linear layers, bias excluded — the MobileNet
  papers' "mult-adds" and torchvision's "GFLOPS" (which are GMACs). FLOPs, where shown, are
  2 × MACs.
- **Other ops** (BatchNorm 2 per element, activation 1, pooling K² per output, global pool 1 per
  input, add n−1 per element) are counted apart, never folded into MACs.
- **Parameters**: weights, biases and BatchNorm scale and shift (torchvision's `num_params`);
  BatchNorm running statistics are buffers, shown apart.
- **Activation memory** at the chosen dtype: each layer's output (in-place activations, flatten
  and dropout add nothing); the total of all activations including the input (cs231n's
  forward-pass figure); the **peak live memory** over the execution order with tensor lifetimes
  (what eager inference needs); and the **block-boundary peak** of MobileNetV2 §5, where a
  block's inner tensors (an inverted residual's expanded tensor) are never held whole.
- **α** multiplies every channel count except the image's channels and the classifier's outputs
  (linear layers, and nodes marked `fixed`), rounded down (`floor`, MobileNetV1) or to a multiple
  of 8 (`divisible8`, MobileNetV2); at α = 1 widths are used as drawn. MobileNetV2's last
  1280-channel conv is marked `min_base`: kept at 1280 for α < 1. **ρ** multiplies the input's
  height and width, rounded to the nearest pixel.
'''


def human(n: float, unit: str = "") -> str:
    """3504872 -> '3.50M'; bytes with ``unit='B'`` -> '9.63 MB'."""
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.2f}{' ' if unit else ''}{suffix}{unit}"
    return f"{n:g}{' ' + unit if unit else ''}"
