"""Counting conventions in one place: ConvSketch's own (``CONVENTIONS``, the line the command line
and the app show, and ``CONVENTIONS_MARKDOWN``, the app's Help: the README's section), and other counters', so ConvSketch
can explain why their totals differ from its MACs.

Each tool's total is ConvSketch's MACs plus some element counts times a weight. The weights were
measured against fvcore 0.1.5, ptflops 0.7.5 (default backend) and thop 0.1.1 on MobileNetV2,
SqueezeNet 1.1 and ResNet-18, and for the newer activations on MobileNetV3 and EfficientNet-B0
(ptflops counts SiLU, no counter counts hard-swish, the gates or SE's multiply);
``python -m designer check`` shows any residual a newer version
leaves, instead of hiding it.
"""
from __future__ import annotations

from blocks import numel

from .analysis import Analysis

CONVENTIONS = ("MACs: conv and linear multiply-accumulates, bias excluded (FLOPs = 2 × MACs). "
               "Other ops (BN, activation, pooling, add) are counted apart. Parameters include "
               "biases and BN scale/shift; BN running statistics are buffers.")

# What Help > Counting conventions shows: word for word the README's "Counting conventions"
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
  forward-pass figure); the **peak live memory** over the execution order with tensor lifetimes,
  each tensor freed at its last read (the least a run in this order holds: running the exported
  module eagerly holds more, a median 1.31× on the 15 presets (1.02–1.59×), because a block's input stays
  referenced while the block runs; `bench` measures that and `stats --json` gives the
  eager-PyTorch peak); and the **block-boundary peak** of MobileNetV2 §5, where a
  block's inner tensors (an inverted residual's expanded tensor) are never held whole.
- **α** multiplies every channel count except the image's channels and the classifier's outputs
  (a linear layer's outputs, unless its wiring feeds them to another linear layer, in a
  design wired by hand as in the presets: VGG16's and AlexNet's 4096-wide hidden layers
  scale; through dropout, flatten, add and concat too, and the linear layers one add sums
  scale together, so a residual head stays valid at any α; and nodes marked `fixed`),
  rounded down (`floor`, MobileNetV1) or to a multiple of 8 (`divisible8`, MobileNetV2); at α = 1 widths are used as
  drawn. MobileNetV2's last 1280-channel conv is marked `min_base`: kept at 1280 for α < 1.
  **ρ** multiplies the input's height and width, rounded to the nearest pixel.
'''


CATEGORIES = {
    "bias": "bias additions (1 per output element of a conv or linear with a bias)",
    "bn": "BatchNorm elements",
    "relu": "ReLU elements",
    "relu6": "ReLU6 elements",
    "hardswish": "hard-swish elements",
    "hardsigmoid": "hard-sigmoid elements",
    "swish": "swish (SiLU) elements",
    "sigmoid": "sigmoid elements",
    "pool_in": "pooling input elements (max, average and global)",
    "gap_in": "global-average-pool input elements",
    "gap_out": "global-average-pool output elements",
}

TOOLS = {
    "fvcore": ({"bn": 2, "gap_in": 1},
               "counts BatchNorm (2 per element) and global average pooling (1 per input element)"),
    "ptflops": ({"bias": 1, "bn": 2, "relu": 2, "relu6": 1, "swish": 1, "pool_in": 2},
                ("counts biases, BatchNorm (2 per element), ReLU (2 per element), ReLU6 and SiLU "
                "(1) and pooling (2 per input element); ignores hard-swish and the gates")),
    "thop": ({"bn": 4, "gap_in": 1, "gap_out": 1},
             ("counts BatchNorm (4 per element) and global pooling (input + output elements); "
             "ignores activations, max pooling and biases")),
}


def element_counts(analysis: Analysis) -> dict[str, int]:
    """Element counts per category (batch 1) over every analysed layer."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for block in analysis.blocks:
        for la in block.layers:
            out = numel(la.output)
            if la.op in ("conv", "linear") and la.attr("bias"):
                counts["bias"] += out
            elif la.op == "bn":
                counts["bn"] += out
            elif la.op == "act":
                counts[la.attr("function")] += out
            elif la.op in ("maxpool", "avgpool", "gap"):
                counts["pool_in"] += numel(la.inputs[0])
                if la.op == "gap":
                    counts["gap_in"] += numel(la.inputs[0])
                    counts["gap_out"] += out
    return counts


def predicted_total(tool: str, analysis: Analysis) -> tuple[int, list[str]]:
    """The total ``tool`` should report for this design, and the terms that make it up."""
    weights, _ = TOOLS[tool]
    counts = element_counts(analysis)
    total, terms = analysis.macs, [f"{analysis.macs:,} MACs"]
    for cat, w in weights.items():
        if counts[cat]:
            total += w * counts[cat]
            terms.append(f"{w} × {counts[cat]:,} {CATEGORIES[cat]}")
    return total, terms
