"""First pass of recognition: check every op, then fuse ops into units (a convolution with its
BatchNorm and activation, a linear layer with its bias add and activation, ...).

Every op ConvSketch cannot represent exactly is collected, with the nodes where it occurs, and
refused in one message, so a user sees the whole list at once and the design is never silently
wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import blocks

from .graph import ImportRefused, Op, OpGraph

ACTIVATION_OPS = ("Relu", "Clip", "HardSwish", "HardSigmoid", "Sigmoid", "Silu")
SUPPORTED = {"Conv", "BatchNormalization", "Add", "Mul", "Concat", "MaxPool", "AveragePool",
             "GlobalAveragePool", "AdaptiveAvgPool", "ReduceMean", "Flatten", "Reshape", "Gemm",
             "MatMul", "Dropout", "Identity", "Transpose", "Slice", *ACTIVATION_OPS}
POOLS = {"MaxPool": "maxpool", "AveragePool": "avgpool"}
NAMED = {"Relu": "relu", "HardSwish": "hardswish", "Silu": "swish", "Sigmoid": "sigmoid"}


def activation(op: Op | None) -> str | None:
    """The design's name for an activation op (``relu``, ``relu6``, ``hardswish``, ``swish``,
    and the gates ``hardsigmoid`` and ``sigmoid``), or None. Whether a block takes it is the
    block's to say (its declared choices), so a file never meets a second list here."""
    if op is None:
        return None
    a = op.attrs
    if op.type == "Clip" and a.get("min") == 0 and a.get("max") == 6:
        return "relu6"
    if op.type == "HardSigmoid" and abs(a.get("alpha", 0.2) - 1 / 6) < 1e-6 \
            and a.get("beta", 0.5) == 0.5:
        return "hardsigmoid"
    return NAMED.get(op.type)


def dilated_convs() -> bool:
    """Whether this ConvSketch's convolution blocks take a dilation."""
    return any(spec.name == "dilation" for spec in blocks.get("conv").specs())


def _square(values, what: str) -> str | None:
    values = tuple(values)
    if len(values) != 2:
        return f"a {len(values)}-D {what}"
    if values[0] != values[1]:
        return f"a non-square {what} {values[0]}×{values[1]}"
    return None


def _pads(pads) -> str | None:
    pads = tuple(pads)
    if len(pads) != 4 or len(set(pads)) != 1:
        return f"uneven padding {list(pads)}"
    return None


def op_fault(op: Op) -> str | None:
    """Why this op cannot be represented (grouped with every other op of the same reason), or
    None when the op on its own is fine."""
    a = op.attrs
    if op.type not in SUPPORTED:
        return f"unsupported op {op.type}"
    if op.type in ("Conv", "MaxPool", "AveragePool"):
        for fault in (_square(a["kernel"], "kernel"), _square(a["stride"], "stride"),
                      _pads(a["pads"])):
            if fault:
                return f"{op.type} with {fault}"
        dilation = tuple(a.get("dilation", (1, 1)))
        if any(d != 1 for d in dilation) and (op.type != "Conv" or not dilated_convs()
                                             or _square(dilation, "dilation")):
            return f"{op.type} with dilation {list(dilation)}"
        if a.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
            return f"{op.type} with auto_pad {a['auto_pad']}"
        if op.type != "Conv" and a["pads"][0] * 2 > a["kernel"][0]:
            return f"{op.type} with padding more than half its kernel"
    if op.type == "Clip" and activation(op) is None:
        return f"Clip to [{a.get('min')}, {a.get('max')}] (only ReLU6's [0, 6] is a block)"
    if op.type == "HardSigmoid" and activation(op) is None:
        return "HardSigmoid other than x/6 + 1/2 (PyTorch's)"
    if op.type == "Concat" and a.get("axis") not in (1, -3):
        return f"Concat along axis {a.get('axis')} (only channels)"
    if op.type == "ReduceMean" and (sorted(a.get("axes") or ()) not in ([2, 3], [-2, -1])):
        return f"ReduceMean over axes {a.get('axes')} (only a global pool over H and W)"
    if op.type == "Flatten" and a.get("axis", 1) != 1:
        return f"Flatten from axis {a.get('axis')}"
    if op.type == "Slice" and (a.get("axis") not in (1, -3) or a.get("start") is None
                               or a.get("stop") is None or a.get("step", 1) != 1):
        return "Slice other than a run of channels"
    if op.type == "Transpose":
        return "Transpose other than a channel shuffle's"
    if op.type == "Reshape" and len(a.get("shape") or ()) != 2:
        return f"Reshape to {a.get('shape')} (only flattening to batch × features)"
    if op.type == "Gemm" and (a.get("transA") or a.get("alpha", 1.0) != 1.0
                              or a.get("beta", 1.0) != 1.0):
        return "Gemm other than a linear layer (transposed input or scaled)"
    if op.type == "AdaptiveAvgPool" and (a.get("output_size") is None
                                         or _square(a["output_size"], "output size")):
        return f"AdaptiveAvgPool to {a.get('output_size')} (only square outputs)"
    return None


