"""MobileNet's width multiplier α and resolution multiplier ρ, applied when analysing and exporting.

The stored design keeps its base widths; :func:`scaled_block` gives the block analysis and export
use. α multiplies every channel-count parameter (``width=True`` in the block's fields) except the
image's channels (the design input) and the classifier's outputs (linear ``out_features``, unless
the layer is ``hidden``: one feeding another linear layer, see :mod:`.hidden_linears`;
and any node marked ``fixed``). Rounding follows the design's rule:

* ``floor``: ``int(c·α)``, as MobileNetV1's reference implementation;
* ``divisible8``: torchvision's ``_make_divisible(c·α, 8)``: nearest multiple of 8, never below
  90 % of ``c·α`` (MobileNetV2).

At α = 1 widths are used as drawn, whatever the rule. ρ multiplies the input's height and width,
rounded to the nearest whole pixel: ρ = 160/224 gives exactly 160.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import blocks
from blocks import Block, BlockError
from blocks.shape import make_divisible

ALPHA_RANGE = (0.25, 1.5)
RHO_RANGE = (0.1, 2.0)


def scale_channels(channels: int, alpha: float, rounding: str, rule: str = "scale") -> int:
    """The channel count α gives ``channels`` under ``rounding`` and the node's width ``rule``."""
    if rule == "fixed":
        return channels
    if rule == "min_base":
        alpha = max(1.0, alpha)
    if alpha == 1.0:
        return channels
    if rounding == "divisible8":
        return make_divisible(channels * alpha, 8)
    return max(1, int(channels * alpha + 1e-9))


def fixed_width_reason(kind: str, params: dict) -> str | None:
    """Why α leaves this block's widths alone whatever its width rule says, or None when α
    scales it: a linear layer's outputs are the classifier's ("fixed (classifier)"); a block with
    no widths of its own (pooling, add, flatten) follows its input ("no widths of its own")."""
    try:
        block = make_block(kind, params)
    except (BlockError, KeyError):  # an invalid block is reported elsewhere, by field
        return None
    if block.scaled(lambda c: 2 * c) != block:
        return None
    return "fixed (classifier)" if kind == "linear" else "no widths of its own"


def scaled_resolution(size: int, rho: float) -> int:
    return max(1, int(size * rho + 0.5))


def scaled_input(input_shape: tuple[int, int, int], rho: float) -> tuple[int, int, int]:
    c, h, w = input_shape
    return (c, scaled_resolution(h, rho), scaled_resolution(w, rho))


def rho_for_resolution(resolution: int, base: int) -> float:
    """The ρ that turns a ``base`` input into ``resolution`` pixels (``--resolution``)."""
    return resolution / base


@lru_cache(maxsize=65536)
def _scaled(block: Block, alpha: float, rounding: str, rule: str) -> Block:
    return block.scaled(lambda c: scale_channels(c, alpha, rounding, rule))


def scaled_block(block: Block, alpha: float, rounding: str, rule: str = "scale") -> Block:
    if alpha == 1.0 and rule != "min_base" or rule == "fixed":
        return block
    return _scaled(block, alpha, rounding, rule)


@lru_cache(maxsize=65536)
def _cached_block(kind: str, params: tuple) -> Block:
    return blocks.get(kind).from_params({k: v for k, _, v in params})


def make_block(kind: str, params: dict) -> Block:
    """The block for a node's kind and stored parameters; raises BlockError naming the field."""
    try:
        key = tuple(sorted((k, type(v).__name__, v) for k, v in params.items()))
        hash(key)
    except (TypeError, AttributeError):
        return blocks.get(kind).from_params(params)
    return _cached_block(kind, key)


def node_block(kind: str, params: dict, alpha: float, rounding: str, rule: str = "scale") -> Block:
    """``scaled_block(make_block(kind, params), ...)``, cached on the node's stored values as they
    are (one look-up a node on an α tick, not three); raises BlockError naming the field. Equal
    blocks (fields of equal values and types) are one object while the cache holds them: the
    blocks of two α values that round alike are the same block, which an analysis can tell by
    identity (see designer.core.analysis._still)."""
    try:
        return _node_block(kind, tuple(params.items()), tuple(map(type, params.values())),
                           alpha, rounding, rule)
    except (TypeError, AttributeError):     # unhashable values: built uncached
        return scaled_block(make_block(kind, params), alpha, rounding, rule)


@lru_cache(maxsize=65536)
def _node_block(kind: str, items: tuple, types: tuple, alpha: float, rounding: str,
                rule: str) -> Block:
    block = scaled_block(make_block(kind, dict(items)), alpha, rounding, rule)
    key = (block, tuple(type(getattr(block, f.name)) for f in dataclasses.fields(block)))
    if len(_blocks) >= 65536:
        _blocks.clear()
    return _blocks.setdefault(key, block)


_blocks: dict[tuple, Block] = {}
"""Blocks made by ``_node_block``, by their fields' values and types."""
