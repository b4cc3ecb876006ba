"""The block registry and the base every block kind shares: typed, bounded parameters and cached layers.

A block kind is a frozen dataclass decorated with ``@register("key", colour=..., palette=...)``
in its own file under ``blocks/``, imported from ``blocks/__init__.py``. Its fields are its
parameters, declared with :func:`param` (bounds, choices, whether α scales it). It implements
``build(graph)`` to lay out its primitive layers; everything else (shape rule, costs, validation
of values read from a file) comes from here, once.

The same decorator declares how the views show the kind, so a new kind touches only its file:
``colour`` ("#rrggbb", required) fills its canvas box, chart bars and palette icon; ``palette``
lists its palette entries, each a :class:`PaletteEntry` (label, a short distinct icon text, and
parameters preset on the dropped block: "Grouped conv" is conv with ``{"groups": 4}``). The
palette shows entries in registration order (the import order in ``blocks/__init__.py``); a kind
with no entry is not offered there.

```python
@register("fire", colour="#d9822b", palette=[PaletteEntry("Fire (SqueezeNet)", "FI")])
@dataclass(frozen=True)
class Fire(Block): ...
```
"""
from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, ClassVar

from .errors import BlockError
from .layer import Layer, LayerGraph
from .shape import Shape, numel

BLOCKS: dict[str, type[Block]] = {}


@dataclass(frozen=True)
class PaletteEntry:
    """One palette entry: its label, the short text on its icon, and the parameters preset on
    the block it adds (over the kind's defaults)."""

    label: str
    icon: str
    params: dict = dataclasses.field(default_factory=dict)


