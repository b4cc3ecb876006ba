"""Receptive field and jump (effective stride) of every layer and block, in pixels of the input.

The recurrence of Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural
Networks" (Distill, 2019): a layer with kernel ``K``, dilation ``d`` and stride ``s`` turns a
tensor whose elements see ``r_in`` pixels, ``j_in`` pixels apart, into one with

    r_out = r_in + (K − 1)·d·j_in,      j_out = j_in·s.

Padding does not enter (it moves the field, not its size). A layer with several inputs (add,
concat) takes the largest field and jump among them; where one input is broadcast over a larger
map (a squeeze-and-excitation's scale vector), the jump is the map's. Global pooling is a kernel as large as its
input map, and it and every layer after it (a linear layer over a flattened map the same) see
the whole image: their field is marked ``whole``. Element-wise layers (BN, activations, dropout,
flatten) change nothing. A field can be larger than the image: it counts the padding it reaches.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from blocks import Block, Layer, Shape


class Field(NamedTuple):
    """What one tensor's elements see: ``size`` pixels across, ``jump`` pixels apart; ``grid``
    is the height of the map it lives on (kept through flatten, for a linear layer after it)."""

    size: int
    jump: int
    grid: int
    whole: bool = False

    def covers(self, image: Shape) -> bool:
        """Whether one element sees the whole input image (``image`` is C×H×W)."""
        return self.whole or self.size >= max(image[1:], default=0)


def input_field(image: Shape) -> Field:
    """The design's input: each pixel sees itself."""
    return Field(1, 1, image[1] if len(image) == 3 else 1)


def _merge(fields: list[Field]) -> Field:
    return Field(max(f.size for f in fields), max(f.jump for f in fields),
                 min(f.grid for f in fields), any(f.whole for f in fields))


def layer_field(layer: Layer, inputs: list[Field]) -> Field:
    """The field of ``layer``'s output from the fields of its inputs."""
    f = _merge(inputs)
    op = layer.op
    out = layer.output
    grid = out[1] if len(out) == 3 else f.grid
    if op in ("conv", "maxpool", "avgpool"):
        k, s, d = layer.attr("kernel", 1), layer.attr("stride", 1), layer.attr("dilation", 1)
        return Field(f.size + (k - 1) * d * f.jump, f.jump * s, grid, f.whole)
    if op == "gap" and out[1] > 1:
        h = layer.inputs[0][1]
        k, s = -(-h // out[1]), h // out[1]
        return Field(f.size + (k - 1) * f.jump, f.jump * s, grid, f.whole)
    if op in ("gap", "linear"):
        k = layer.inputs[0][1] if op == "gap" else f.grid
        return Field(f.size + (k - 1) * f.jump, f.jump * k, 1, True)
    same_grid = [i.jump for i in inputs if i.grid == grid]
    jump = max(same_grid) if len(inputs) > 1 and same_grid else f.jump
    return Field(f.size, jump, grid, f.whole)


def block_fields(layers: tuple[Layer, ...], inputs: list[Field]) -> list[tuple[str, Field]]:
    """(layer name, its output's field) for each of a block's layers, in order; ``inputs`` are
    the fields of the block's inputs ``in0``, ``in1``, ..."""
    known = {f"in{i}": f for i, f in enumerate(inputs)}
    out = []
    for la in layers:
        known[la.name] = layer_field(la, [known[s] for s in la.sources])
        out.append((la.name, known[la.name]))
    return out


def block_field(block: Block, shapes: tuple[Shape, ...], inputs: tuple[Field, ...]) -> Field:
    """The field of a block's output (its last layer), remembered by what the recurrence reads
    of the block's layers (``spatial_signature``): α changes a block's channels, not its
    kernels, strides or map sizes, so a tick to new widths finds the field already worked out
    (on a 1,000-block chain, whose fields all differ, that was 30 ms of a tick)."""
    return field_by_signature(spatial_signature(block, shapes), block.layers(shapes), inputs)


def field_by_signature(signature: Spatial | None, layers: tuple[Layer, ...],
                       inputs: tuple[Field, ...]) -> Field:
    """``block_field`` for a block whose layers are ``layers``, of this ``signature``."""
    if signature is None:
        return _merge(list(inputs))
    key = (signature, inputs)
    field = _by_spatial.get(key)
    if field is None:
        if len(_by_spatial) >= 65536:
            _by_spatial.clear()
        field = _by_spatial[key] = block_fields(layers, list(inputs))[-1][1]
    return field


class Spatial:
    """All that the recurrence reads of a block's layers (``_spatial`` of each, channel counts
    left out), hashed once: a dictionary key that costs no more than an int to look up."""

    __slots__ = ("_hash", "layers")

    def __init__(self, layers: tuple):
        self.layers, self._hash = layers, hash(layers)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return self is other or isinstance(other, Spatial) and self.layers == other.layers


@lru_cache(maxsize=65536)
def spatial_signature(block: Block, shapes: tuple[Shape, ...]) -> Spatial | None:
    """The signature of ``block``'s layers at these input shapes; None when it has none."""
    layers = block.layers(shapes)
    if not layers:
        return None
    signature = Spatial(tuple(map(_spatial, layers)))
    if len(_signatures) >= 65536:
        _signatures.clear()
    return _signatures.setdefault(signature, signature)   # one object: compared by identity


_signatures: dict[Spatial, Spatial] = {}


block_field.cache_clear = spatial_signature.cache_clear    # the memo by block, not by signature


def _spatial(la: Layer) -> tuple:
    """All ``layer_field`` reads of a layer (channel counts left out)."""
    out, a = la.output, dict(la.attrs)
    return (la.name, la.sources, la.op, len(out), out[1] if len(out) == 3 else None,
            la.inputs[0][1] if la.op == "gap" else None, a.get("kernel", 1), a.get("stride", 1),
            a.get("dilation", 1))


_by_spatial: dict = type("SpatialFields", (dict,), {"cache_clear": dict.clear})()
"""Fields by (layers' spatial signatures, input fields); ``cache_clear`` as the lru caches have,
so whoever clears every memo (the benchmarks, the scaling test) clears it too."""


def field_text(field: Field | None, image: Shape) -> str:
    """One line for tooltips and the inspector: how far one output element sees."""
    if field is None:
        return "receptive field: — (the block is not analysed)"
    size = "×".join(str(d) for d in image[1:])
    if field.covers(image):
        return (f"receptive field {field.size} px: sees the whole {size} input; outputs "
                f"{field.jump} px apart")
    return (f"receptive field {field.size}×{field.size} px of the {size} input; outputs "
            f"{field.jump} px apart")


def field_short(field: Field | None, image: Shape) -> str:
    """The same in a few words, for a narrow panel."""
    if field is None:
        return "receptive field —"
    whole = ", the whole input" if field.covers(image) else ""
    return f"receptive field {field.size}×{field.size} px{whole}, jump {field.jump}"
