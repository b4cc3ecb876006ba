"""ONNX export of the same module the .py export builds, verified with onnx.checker and
onnxruntime.

The legacy TorchScript exporter (``dynamo=False``) is used: on this machine it exports
MobileNetV2 in about 0.6 s against 3.7–5.9 s for the dynamo exporter (shared/STACK.md), writes one
self-contained file, and names nodes after the module path (``/block3/conv/conv.0/Conv``), so the
design's block names show in Netron. BatchNorm is folded into the convolutions (the exporter's
constant folding), as an inference graph should be. Where the legacy exporter cannot express an
operation (an adaptive pool whose output size does not divide its input, as AlexNet's 6×6 pool
at ρ < 1), the dynamo exporter takes over, writing one file too (``external_data=False``), its
registry's warnings (torchvision's ops missing) kept off the terminal.

The legacy exporter shares one zero-bias initializer among BN-folded convolutions through
unnamed ``Identity`` nodes, which Netron draws as stray boxes: each is replaced by its own copy
of the initializer, named after the convolution that reads it (:func:`inline_identities`); the
weights and biases folding made are named after their convolution too (:func:`name_folded_weights`).
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from designer.core.atomic import write_atomically
from designer.core.design import Design

from .check import CheckResult, one_thread
from .files import check_target, checked
from .memory import memory_guard
from .pytorch import ExportError, build_module, valid_analysis

OPSET = 17
TOLERANCE = 1e-4
"""onnxruntime against torch: the outputs' largest difference may be TOLERANCE times their
largest magnitude, and never less than TOLERANCE. fp32 sums taken in another order drift with
the size of what they sum: with BatchNorm statistics measured (the export check), ResNet-50's
logits reach 3 and differed by 7–9·10⁻⁵ for four random inputs, so a bound of 10⁻⁴ regardless
of scale failed a correct export now and then."""


def allowed_difference(output_scale: float) -> float:
    """The largest difference accepted for outputs whose largest magnitude is ``output_scale``."""
    return TOLERANCE * max(1.0, output_scale)


@dataclass(frozen=True)
class OnnxResult:
    path: Path
    nodes: int
    max_abs_diff: float
    check: CheckResult
    output_scale: float = 1.0
    """The largest magnitude of torch's output, which the difference is measured against."""


ONNX_LIMIT_BYTES = 2 * 1024**3
"""One ONNX file holds at most 2 GB (protobuf's limit); beyond it torch writes the weights as
loose files named after tensors beside the model, which could overwrite anything there."""


def export_onnx(design: Design, path: str | os.PathLike, model=None, batch: int = 1) -> OnnxResult:
    """Check the module against the analysis, export it in a private temporary folder, check the
    graph (onnx.checker, onnxruntime against torch) and only then write ``path`` with the
    product's one atomic writer. Any failure raises ExportError, no file.
    ``batch`` is the input's batch size in the file (the timing worker exports at its batch)."""
    import torch

    path = Path(path)
    check_target(path)
    analysis = valid_analysis(design)
    refuse_beyond_one_file(analysis)
    with memory_guard(analysis, "building and checking the PyTorch module"):
        model = (model or build_module(design)).eval()
        check = checked(model, analysis, design)
    x = torch.randn(batch, *analysis.input_shape)
    with one_thread(), memory_guard(analysis, "exporting to ONNX and running it in onnxruntime"), \
            tempfile.TemporaryDirectory(prefix="convsketch-onnx-") as folder:
        proto = _exported(model, x, Path(folder) / "model.onnx")
        got = _onnxruntime_output(proto.SerializeToString(), x)
        corrected = _declare_output_shape(proto, tuple(got.shape))
        data = proto.SerializeToString()
        if corrected:
            got = _onnxruntime_output(data, x)
        with torch.no_grad():
            want = model(x).numpy()
    if got.shape != want.shape:
        raise ExportError(f"onnxruntime's output has shape {got.shape}, torch's {want.shape}")
    diff, scale = float(abs(got - want).max()), float(abs(want).max())
    if diff > allowed_difference(scale):
        raise ExportError(f"onnxruntime's output differs from torch's by {diff:.2e} "
                          f"(tolerance {allowed_difference(scale):.2g} for outputs up to "
                          f"{scale:.3g})")
    try:
        write_atomically(path, data)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from None
    return OnnxResult(path, len(proto.graph.node), diff, check, scale)


def refuse_beyond_one_file(analysis) -> None:
    weights = 4 * analysis.params
    if weights >= ONNX_LIMIT_BYTES:
        raise ExportError(f"the design's {analysis.params:,} parameters take {weights / 1e9:.2f} GB "
                          f"in fp32; one ONNX file holds at most {ONNX_LIMIT_BYTES / 1e9:.2f} GB. "
                          "Export the PyTorch .py instead, or lower α or shrink the largest layers.")


def _exported(model, x, staged: Path):
    """The checked ONNX graph of ``model``, exported to ``staged`` (in a private folder)."""
    import onnx

    _torch_export(model, x, staged)
    if len(os.listdir(staged.parent)) != 1:
        raise ExportError("torch.onnx wrote the weights apart from the model (over 2 GB); "
                          "one ONNX file cannot hold this design")
    proto = onnx.load(str(staged))
    inline_identities(proto)
    name_folded_weights(proto)
    onnx.checker.check_model(proto, full_check=True)
    return proto


_PROCESS_STATE = threading.Lock()
"""Held while an export patches process-wide state (torch's ONNX log hook, a logger's level,
the warnings filters): the app exports on a thread pool (Netron and "Export as ONNX" at once),
and two exports restoring what each saved, interleaved, would leave the patch in place."""


