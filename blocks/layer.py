"""Primitive layers and their costs: the only place where parameters, MACs and other ops are counted.

Counting conventions (ConvSketch's, shown in the app and the README):

* **MACs** are the multiply-accumulates of convolution and linear layers, bias excluded: the
  convention of the MobileNet papers and of torchvision's published "GFLOPS" (which are GMACs).
  A convolution costs ``K_h·K_w·(C_in/g)·C_out·H_out·W_out``; a linear layer ``F_in·F_out``.
* **Other ops** are counted apart and never folded into MACs: BatchNorm 2 per output element
  (scale and shift), an activation 1 per element, max/avg pooling ``K²`` per output element,
  global average pooling 1 per input element, add ``(n-1)`` per output element, a channel-wise
  multiply (squeeze-and-excitation's scale) 1 per element; concat, channel split, channel shuffle,
  flatten and dropout (identity at inference) cost no arithmetic.
* **Parameters** are weights, biases and BatchNorm's scale and shift (torchvision's
  ``num_params``); BatchNorm's running mean and variance are *buffers*, counted apart.
* **Activations**: every layer whose output is a new tensor at inference (convolution, BatchNorm,
  pooling, linear, add, multiply, concat, channel shuffle) materialises its output; in-place
  activations, flatten and channel split (views) and dropout (identity in eval mode) alias their
  input and add no memory.
"""
from __future__ import annotations

from typing import NamedTuple

from .errors import BlockError
from .shape import Shape, conv_out, fmt, is_map, numel, pool_out

ACTIVATIONS = ("relu", "relu6", "hardswish", "hardsigmoid", "swish", "none")
"""What every block's ``activation`` field offers: swish is SiLU (x·sigmoid(x), EfficientNet),
hard-swish and hard-sigmoid are MobileNetV3's piecewise-linear stand-ins for swish and sigmoid."""
GATES = ("sigmoid", "hardsigmoid")
"""The squeeze-and-excitation gates: sigmoid (SENet, EfficientNet), hard-sigmoid (MobileNetV3)."""


class Layer(NamedTuple):
    """One primitive layer inside a block, with its shapes and costs.

    ``sources`` name what it reads: ``"in0"``, ``"in1"``... are the block's inputs, any other
    string is the ``name`` of an earlier layer of the same block. Immutable (layers are cached
    and shared); a named tuple because a large design builds thousands per analysis and a frozen
    dataclass costs seven times as much to make.
    """

    op: str
    name: str
    sources: tuple[str, ...]
    inputs: tuple[Shape, ...]
    output: Shape
    params: int = 0
    macs: int = 0
    other_ops: int = 0
    buffers: int = 0
    inplace: bool = False
    attrs: tuple[tuple[str, object], ...] = ()

    def attr(self, key: str, default=None):
        return dict(self.attrs).get(key, default)

    def formulas(self) -> tuple[str, str]:
        """The parameter and MAC formulas of this layer with its numbers filled in."""
        return _formulas(self)


def _g(n: int) -> str:
    return f"{n:,}"


def _formulas(layer: Layer) -> tuple[str, str]:
    a = dict(layer.attrs)
    if layer.op == "conv":
        k, cin, cout, g = a["kernel"], a["in_channels"], a["out_channels"], a["groups"]
        h, w = layer.output[1], layer.output[2]
        if g == 1:
            p_sym, p_num = "K²·C·M", f"{k}²·{cin}·{cout}"
            m = f"K²·C·M·H·W = {k}²·{cin}·{cout}·{h}·{w}"
        elif g == cin == cout:
            p_sym, p_num = "K²·C", f"{k}²·{cin}"
            m = f"K²·C·H·W = {k}²·{cin}·{h}·{w}"
        else:
            p_sym, p_num = "K²·C·M/g", f"{k}²·{cin}·{cout}/{g}"
            m = f"K²·C·M·H·W/g = {k}²·{cin}·{cout}·{h}·{w}/{g}"
        if a["bias"]:
            p_sym, p_num = p_sym + " + M", p_num + f" + {cout}"
        return f"{p_sym} = {p_num} = {_g(layer.params)}", f"{m} = {_g(layer.macs)}"
    if layer.op == "linear":
        fin, fout = a["in_features"], a["out_features"]
        p = f"F·M + M = {fin}·{fout} + {fout}" if a["bias"] else f"F·M = {fin}·{fout}"
        return f"{p} = {_g(layer.params)}", f"F·M = {fin}·{fout} = {_g(layer.macs)}"
    if layer.op == "bn":
        c = layer.output[0]
        return (f"2·C (scale, shift) = 2·{c} = {_g(layer.params)}; running stats 2·C = {_g(layer.buffers)} buffers",
                f"no MACs; 2 ops per element = {_g(layer.other_ops)} other ops")
    return "no parameters", f"no MACs; {_g(layer.other_ops)} other ops"


