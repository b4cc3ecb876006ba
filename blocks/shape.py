"""Tensor shapes without the batch dimension, and the spatial arithmetic every block shares.

A feature map is ``(channels, height, width)``; a flat vector (after flatten) is ``(features,)``.
Shapes are plain tuples so they hash, compare and serialise without ceremony.
"""
from __future__ import annotations

import math

Shape = tuple[int, ...]


def is_map(shape: Shape) -> bool:
    return len(shape) == 3


def numel(shape: Shape) -> int:
    return math.prod(shape)


def fmt(shape: Shape) -> str:
    """``'32×112×112'``: how shapes are shown everywhere."""
    return "×".join(str(d) for d in shape)


def conv_out(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """PyTorch's output size of a convolution along one axis."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def pool_out(size: int, kernel: int, stride: int, padding: int, ceil_mode: bool) -> int:
    """PyTorch's output size of max/avg pooling along one axis, ceil mode included.

    In ceil mode the last window must start inside the input or its left padding, as in
    ``torch.nn.functional.max_pool2d``.
    """
    span = size + 2 * padding - kernel
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= size + padding:
            out -= 1
        return out
    return span // stride + 1


def make_divisible(value: float, divisor: int = 8) -> int:
    """torchvision's ``_make_divisible``: round to a multiple of ``divisor``, at most 10 % down
    (how MobileNetV2/V3 and EfficientNet round every width under their width multiplier)."""
    new = max(divisor, int(value + divisor / 2) // divisor * divisor)
    if new < 0.9 * value:
        new += divisor
    return new