def _torch_export(model, x, path: Path) -> None:
    with _PROCESS_STATE:
        _torch_export_unguarded(model, x, path)


def _torch_export_unguarded(model, x, path: Path) -> None:
    import torch

    names = {"input_names": ["input"], "output_names": ["output"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = getattr(torch._C, "_jit_onnx_log", None)
        if log is not None:  # torch 2.13 leaves its log on and prints the IR of a failed export
            torch._C._jit_onnx_log = lambda *args: None
        try:
            torch.onnx.export(model, (x,), str(path), dynamo=False, opset_version=OPSET,
                              do_constant_folding=True, **names)
            return
        except torch.onnx.errors.OnnxExporterError:
            pass
        finally:
            if log is not None:
                torch._C._jit_onnx_log = log
        registry = logging.getLogger("torch.onnx._internal.exporter._registration")
        level = registry.level
        registry.setLevel(logging.ERROR)
        try:
            torch.onnx.export(model, (x,), str(path), dynamo=True, external_data=False,
                              verbose=False, **names)
        except Exception as err:  # noqa: BLE001 - any exporter failure becomes a clear error
            raise ExportError(f"torch.onnx could not export this design: {err}") from None
        finally:
            registry.setLevel(level)


def inline_identities(model) -> int:
    """Replace every ``Identity`` whose input is an initializer by a copy of that initializer
    feeding the Identity's readers directly; drop initializers no longer read. Returns how many
    were replaced. The copy is named after its reader (``block3.conv.0.0.bias`` for input 2 of
    ``/block3/conv/conv.0/conv.0.0/Conv``) when there is exactly one, so Netron shows a name."""
    import onnx

    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    identities = [n for n in graph.node if n.op_type == "Identity" and n.input[0] in initializers]
    if not identities:
        return 0
    readers: dict[str, list[tuple[onnx.NodeProto, int]]] = {}
    for node in graph.node:
        for k, name in enumerate(node.input):
            readers.setdefault(name, []).append((node, k))
    outputs = {o.name for o in graph.output}
    taken = set(initializers) | {v for n in graph.node for v in (*n.input, *n.output)}
    for node in identities:
        source, produced = node.input[0], node.output[0]
        users = readers.get(produced, [])
        name = produced
        if len(users) == 1 and produced not in outputs:
            wanted = _reader_name(*users[0])
            if wanted and wanted not in taken:
                name = wanted
                taken.add(name)
                user, k = users[0]
                user.input[k] = name
        copy = onnx.TensorProto()
        copy.CopyFrom(initializers[source])
        copy.name = name
        graph.initializer.append(copy)
        graph.node.remove(node)
    still_read = {i for n in graph.node for i in n.input} | outputs
    for init in [i for i in graph.initializer if i.name not in still_read]:
        graph.initializer.remove(init)
    return len(identities)


def name_folded_weights(model) -> int:
    """Name each weight and bias the exporter made by folding a BatchNorm into a convolution
    (``onnx::Conv_538``) after the one convolution that reads it (``block1.conv.0.0.weight``),
    as the unfolded ones are named, so Netron shows whose they are. Returns how many."""
    graph = model.graph
    readers: dict[str, list] = {}
    for node in graph.node:
        for k, name in enumerate(node.input):
            readers.setdefault(name, []).append((node, k))
    taken = {i.name for i in graph.initializer} | {v for n in graph.node
                                                   for v in (*n.input, *n.output)}
    renamed = 0
    for init in graph.initializer:
        users = readers.get(init.name, [])
        if not init.name.startswith("onnx::") or len(users) != 1:
            continue
        wanted = _reader_name(*users[0])
        if wanted and wanted not in taken:
            node, k = users[0]
            node.input[k] = init.name = wanted
            taken.add(wanted)
            renamed += 1
    return renamed


def _reader_name(node, k: int) -> str:
    """``block3.conv.0.0.bias`` for input 2 of the Conv node ``/block3/conv/conv.0/conv.0.0/Conv``:
    the module path of the node's scope (each scope repeats its parent's name as a prefix)."""
    role = {1: "weight", 2: "bias"}.get(k) if node.op_type in ("Conv", "Gemm") else None
    scopes = node.name.strip("/").split("/")[:-1]
    if not role or not scopes:
        return ""
    path, previous = [], ""
    for scope in scopes:
        path.append(scope[len(previous) + 1:] if previous and scope.startswith(previous + ".")
                    else scope)
        previous = scope
    return ".".join([*path, role])


def _onnxruntime_output(data: bytes, x):
    """The model's output in onnxruntime, its warnings (a declared shape it disagrees with) kept
    off the terminal: the export compares shapes itself."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": x.numpy()})
    return got


def declared_output_shape(proto) -> tuple[int | str, ...]:
    """The output shape the graph declares (a symbolic dimension as its name)."""
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") else d.dim_param for d in dims)


def _declare_output_shape(proto, actual: tuple[int, ...]) -> bool:
    """Make the graph declare the output shape it really produces. torch's exporter writes the
    shapes ONNX's shape inference gives, and for a ceil-mode pool whose last window would start
    in the padding that rule differs from PyTorch's (kernel 15, stride 15, padding 7 on 32×32:
    declared 4×4, computed 3×3). The intermediate shapes come from the same rule, so they are
    dropped too. Returns whether anything was changed."""
    if declared_output_shape(proto) == actual:
        return False
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    del dims[:]
    for d in actual:
        dims.add().dim_value = d
    del proto.graph.value_info[:]
    return True
