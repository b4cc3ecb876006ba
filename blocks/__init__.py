"""ConvSketch's block library: Qt-free and torch-free. Importing it registers every block kind."""
from . import (add, basic_block, bottleneck, concat, conv, dropout, dwconv, fire, flatten,
               global_pool, inverted_residual, linear, pool, pwconv, se, sepconv, shuffle,
               shufflenet_unit)
from .errors import BlockError
from .layer import Layer, LayerGraph
from .registry import BLOCKS, Block, ParamSpec, get, register
from .shape import Shape, fmt, numel

del add, basic_block, bottleneck, concat, conv, dropout, dwconv, fire, flatten, global_pool
del inverted_residual, linear, pool, pwconv, se, sepconv, shuffle, shufflenet_unit

__all__ = ["BLOCKS", "Block", "BlockError", "Layer", "LayerGraph", "ParamSpec", "Shape", "fmt",
           "get", "numel", "register"]