def register(key: str, *, colour: str, palette: Iterable[PaletteEntry] = ()):
    """Class decorator: add a block kind under its stable short key (what files store), with the
    colour and palette entries the views show it with (see the module docstring)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"block kind {key!r}: colour must be '#rrggbb', got {colour!r}")
    entries = tuple(palette)

    def deco(cls):
        if key in BLOCKS:
            raise ValueError(f"block kind {key!r} is registered twice "
                             f"({BLOCKS[key].__name__} and {cls.__name__})")
        cls.key = key
        cls.colour = colour
        cls.palette = entries
        BLOCKS[key] = cls
        return cls
    return deco


def unregister(key: str) -> None:
    """Remove a kind (for a kind registered only for a while, as tests do)."""
    BLOCKS.pop(key, None)


def palette_entries() -> list[tuple[str, PaletteEntry]]:
    """Every (kind, entry) the palette offers, in registration order."""
    return [(key, entry) for key, cls in BLOCKS.items() for entry in cls.palette]


def get(kind: str) -> type[Block]:
    try:
        return BLOCKS[kind]
    except KeyError:
        raise BlockError(f"unknown block kind {kind!r}; known kinds: {', '.join(sorted(BLOCKS))}",
                         "kind") from None


def param(default: Any, *, lo: float | None = None, hi: float | None = None,
          choices: tuple | None = None, width: bool = False, help: str = ""):
    """A block parameter: ``width=True`` marks a channel count that α scales."""
    return dataclasses.field(default=default, metadata={
        "lo": lo, "hi": hi, "choices": choices, "width": width, "help": help})


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: type
    default: Any
    lo: float | None
    hi: float | None
    choices: tuple | None
    width: bool
    help: str


class Block:
    """Behaviour shared by all block kinds (each a frozen dataclass)."""

    key: ClassVar[str]
    colour: ClassVar[str]
    palette: ClassVar[tuple[PaletteEntry, ...]] = ()
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1

    def build(self, g: LayerGraph) -> None:
        raise NotImplementedError

    # The PyTorch code this kind emits: text only, torch is never imported here.
    torch_source: ClassVar[str] = ""
    """Source of the nn.Module class this kind defines ("" if it uses torch.nn's own)."""
    torch_needs: ClassVar[tuple[str, ...]] = ()
    """Kinds whose ``torch_source`` this kind's code uses (e.g. ``conv`` for ConvBNAct)."""

    def torch_uses(self) -> tuple[str, ...]:
        """The kinds whose ``torch_source`` this block's code uses: ``torch_needs``, unless a
        block's parameters decide (an inverted residual needs SqueezeExcitation only with SE)."""
        return self.torch_needs

    def torch_init(self, inputs: tuple[Shape, ...]) -> str:
        """The constructor expression of this block's module for these (scaled) input shapes."""
        raise NotImplementedError

    @classmethod
    def specs(cls) -> tuple[ParamSpec, ...]:
        return tuple(_specs_by_name(cls).values())

    @classmethod
    def from_params(cls, params: dict) -> Block:
        """Build from untrusted values (a file, the inspector), naming the field at fault."""
        if not isinstance(params, dict):
            raise BlockError(f"params must be an object, got {type(params).__name__}", "params")
        specs = _specs_by_name(cls)
        for name in params:
            if name not in specs:
                raise BlockError(f"unknown parameter {name!r} for {cls.key} "
                                 f"(has: {', '.join(specs)})", str(name))
        values = {}
        for s in specs.values():
            v = params.get(s.name, s.default)
            values[s.name] = check_value(s, v)
        return cls(**values)

    def to_params(self) -> dict:
        return dataclasses.asdict(self)

    def scaled(self, scale: Callable[[int], int]) -> Block:
        """This block with every channel-count parameter passed through ``scale`` (a width left
        at 0, meaning 'derived from the input', stays 0)."""
        changes = {name: scale(v) for name in _width_fields(type(self)) if (v := getattr(self, name))}
        return dataclasses.replace(self, **changes) if changes else self

    def expand(self, inputs: list[Shape] | tuple[Shape, ...]) -> Expansion:
        """The primitive layers for these input shapes with their summed costs (cached);
        raises BlockError if the inputs or parameters are illegal."""
        return _expand(self, tuple(tuple(s) for s in inputs))

    def layers(self, inputs: list[Shape] | tuple[Shape, ...]) -> tuple[Layer, ...]:
        return self.expand(inputs).layers

    def output_shape(self, inputs: list[Shape] | tuple[Shape, ...]) -> Shape:
        return self.expand(inputs).layers[-1].output


@dataclass(frozen=True)
class Expansion:
    """A block's layers for given inputs, and their sums (``materialized``: elements of the
    outputs that are new tensors, i.e. not in place)."""

    layers: tuple[Layer, ...]
    params: int
    macs: int
    other_ops: int
    buffers: int
    materialized: int


@cache
def _specs_by_name(cls: type) -> dict[str, ParamSpec]:
    """A kind's parameter specs, read once from its dataclass fields (callers must not mutate)."""
    hints = {"int": int, "float": float, "bool": bool, "str": str}
    out = {}
    for f in dataclasses.fields(cls):
        m = f.metadata
        out[f.name] = ParamSpec(f.name, hints.get(str(f.type), str), f.default, m.get("lo"),
                                m.get("hi"), m.get("choices"), m.get("width", False),
                                m.get("help", ""))
    return out


@cache
def _width_fields(cls: type) -> tuple[str, ...]:
    return tuple(s.name for s in _specs_by_name(cls).values() if s.width)


def check_value(s: ParamSpec, v: Any) -> Any:
    """``v`` if it is a legal value for ``s``, else a BlockError naming the field."""
    if s.type is bool:
        if not isinstance(v, bool):
            raise BlockError(f"{s.name} must be true or false, got {v!r}", s.name)
        return v
    if s.type is int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise BlockError(f"{s.name} must be a whole number, got {v!r}", s.name)
    elif s.type is float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
            raise BlockError(f"{s.name} must be a finite number, got {_short(v)}", s.name)
        v = float(v)
    elif s.type is str and not isinstance(v, str):
        raise BlockError(f"{s.name} must be text, got {v!r}", s.name)
    if s.choices is not None and v not in s.choices:
        raise BlockError(f"{s.name} must be one of {', '.join(map(str, s.choices))}, got {v!r}",
                         s.name)
    if s.lo is not None and v < s.lo:
        raise BlockError(f"{s.name} must be at least {s.lo:g}, got {_short(v)}", s.name)
    if s.hi is not None and v > s.hi:
        raise BlockError(f"{s.name} must be at most {s.hi:g}, got {_short(v)}", s.name)
    return v


def _finite(v: float) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def _short(v: Any) -> str:
    """A value for a message, cut: a 400-digit number is not echoed whole."""
    text = repr(v)
    return text if len(text) <= 40 else text[:39] + "…"


@lru_cache(maxsize=65536)
def _expand(block: Block, inputs: tuple[Shape, ...]) -> Expansion:
    n = len(inputs)
    if n < block.min_inputs or (block.max_inputs is not None and n > block.max_inputs):
        want = (str(block.min_inputs) if block.max_inputs == block.min_inputs
                else f"at least {block.min_inputs}")
        raise BlockError(f"{block.key} takes {want} input{'s' if want != '1' else ''}, "
                         f"{n} {'is' if n == 1 else 'are'} wired")
    for s in inputs:
        if any(d < 1 for d in s):
            raise BlockError(f"input shape {s} has an empty dimension")
    g = LayerGraph(list(inputs))
    block.build(g)
    layers = tuple(g.layers)
    return Expansion(layers, sum(la.params for la in layers), sum(la.macs for la in layers),
                     sum(la.other_ops for la in layers), sum(la.buffers for la in layers),
                     sum(numel(la.output) for la in layers if not la.inplace))
