"""ConvSketch's block library: Qt-free and torch-free. Importing it registers every block kind,
in the order the palette shows them (a new kind's file is imported here, where it should appear)."""
# isort: off
from . import conv, dwconv, pwconv, sepconv, fire, inverted_residual, se, shuffle
from . import shufflenet_unit, basic_block, bottleneck, pool, global_pool
from . import flatten, linear, dropout, add, concat
# isort: on
from .errors import BlockError
from .layer import Layer, LayerGraph
from .registry import (
                       BLOCKS,
                       Block,
                       PaletteEntry,
                       ParamSpec,
                       get,
                       palette_entries,
                       register,
                       unregister,
)
from .shape import Shape, fmt, numel

del add, basic_block, bottleneck, concat, conv, dropout, dwconv, fire, flatten, global_pool
del inverted_residual, linear, pool, pwconv, se, sepconv, shuffle, shufflenet_unit

__all__ = ["BLOCKS", "Block", "BlockError", "Layer", "LayerGraph", "PaletteEntry", "ParamSpec",
           "Shape", "fmt", "get", "numel", "palette_entries", "register", "unregister"]
