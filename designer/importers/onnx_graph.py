"""An ONNX file as the neutral op graph. Reading a file never runs code and never reads weights:
only the graph, the weights' shapes and a few small constants (a Clip's bounds, a Reshape's
target) are used.

Hostile files are refused before they cost anything: a file over ``MAX_BYTES`` is refused from
its size alone; one that does not parse as an ONNX model (truncated, another format, a protobuf
nested past the parser's depth limit) or holds more than ``MAX_NODES`` nodes or subgraphs is
refused; external-data locations are checked (absolute, or leading out of the model's folder:
refused) but never opened, since shapes are all an import needs.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

from .graph import ImportRefused, Op, OpGraph, legacy_onnx_path

MAX_BYTES = 1024 ** 3
MAX_NODES = 100_000
WEIGHT_SLOTS = {"Conv": {1, 2}, "Gemm": {1, 2}, "MatMul": {1}, "BatchNormalization": {1, 2, 3, 4},
                "Add": {0, 1}, "Clip": {1, 2}, "Reshape": {1}, "ReduceMean": {1}, "Dropout": {1, 2}}


def read_model(path: str | os.PathLike):
    """The parsed ModelProto, or ImportRefused saying why the file is not one."""
    import onnx
    from google.protobuf.message import DecodeError

    path = Path(path)
    try:
        info = path.stat()
    except OSError as err:
        raise ImportRefused(f"{path}: cannot read: {err.strerror or err}") from None
    if not path.is_file():
        raise ImportRefused(f"{path}: not a regular file")
    if info.st_size > MAX_BYTES:
        raise ImportRefused(f"{path}: {info.st_size / 1024 ** 3:.1f} GB is more than the "
                            f"{MAX_BYTES // 1024 ** 3} GB an ONNX file may have here "
                            "(keep large weights as external data beside it)")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportRefused(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        model = onnx.ModelProto()
        model.ParseFromString(data)
    except (DecodeError, RecursionError, ValueError, MemoryError) as err:
        raise ImportRefused(f"{path}: not an ONNX model (truncated, another format, or "
                            f"messages nested too deep to read: {type(err).__name__})") from None
    if not model.HasField("graph") or not model.opset_import or model.ir_version <= 0:
        raise ImportRefused(f"{path}: not an ONNX model (no graph, opset or IR version)")
    if len(model.graph.node) > MAX_NODES:
        raise ImportRefused(f"{path}: {len(model.graph.node):,} nodes is more than the "
                            f"{MAX_NODES:,} an import reads")
    subgraphs = [n.name or n.op_type for n in model.graph.node
                 if any(a.HasField("g") or len(a.graphs) for a in n.attribute)]
    if subgraphs:
        raise ImportRefused(f"{path}: cannot import control flow (subgraphs) at "
                            + ", ".join(subgraphs[:10]))
    _check_external(path, model)
    return model


def _check_external(path: Path, model) -> None:
    """Refuse external-data locations outside the model's folder; nothing is opened."""
    folder = path.resolve().parent
    tensors = list(model.graph.initializer)
    tensors += [a.t for n in model.graph.node for a in n.attribute if a.HasField("t")]
    bad = []
    for t in tensors:
        for entry in t.external_data:
            if entry.key != "location":
                continue
            where = Path(entry.value)
            target = (folder / where).resolve()
            if where.is_absolute() or not target.is_relative_to(folder):
                bad.append(f"{t.name} -> {entry.value}")
    if bad:
        raise ImportRefused(f"{path}: external data outside the model's folder (not read): "
                            + ", ".join(bad[:10]) + (" …" if len(bad) > 10 else ""))


def _dims(type_proto) -> tuple[int | None, ...] | None:
    t = type_proto.tensor_type
    if not t.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None
                 for d in t.shape.dim)


def _values(tensor) -> list | None:
    """A small constant's values (a few numbers: bounds, axes, a target shape); None when it is
    large or stored outside the file."""
    from onnx import numpy_helper

    size = 1
    for d in tensor.dims:
        size *= d
    if size > 64 or tensor.data_location == 1:
        return None
    return numpy_helper.to_array(tensor).reshape(-1).tolist()