def refuse(graph: OpGraph, faults: dict[str, list[str]]) -> ImportRefused:
    lines = [f"  {reason}: at {', '.join(names)}" for reason, names in faults.items()]
    return ImportRefused(f"{graph.source}: cannot import, {sum(map(len, faults.values()))} "
                         f"operation{'s' if sum(map(len, faults.values())) != 1 else ''} "
                         "ConvSketch cannot represent exactly:\n" + "\n".join(lines))


@dataclass
class Unit:
    """A fused run of ops that becomes (part of) one block. ``kind`` is a layer kind: conv,
    linear, add, mul, concat, maxpool, avgpool, gap, flatten, dropout. ``conv`` holds a
    convolution's attributes (a linear layer's: its input features, ``in``); ``params`` the
    block parameters gathered so far (bn, activation, bias ...)."""

    kind: str
    ops: list[Op]
    inputs: tuple[str, ...]
    output: str
    params: dict = field(default_factory=dict)
    conv: dict = field(default_factory=dict)

    @property
    def main(self) -> Op:
        return self.ops[0]


class Fuser:
    """Consumers of each tensor (Identity ops followed through) and the fusion into units."""

    def __init__(self, graph: OpGraph):
        self.graph = graph
        self.alias: dict[str, str] = {}
        self.ops: list[Op] = []
        for op in graph.ops:
            if op.type == "Identity":
                self.alias[op.output] = self.resolve(op.inputs[0])
            else:
                self.ops.append(Op(op.type, op.name, tuple(self.resolve(t) for t in op.inputs),
                                   op.outputs, op.attrs, op.path))
        self.output = self.resolve(graph.output)
        self.consumers: dict[str, list[Op]] = {}
        for op in self.ops:
            for t in op.inputs:
                self.consumers.setdefault(t, []).append(op)

    def resolve(self, tensor: str) -> str:
        return self.alias.get(tensor, tensor)

    def sole(self, tensor: str, *types: str) -> Op | None:
        """The one op reading ``tensor`` if it is of one of ``types`` (and the tensor is not
        also the model's output)."""
        users = self.consumers.get(tensor, [])
        if len(users) == 1 and tensor != self.output and users[0].type in types:
            return users[0]
        return None


    def units(self) -> list[Unit]:
        """Every op in exactly one unit, in execution order; raises ImportRefused listing the ops
        that cannot stand where they are (an activation after a pool, a BatchNorm alone)."""
        faults: dict[str, list[str]] = {}
        taken: set[int] = set()
        shuffles = {id(u.main): u for op in self.ops for u in [self._shuffle(op)] if u}
        shuffled = {id(o) for u in shuffles.values() for o in u.ops}
        for op in self.ops:
            reason = None if id(op) in shuffled else op_fault(op)
            if reason:
                faults.setdefault(reason, []).append(op.name)
                taken.add(id(op))
        units: list[Unit] = []
        for op in self.ops:
            if id(op) in taken:
                continue
            unit = shuffles.get(id(op)) or self._unit(op, faults)
            if unit is None:
                continue
            taken.update(id(o) for o in unit.ops)
            units.append(unit)
        if faults:
            raise refuse(self.graph, faults)
        return units

    def _shuffle(self, op: Op) -> Unit | None:
        """ShuffleNet's channel shuffle as exporters write it (torchvision's channel_shuffle):
        Reshape to N×g×(C/g)×H×W, Transpose of dimensions 1 and 2, Reshape back to N×C×H×W.
        A ``shuffle`` unit with its groups, else None."""
        first = op.attrs.get("shape") if op.type == "Reshape" else None
        swap = self.sole(op.output, "Transpose")
        if not first or len(first) != 5 or swap is None \
                or list(swap.attrs.get("perm") or ()) != [0, 2, 1, 3, 4]:
            return None
        back = self.sole(swap.output, "Reshape")
        last = back.attrs.get("shape") if back else None
        groups, per = first[1], first[2]
        if not last or len(last) != 4 or list(last[2:]) != list(first[3:]) \
                or last[1] not in (-1, groups * per) or min(groups, per) < 1:
            return None
        return Unit("shuffle", [op, swap, back], op.inputs, back.output, {"groups": groups})

    def _tail(self, unit: Unit, *, bn: bool) -> Unit:
        """Absorb a BatchNorm (when ``bn``) and then an activation reading the unit's output."""
        if bn:
            norm = self.sole(unit.output, "BatchNormalization")
            unit.params["bn"] = norm is not None
            if norm:
                unit.ops.append(norm)
                unit.output = norm.output
        act_op = self.sole(unit.output, *ACTIVATION_OPS)
        swish = self._swish(unit.output)
        unit.params["activation"] = "swish" if swish else activation(act_op) or "none"
        if swish or activation(act_op):
            unit.ops += swish or [act_op]
            unit.output = unit.ops[-1].output
        return unit

    def _swish(self, tensor: str) -> list[Op] | None:
        """x · sigmoid(x), as exporters write SiLU: the Sigmoid and the Mul, else None."""
        users = self.consumers.get(tensor, [])
        if len(users) != 2 or tensor == self.output:
            return None
        sig = next((u for u in users if u.type == "Sigmoid"), None)
        mul = next((u for u in users if u.type == "Mul"), None)
        if sig is None or mul is None or self.sole(sig.output, "Mul") is not mul \
                or sorted(mul.inputs) != sorted([tensor, sig.output]):
            return None
        return [sig, mul]

    def _unit(self, op: Op, faults: dict[str, list[str]]) -> Unit | None:
        a, t = op.attrs, op.type
        if t == "Conv":
            conv = {"kernel": a["kernel"][0], "stride": a["stride"][0], "pad": a["pads"][0],
                    "groups": a["groups"], "in": a["in_channels"], "out": a["out_channels"],
                    "dilation": a.get("dilation", (1, 1))[0]}
            unit = Unit("conv", [op], op.inputs, op.output, {"bias": a["bias"]}, conv)
            return self._tail(unit, bn=True)
        if t in ("Gemm", "MatMul"):
            return self._linear(op)
        if t == "Add" and len(op.inputs) >= 2:
            return self._tail(Unit("add", [op], op.inputs, op.output), bn=False)
        if t == "Mul" and len(op.inputs) == 2:
            return Unit("mul", [op], op.inputs, op.output)
        if t == "Concat":
            return Unit("concat", [op], op.inputs, op.output)
        if t == "Slice":
            return Unit("slice", [op], op.inputs, op.output,
                        {"start": a["start"], "stop": a["stop"]})
        if t in POOLS:
            return Unit(POOLS[t], [op], op.inputs, op.output,
                        {"kernel": a["kernel"][0], "stride": a["stride"][0],
                         "padding": a["pads"][0], "ceil_mode": bool(a.get("ceil_mode"))})
        if t in ("GlobalAveragePool", "AdaptiveAvgPool", "ReduceMean"):
            size = a["output_size"][0] if t == "AdaptiveAvgPool" else 1
            unit = Unit("gap", [op], op.inputs, op.output, {"output_size": size})
            if t == "ReduceMean" and not a.get("keepdims", 1) \
                    and not self.sole(op.output, "Gemm", "MatMul"):
                faults.setdefault("ReduceMean without keepdims, not read by a linear layer",
                                  []).append(op.name)
            return unit
        if t in ("Flatten", "Reshape"):
            if self.sole(op.output, "Gemm", "MatMul"):
                return None
            return Unit("flatten", [op], op.inputs, op.output)
        if t == "Dropout":
            return Unit("dropout", [op], op.inputs, op.output, {"p": float(a.get("ratio", 0.5))})
        if t in ACTIVATION_OPS:
            reason = f"{t} not right after a convolution, linear layer or add"
        elif t == "BatchNormalization":
            reason = "BatchNormalization not right after a convolution"
        elif t == "Mul":
            reason = "Mul by a constant"
        else:
            reason = "Add of a constant not right after a matrix multiplication"
        faults.setdefault(reason, []).append(op.name)
        return None

    def _linear(self, op: Op) -> Unit:
        """Gemm, or MatMul (+ the Add of a bias), then an activation; a Flatten or Reshape
        feeding only this layer is part of it (the linear block flattens its input itself)."""
        a = op.attrs
        unit = Unit("linear", [op], op.inputs, op.output,
                    {"out_features": a["out_features"], "bias": bool(a.get("bias"))})
        unit.conv = {"in": a["in_features"]}
        before = self._producer(op.inputs[0])
        if before is not None and before.type in ("Flatten", "Reshape") \
                and self.sole(before.output, op.type) is op:
            unit.ops.insert(0, before)
            unit.inputs = before.inputs
        if op.type == "MatMul":
            bias = self.sole(op.output, "Add")
            if bias is not None and "constant" in bias.attrs:
                unit.ops.append(bias)
                unit.output = bias.output
                unit.params["bias"] = True
        return self._tail(unit, bn=False)

    def _producer(self, tensor: str) -> Op | None:
        for op in self.ops:
            if tensor in op.outputs:
                return op
        return None