class LayerGraph:
    """Builds a block's primitive layers, tracking each tensor's shape by name."""

    def __init__(self, inputs: list[Shape]):
        self.layers: list[Layer] = []
        self.shapes: dict[str, Shape] = {f"in{i}": s for i, s in enumerate(inputs)}

    def _add(self, layer: Layer) -> str:
        if layer.name in self.shapes:
            raise ValueError(f"duplicate layer name {layer.name!r}")
        self.layers.append(layer)
        self.shapes[layer.name] = layer.output
        return layer.name

    def shape(self, ref: str) -> Shape:
        return self.shapes[ref]

    def conv(self, name: str, src: str, *, out_channels: int, kernel: int, stride: int = 1,
             padding: int = 0, groups: int = 1, bias: bool = False,
             field_groups: str | None = "groups", dilation: int = 1) -> str:
        x = self.shapes[src]
        if not is_map(x):
            raise BlockError(f"needs a C×H×W feature map, got {fmt(x)}")
        c, h, w = x
        if groups < 1 or c % groups or out_channels % groups:
            raise BlockError(f"groups={groups} must divide input channels {c} and output channels "
                             f"{out_channels}", field_groups)
        ho = conv_out(h, kernel, stride, padding, dilation)
        wo = conv_out(w, kernel, stride, padding, dilation)
        if ho < 1 or wo < 1:
            dilated = f" dilated {dilation}×" if dilation > 1 else ""
            raise BlockError(f"a {kernel}×{kernel} kernel{dilated} with stride {stride} and padding "
                             f"{padding} leaves no output from a {h}×{w} input")
        params = kernel * kernel * (c // groups) * out_channels + (out_channels if bias else 0)
        macs = kernel * kernel * (c // groups) * out_channels * ho * wo
        attrs = (("kernel", kernel), ("stride", stride), ("padding", padding), ("groups", groups),
                 ("bias", bias), ("in_channels", c), ("out_channels", out_channels),
                 ("dilation", dilation))
        return self._add(Layer("conv", name, (src,), (x,), (out_channels, ho, wo), params, macs,
                               attrs=attrs))

    def bn(self, name: str, src: str) -> str:
        x = self.shapes[src]
        return self._add(Layer("bn", name, (src,), (x,), x, params=2 * x[0],
                               other_ops=2 * numel(x), buffers=2 * x[0]))

    def act(self, name: str, src: str, kind: str) -> str:
        if kind == "none":
            return src
        x = self.shapes[src]
        return self._add(Layer("act", name, (src,), (x,), x, other_ops=numel(x), inplace=True,
                               attrs=(("function", kind),)))

    def conv_bn_act(self, name: str, src: str, *, out_channels: int, kernel: int,
                    stride: int = 1, padding: int | None = None, groups: int = 1,
                    bias: bool = False, bn: bool = True, activation: str = "relu",
                    dilation: int = 1, **fields) -> str:
        """Convolution, optional BatchNorm, optional activation: the unit every conv block uses.
        Padding ``None`` or -1 is 'same' padding, ``(K-1)/2·dilation`` as torchvision's. All but
        the name and the source by keyword, so a block's ``build`` reads as torchvision's
        (``# pw``: kernel=1; ``# dw``: groups=channels; ``# pw-linear``: activation="none")."""
        pad = (kernel - 1) // 2 * dilation if padding is None or padding < 0 else padding
        ref = self.conv(f"{name}.conv" if name else "conv", src, out_channels=out_channels,
                        kernel=kernel, stride=stride, padding=pad, groups=groups, bias=bias,
                        dilation=dilation, **fields)
        if bn:
            ref = self.bn(f"{name}.bn" if name else "bn", ref)
        return self.act(f"{name}.act" if name else "act", ref, activation)

    def linear(self, name: str, src: str, out_features: int, bias: bool = True) -> str:
        x = self.shapes[src]
        fin = numel(x)
        return self._add(Layer("linear", name, (src,), (x,), (out_features,),
                               fin * out_features + (out_features if bias else 0), fin * out_features,
                               attrs=(("in_features", fin), ("out_features", out_features),
                                      ("bias", bias))))

    def pool(self, name: str, src: str, op: str, kernel: int, stride: int, padding: int,
             ceil_mode: bool) -> str:
        x = self.shapes[src]
        if not is_map(x):
            raise BlockError(f"needs a C×H×W feature map, got {fmt(x)}")
        if padding * 2 > kernel:
            raise BlockError(f"padding {padding} must be at most half the kernel {kernel}", "padding")
        c, h, w = x
        ho, wo = (pool_out(h, kernel, stride, padding, ceil_mode),
                  pool_out(w, kernel, stride, padding, ceil_mode))
        if ho < 1 or wo < 1:
            raise BlockError(f"a {kernel}×{kernel} window with stride {stride} leaves no output from "
                             f"a {h}×{w} input")
        out = (c, ho, wo)
        return self._add(Layer(op, name, (src,), (x,), out, other_ops=kernel * kernel * numel(out),
                               attrs=(("kernel", kernel), ("stride", stride), ("padding", padding),
                                      ("ceil_mode", ceil_mode))))

    def adaptive_avg(self, name: str, src: str, size: int) -> str:
        x = self.shapes[src]
        if not is_map(x):
            raise BlockError(f"needs a C×H×W feature map, got {fmt(x)}")
        return self._add(Layer("gap", name, (src,), (x,), (x[0], size, size), other_ops=numel(x),
                               attrs=(("output_size", size),)))

    def flatten(self, name: str, src: str) -> str:
        x = self.shapes[src]
        return self._add(Layer("flatten", name, (src,), (x,), (numel(x),), inplace=True))

    def dropout(self, name: str, src: str, p: float) -> str:
        x = self.shapes[src]
        return self._add(Layer("dropout", name, (src,), (x,), x, inplace=True, attrs=(("p", p),)))

    def add(self, name: str, srcs: list[str]) -> str:
        shapes = [self.shapes[s] for s in srcs]
        if len(set(shapes)) != 1:
            raise BlockError("add needs inputs of one shape, got " + ", ".join(fmt(s) for s in shapes))
        out = shapes[0]
        return self._add(Layer("add", name, tuple(srcs), tuple(shapes), out,
                               other_ops=(len(srcs) - 1) * numel(out)))

    def scale(self, name: str, src: str, scale_src: str) -> str:
        """``src`` multiplied channel by channel by a C×1×1 ``scale_src`` (squeeze-and-excitation's
        gate): one multiply per element, counted under other ops, and a new tensor."""
        x, s = self.shapes[src], self.shapes[scale_src]
        if not is_map(x) or s != (x[0], 1, 1):
            raise BlockError(f"a channel scale needs a C×H×W map and a C×1×1 scale, got {fmt(x)} "
                             f"and {fmt(s)}")
        return self._add(Layer("mul", name, (src, scale_src), (x, s), x, other_ops=numel(x)))

    def split(self, name: str, src: str, start: int, stop: int) -> str:
        """Channels ``start`` to ``stop`` of a map, as ``torch.chunk`` gives them: a view, so no
        cost and no memory of its own."""
        x = self.shapes[src]
        return self._add(Layer("slice", name, (src,), (x,), (stop - start, *x[1:]), inplace=True,
                               attrs=(("start", start), ("stop", stop))))

    def shuffle(self, name: str, src: str, groups: int, field: str | None = "groups") -> str:
        """ShuffleNet's channel shuffle in ``groups`` groups: no arithmetic (no MACs, no other
        ops), but every element is read and written once into a new tensor (the transpose is
        made contiguous), so it costs memory traffic."""
        x = self.shapes[src]
        if not is_map(x):
            raise BlockError(f"needs a C×H×W feature map, got {fmt(x)}")
        if groups < 1 or x[0] % groups:
            raise BlockError(f"groups={groups} must divide the {x[0]} input channels", field)
        return self._add(Layer("shuffle", name, (src,), (x,), x, attrs=(("groups", groups),)))

    def concat(self, name: str, srcs: list[str]) -> str:
        shapes = [self.shapes[s] for s in srcs]
        if any(not is_map(s) for s in shapes) or len({s[1:] for s in shapes}) != 1:
            raise BlockError("concat needs feature maps of one height and width, got "
                             + ", ".join(fmt(s) for s in shapes))
        out = (sum(s[0] for s in shapes), *shapes[0][1:])
        return self._add(Layer("concat", name, tuple(srcs), tuple(shapes), out))


TORCH_ACTIVATIONS = {"relu": "nn.ReLU", "relu6": "nn.ReLU6", "hardswish": "nn.Hardswish",
                     "hardsigmoid": "nn.Hardsigmoid", "swish": "nn.SiLU", "sigmoid": "nn.Sigmoid",
                     "none": "None"}


def call(name: str, *args: object, **kwargs: object) -> str:
    """``name(a, b, k=v)`` with keyword arguments left out where they equal their default,
    given as ``kwargs[k] = (value, default)``: the shape of hand-written constructor calls."""
    parts = [str(a) for a in args]
    parts += [f"{k}={v}" for k, (v, default) in kwargs.items() if v != default]
    return f"{name}({', '.join(parts)})"