def _path(node) -> str:
    for prop in node.metadata_props:
        if prop.key == "pkg.torch.onnx.name_scopes":
            scopes = [s.strip(" '\"") for s in prop.value.strip("[]").split(",")]
            return scopes[-2] if len(scopes) >= 2 else ""
    return legacy_onnx_path(node.name) if node.name.startswith("/") else ""


def onnx_graph(path: str | os.PathLike, input_shape: tuple[int, int, int] | None = None) -> OpGraph:
    """The op graph of an ONNX file; ``input_shape`` (C, H, W) replaces the file's input shape
    (needed when the file leaves a dimension open). Inputs after the first that only feed
    weight slots are weights (a file exported without its parameters): their declared shapes
    are all that is read of them."""
    import onnx

    model = read_model(path)
    g = model.graph
    consts: dict[str, tuple] = {t.name: tuple(t.dims) for t in g.initializer}
    values: dict[str, list | None] = {t.name: _values(t) for t in g.initializer}
    declared = {i.name: _dims(i.type) for i in g.input}
    data_inputs = [i.name for i in g.input if i.name not in consts]
    if not data_inputs:
        raise ImportRefused(f"{path}: the model has no input")
    image = data_inputs[0]
    readers: dict[str, list] = {}
    for n in g.node:
        for k, t in enumerate(n.input):
            readers.setdefault(t, []).append((n, k))

    def weight_only(tensor: str) -> bool:
        users = readers.get(tensor, [])
        return bool(users) and all(
            weight_only(n.output[0]) if n.op_type == "Identity"
            else k in WEIGHT_SLOTS.get(n.op_type, ()) for n, k in users)

    for extra in data_inputs[1:]:
        if not weight_only(extra) or declared.get(extra) is None or None in declared[extra]:
            raise ImportRefused(f"{path}: the model has several inputs ({', '.join(data_inputs)}); "
                                "only one image input can be imported")
        consts[extra], values[extra] = declared[extra], None
    if len(g.output) != 1:
        raise ImportRefused(f"{path}: the model has {len(g.output)} outputs; only one can be "
                            "imported")
    dims = declared.get(image)
    if dims is None or len(dims) != 4:
        raise ImportRefused(f"{path}: the input {image!r} is not an N×C×H×W image "
                            f"(shape {dims})")
    shape = tuple(input_shape) if input_shape else dims[1:]
    known = _inferred_shapes(model, onnx) if input_shape is None else {}

    def full(tensor: str) -> tuple[int, ...] | None:
        inner = shape if tensor == image else known.get(tensor)
        return (dims[0] or 1, *inner) if inner and None not in inner else None

    ops = []
    for i, node in enumerate(g.node):
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.HasField("t"):
                    consts[node.output[0]], values[node.output[0]] = tuple(a.t.dims), _values(a.t)
            continue
        if node.op_type == "Identity" and node.input[0] in consts:
            consts[node.output[0]] = consts[node.input[0]]
            values[node.output[0]] = values.get(node.input[0])
            continue
        folded = _fold(node, values, full)
        if folded is not None:
            consts[node.output[0]], values[node.output[0]] = (len(folded),), folded
            continue
        slices = _split_slices(node, values, full) if node.op_type == "Split" else None
        if slices:
            ops.extend(slices)
            continue
        ops.append(_op(node, i, consts, values))
        if ops[-1].type == "Slice" and ops[-1].inputs:
            _clamp(ops[-1], full(ops[-1].inputs[0]))
    return OpGraph(str(path), image, shape, g.output[0].name, ops, known, "onnx")


