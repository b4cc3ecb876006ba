"""A PyTorch module as the neutral op graph, by tracing it with torch.fx and propagating the
input's shape. Runs inside the worker process (:mod:`.torch_worker`); tests call it directly.

Modules are built on the ``meta`` device when they allow it: shapes are all an import needs,
so a 500 MB model costs no memory and no weight initialisation.
"""
from __future__ import annotations

import operator

from .graph import ImportRefused, Op, OpGraph


def _pair(v) -> tuple[int, int]:
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _pads(p, kernel) -> tuple[int, ...]:
    if p == "valid":
        return (0, 0, 0, 0)
    if p == "same":
        return tuple((k - 1) // 2 for k in (*kernel, *kernel))
    ph, pw = _pair(p)
    return (ph, pw, ph, pw)


def _module_op(m) -> tuple[str, dict]:
    from torch import nn

    if isinstance(m, nn.Conv2d):
        k = _pair(m.kernel_size)
        attrs = {"kernel": k, "stride": _pair(m.stride), "pads": _pads(m.padding, k),
                 "dilation": _pair(m.dilation), "groups": m.groups, "bias": m.bias is not None,
                 "in_channels": m.in_channels, "out_channels": m.out_channels}
        if m.padding_mode != "zeros":
            return f"Conv2d with padding_mode {m.padding_mode}", {}
        return "Conv", attrs
    if isinstance(m, nn.BatchNorm2d):
        return ("BatchNormalization", {}) if m.affine else ("BatchNorm2d without affine", {})
    if type(m) is nn.ReLU:
        return "Relu", {}
    simple = {nn.Hardswish: "HardSwish", nn.SiLU: "Silu", nn.Sigmoid: "Sigmoid"}
    if type(m) in simple:
        return simple[type(m)], {}
    if type(m) is nn.Hardsigmoid:
        return "HardSigmoid", {"alpha": 1 / 6, "beta": 0.5}
    if isinstance(m, nn.Hardtanh):
        return "Clip", {"min": m.min_val, "max": m.max_val}
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        k = _pair(m.kernel_size)
        attrs = {"kernel": k, "stride": _pair(m.stride or m.kernel_size),
                 "pads": _pads(m.padding, k), "ceil_mode": m.ceil_mode,
                 "dilation": _pair(getattr(m, "dilation", 1))}
        if getattr(m, "return_indices", False):
            return "MaxPool2d returning indices", {}
        return ("MaxPool" if isinstance(m, nn.MaxPool2d) else "AveragePool"), attrs
    if isinstance(m, nn.AdaptiveAvgPool2d):
        size = _pair(m.output_size)
        return "AdaptiveAvgPool", {"output_size": None if None in size else size}
    if isinstance(m, nn.Flatten):
        return "Flatten", {"axis": m.start_dim if m.end_dim == -1 else None}
    if isinstance(m, nn.Linear):
        return "Gemm", {"in_features": m.in_features, "out_features": m.out_features,
                        "bias": m.bias is not None}
    if isinstance(m, (nn.Dropout, nn.Dropout2d)):
        return "Dropout", {"ratio": float(m.p)}
    if isinstance(m, nn.Identity):
        return "Identity", {}
    return type(m).__name__, {}


def _function_op(node, args) -> tuple[str, dict]:
    import torch
    import torch.nn.functional as F

    name = node.target if node.op == "call_method" else getattr(node.target, "__name__", "")
    target = node.target
    kw = node.kwargs
    if target in (operator.add, operator.iadd, torch.add) or name in ("add", "add_", "__add__"):
        return "Add", {}
    if target in (torch.cat, torch.concat) or name in ("cat", "concat"):
        return "Concat", {"axis": kw.get("dim", args[1] if len(args) > 1 else 0)}
    if target is torch.flatten or name == "flatten":
        start = kw.get("start_dim", args[1] if len(args) > 1 else 0)
        end = kw.get("end_dim", args[2] if len(args) > 2 else -1)
        return "Flatten", {"axis": start if end == -1 else None}
    if name in ("view", "reshape"):
        shape = node.meta["tensor_meta"].shape
        return "Reshape", {"shape": list(shape)}
    if target is torch.transpose or name in ("transpose", "permute"):
        return "Transpose", {"perm": _perm(node, args, name)}
    if name == "getitem" and _channel_pieces(args[0]) is not None:
        pieces, index = _channel_pieces(args[0]), args[1]
        if isinstance(index, int) and -len(pieces) <= index < len(pieces):
            axis, start, stop = pieces[index]
            return "Slice", {"axis": axis, "start": start, "stop": stop}
    if name == "contiguous":
        return "Identity", {}
    if target in (F.relu, torch.relu) or name in ("relu", "relu_"):
        return "Relu", {}
    if target in (operator.mul, operator.imul, torch.mul) or name in ("mul", "mul_", "__mul__"):
        return "Mul", {}
    functions = {F.hardswish: "HardSwish", F.silu: "Silu", torch.sigmoid: "Sigmoid",
                 F.sigmoid: "Sigmoid"}
    if target in functions or name in ("sigmoid", "sigmoid_"):
        return functions.get(target, "Sigmoid"), {}
    if target is F.hardsigmoid:
        return "HardSigmoid", {"alpha": 1 / 6, "beta": 0.5}
    if target is F.relu6:
        return "Clip", {"min": 0.0, "max": 6.0}
    if target is F.hardtanh:
        return "Clip", {"min": kw.get("min_val", args[1] if len(args) > 1 else -1.0),
                        "max": kw.get("max_val", args[2] if len(args) > 2 else 1.0)}
    if target is F.adaptive_avg_pool2d:
        size = _pair(kw.get("output_size", args[1] if len(args) > 1 else None))
        return "AdaptiveAvgPool", {"output_size": None if None in size else size}
    if target is torch.mean or name == "mean":
        dims = kw.get("dim", args[1] if len(args) > 1 else None)
        return "ReduceMean", {"axes": list(dims) if isinstance(dims, (list, tuple)) else dims,
                              "keepdims": int(kw.get("keepdim", args[2] if len(args) > 2
                                                     else False))}
    if target is F.dropout:
        return "Dropout", {"ratio": float(kw.get("p", args[1] if len(args) > 1 else 0.5))}
    return str(name or target), {}


def _channel_pieces(node) -> list[tuple[int, int, int]] | None:
    """The (axis, start, stop) of each piece a ``chunk`` or ``split`` node cuts, else None."""
    from torch import fx

    if not isinstance(node, fx.Node) or node.op not in ("call_method", "call_function"):
        return None
    name = node.target if node.op == "call_method" else getattr(node.target, "__name__", "")
    if name not in ("chunk", "split") or not node.args:
        return None
    source = node.args[0]
    meta = source.meta.get("tensor_meta") if isinstance(source, fx.Node) else None
    if not hasattr(meta, "shape"):
        return None
    shape = list(meta.shape)
    size = node.kwargs.get("chunks" if name == "chunk" else "split_size_or_sections",
                           node.args[1] if len(node.args) > 1 else None)
    dim = node.kwargs.get("dim", node.args[2] if len(node.args) > 2 else 0) % len(shape)
    total = shape[dim]
    if name == "chunk" and isinstance(size, int) and size > 0:
        size = -(-total // size)
    if isinstance(size, int) and size > 0:
        size = [min(size, total - start) for start in range(0, total, size)]
    if not isinstance(size, (list, tuple)) or sum(size) != total:
        return None
    starts = [sum(size[:i]) for i in range(len(size))]
    return [(dim, a, a + n) for a, n in zip(starts, size)]


def _perm(node, args, name: str) -> list[int] | None:
    """A transpose or permute as ONNX's Transpose permutation of all the dimensions."""
    meta = node.meta.get("tensor_meta")
    rank = len(meta.shape) if hasattr(meta, "shape") else 0
    rest = list(args[1]) if len(args) == 2 and isinstance(args[1], (list, tuple)) else args[1:]
    dims = [a for a in rest if isinstance(a, int)]
    if name == "permute":
        return [d % rank for d in dims] if rank and len(dims) == rank else None
    dims = dims or [node.kwargs.get("dim0"), node.kwargs.get("dim1")]
    if not rank or len(dims) != 2 or None in dims:
        return None
    perm = list(range(rank))
    a, b = dims[0] % rank, dims[1] % rank
    perm[a], perm[b] = perm[b], perm[a]
    return perm


def _flat_nodes(args) -> list:
    from torch import fx

    out = []
    for a in args:
        if isinstance(a, fx.Node):
            out.append(a)
        elif isinstance(a, (list, tuple)):
            out += _flat_nodes(a)
    return out


def graph_from_module(model, input_shape: tuple[int, int, int], source: str) -> OpGraph:
    """Trace ``model`` (in eval mode) and follow a 1×C×H×W input through it."""
    import torch
    from torch import fx
    from torch.fx.passes.shape_prop import ShapeProp

    model = model.eval()
    try:
        gm = fx.symbolic_trace(model)
    except Exception as err:  # noqa: BLE001 - any tracing failure is the model's
        raise ImportRefused(f"{source}: torch.fx cannot trace the model (data-dependent "
                            f"control flow?): {type(err).__name__}: {err}") from None
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    try:
        with torch.no_grad():
            ShapeProp(gm).propagate(torch.zeros(1, *input_shape, device=device))
    except Exception as err:  # noqa: BLE001
        raise ImportRefused(f"{source}: the model fails on a 1×{'×'.join(map(str, input_shape))} "
                            f"input: {type(err).__name__}: {err}") from None
    ops, shapes, image, output = [], {}, None, None
    tensors = {n.name for n in gm.graph.nodes
               if n.op != "get_attr" and hasattr(n.meta.get("tensor_meta"), "shape")}
    for node in gm.graph.nodes:
        meta = node.meta.get("tensor_meta")
        if node.name in tensors:
            shapes[node.name] = tuple(meta.shape[1:])
        if node.op == "placeholder":
            if image is not None:
                raise ImportRefused(f"{source}: forward() takes several inputs; only one image "
                                    "input can be imported")
            image = node.name
        elif node.op == "output":
            outs = _flat_nodes([node.args[0]])
            if len(outs) != 1:
                raise ImportRefused(f"{source}: forward() returns {len(outs)} tensors; only one "
                                    "output can be imported")
            output = outs[0].name
        elif node.op in ("call_module", "call_function", "call_method") \
                and node.name in tensors:
            data = [a for a in _flat_nodes([node.args, list(node.kwargs.values())])
                    if a.name in tensors]
            if node.op == "call_module":
                op_type, attrs = _module_op(gm.get_submodule(node.target))
                path, name = node.target, node.target
            else:
                op_type, attrs = _function_op(node, node.args)
                stack = node.meta.get("nn_module_stack") or {}
                path = list(stack.values())[-1][0] if stack else ""
                name = f"{path}.{node.name}" if path else node.name
            if op_type == "Slice":
                data = [node.args[0].args[0]]
            if op_type == "Add" and len(data) == 1:
                attrs["constant"] = True
            ops.append(Op(op_type, name, tuple(a.name for a in data), (node.name,), attrs,
                          path))
    return OpGraph(source, image, tuple(input_shape), output, ops, shapes, "torch")