ARITHMETIC = {"Add": lambda a, b: a + b, "Sub": lambda a, b: a - b,
              "Mul": lambda a, b: a * b, "Div": lambda a, b: a // b if b else None}


def _fold(node, values: dict, full) -> list | None:
    """The integers a node of shape arithmetic computes when the tensor shapes are known (the
    exporter's Shape → Gather → Div → Mul that sizes a ``chunk``'s Slice), else None."""
    t, ins = node.op_type, list(node.input)
    if t == "Shape":
        known = full(ins[0])
        if known is None:
            return None
        attrs = {a.name: a.i for a in node.attribute}
        return list(known[attrs.get("start", 0):attrs.get("end", len(known))])
    if not ins or any(not x or values.get(x) is None for x in ins):
        return None
    vals = [values[x] for x in ins]
    if any(not all(isinstance(v, int) for v in vs) for vs in vals):
        return None
    if t == "Gather" and all(-len(vals[0]) <= i < len(vals[0]) for i in vals[1]):
        return [vals[0][i] for i in vals[1]]
    if t in ("Unsqueeze", "Squeeze", "Cast"):
        return vals[0]
    if t == "Concat":
        return [v for vs in vals for v in vs]
    sizes = [len(vs) for vs in vals]
    if t in ARITHMETIC and len(vals) == 2 and (sizes[0] == sizes[1] or 1 in sizes):
        n = max(len(vals[0]), len(vals[1]))
        a, b = (vs * n if len(vs) == 1 else vs for vs in vals)
        out = [ARITHMETIC[t](x, y) for x, y in zip(a, b)]
        return None if None in out else out
    return None


def _split_slices(node, values: dict, full) -> list[Op] | None:
    """A Split (torch's ``chunk`` and ``split`` in newer exporters) as one Slice per output, so
    that a ShuffleNetV2 unit's halves are read as the legacy exporter's Slices are; None when the
    sizes cannot be told (the Split is then refused, located)."""
    attrs = {a.name: a for a in node.attribute}
    shape = full(node.input[0]) if node.input and node.input[0] else None
    if shape is None:
        return None
    axis = attrs["axis"].i if "axis" in attrs else 0
    if not -len(shape) <= axis < len(shape):
        return None
    dim = shape[axis]
    sizes = values.get(node.input[1]) if len(node.input) > 1 and node.input[1] else None
    if sizes is None and "split" in attrs:
        sizes = list(attrs["split"].ints)
    if sizes is None:
        n = attrs["num_outputs"].i if "num_outputs" in attrs else len(node.output)
        step = -(-dim // n)
        sizes = [min(step, dim - k * step) for k in range(n)]
    if len(sizes) != len(node.output) or sum(sizes) != dim or min(sizes) <= 0:
        return None
    starts = [sum(sizes[:k]) for k in range(len(sizes))]
    return [Op("Slice", node.name or "Split", (node.input[0],), (out,),
               {"axis": axis % len(shape), "start": start, "stop": start + size, "step": 1},
               _path(node))
            for out, start, size in zip(node.output, starts, sizes)]


def _clamp(op: Op, shape: tuple[int, ...] | None) -> None:
    """A channel Slice's start and stop made plain indices of the input it cuts."""
    a = op.attrs
    if shape is None or a.get("axis") is None or a.get("start") is None or a.get("stop") is None:
        return
    axis = a["axis"] % len(shape)
    size = shape[axis]
    a["axis"] = axis
    a["start"] = min(max(a["start"] + size if a["start"] < 0 else a["start"], 0), size)
    a["stop"] = min(max(a["stop"] + size if a["stop"] < 0 else a["stop"], 0), size)


def _inferred_shapes(model, onnx) -> dict[str, tuple[int, ...]]:
    """Every tensor shape ONNX's shape inference can tell (batch dropped); {} if it fails.
    Inference runs on a copy whose large weights are declared inputs (shapes, no data): it
    would otherwise serialise every weight, 0.7 s for ResNet-18's 46 MB."""
    light = onnx.ModelProto(ir_version=model.ir_version, opset_import=model.opset_import)
    g, lg = model.graph, light.graph
    lg.node.extend(g.node)
    lg.input.extend(g.input)
    lg.output.extend(g.output)
    for t in g.initializer:
        if math.prod(t.dims) > 64 or t.data_location == 1:
            lg.input.append(onnx.helper.make_tensor_value_info(t.name, t.data_type, t.dims))
        else:
            lg.initializer.append(t)
    try:
        inferred = onnx.shape_inference.infer_shapes(light, strict_mode=False)
    except Exception:  # noqa: BLE001 - a check we can do without
        return {}
    out = {}
    for v in [*inferred.graph.value_info, *inferred.graph.output]:
        d = _dims(v.type)
        if d and len(d) >= 2 and None not in d[1:]:
            out[v.name] = d[1:]
    return out


def _op(node, index: int, consts: dict, values: dict) -> Op:
    attrs = {}
    for a in node.attribute:
        if a.type == a.INT:
            attrs[a.name] = a.i
        elif a.type == a.INTS:
            attrs[a.name] = list(a.ints)
        elif a.type == a.FLOAT:
            attrs[a.name] = a.f
        elif a.type == a.STRING:
            attrs[a.name] = a.s.decode("utf-8", "replace")
    t = node.op_type
    data = tuple(x for x in node.input if x and x not in consts)
    weight = [consts.get(x) for x in node.input]
    name = node.name or f"{t} #{index}"
    out: dict = {}
    if t in ("Conv", "MaxPool", "AveragePool"):
        if t == "Conv":
            w = weight[1] if len(weight) > 1 else None
            if w is None or len(w) < 3:
                return Op("Conv of a computed weight", name, data, tuple(node.output))
            groups = attrs.get("group", 1)
            out.update(in_channels=w[1] * groups, out_channels=w[0], groups=groups,
                       bias=len(node.input) > 2 and bool(node.input[2]))
            kernel = attrs.get("kernel_shape", list(w[2:]))
        else:
            kernel = attrs.get("kernel_shape", [])
            out["ceil_mode"] = attrs.get("ceil_mode", 0)
        n = len(kernel)
        out.update(kernel=tuple(kernel), stride=tuple(attrs.get("strides", [1] * n)),
                   pads=tuple(attrs.get("pads", [0] * 2 * n)),
                   dilation=tuple(attrs.get("dilations", [1] * n)),
                   auto_pad=attrs.get("auto_pad", "NOTSET"))
    elif t == "Clip":
        bounds = [values.get(x) if x else None for x in node.input[1:3]]
        lo = attrs.get("min", bounds[0][0] if bounds and bounds[0] else None)
        hi = attrs.get("max", bounds[1][0] if len(bounds) > 1 and bounds[1] else None)
        out.update(min=lo, max=hi)
    elif t == "HardSigmoid":
        out.update(alpha=attrs.get("alpha", 0.2), beta=attrs.get("beta", 0.5))
    elif t == "Add" and len(data) == 1:
        out["constant"] = next(w for w in weight if w is not None)
    elif t == "Concat":
        out["axis"] = attrs.get("axis")
    elif t == "ReduceMean":
        axes = attrs.get("axes") or (values.get(node.input[1]) if len(node.input) > 1 else None)
        out.update(axes=axes, keepdims=attrs.get("keepdims", 1))
    elif t == "Flatten":
        out["axis"] = attrs.get("axis", 1)
    elif t == "Reshape":
        out["shape"] = values.get(node.input[1]) if len(node.input) > 1 else None
    elif t == "Transpose":
        out["perm"] = attrs.get("perm")
    elif t == "Slice":
        starts, ends, axes, steps = ([values.get(x) if x else None for x in node.input[1:5]]
                                     + [None] * 4)[:4]
        if starts and ends and len(starts) == len(ends) == 1 and (axes is None or len(axes) == 1):
            out.update(axis=axes[0] if axes else 0, start=starts[0], stop=ends[0],
                       step=steps[0] if steps else 1)
    elif t == "Gemm":
        w = weight[1] if len(weight) > 1 else None
        if w is None or len(w) != 2:
            return Op("Gemm of two activations", name, data, tuple(node.output))
        fin, fout = (w[1], w[0]) if attrs.get("transB") else (w[0], w[1])
        out.update(in_features=fin, out_features=fout, transA=attrs.get("transA", 0),
                   alpha=attrs.get("alpha", 1.0), beta=attrs.get("beta", 1.0),
                   bias=len(node.input) > 2 and bool(node.input[2]))
    elif t == "MatMul":
        w = weight[1] if len(weight) > 1 else None
        if w is None or len(w) != 2 or weight[0] is not None:
            return Op("MatMul of two activations", name, data, tuple(node.output))
        out.update(in_features=w[0], out_features=w[1], bias=False)
    elif t == "Dropout":
        ratio = values.get(node.input[1]) if len(node.input) > 1 and node.input[1] else None
        out["ratio"] = attrs.get("ratio", ratio[0] if ratio else 0.5)
    elif t == "Sum" and len(data) >= 2:
        t = "Add"
    return Op(t, name, data, tuple(node.output[:1]), out, _path(node))
