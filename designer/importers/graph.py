"""The neutral op graph both front ends produce and the recogniser reads: no torch, no onnx.

Op types are ONNX's names (``Conv``, ``BatchNormalization``, ``Relu``, ``Clip``, ``Gemm`` ...),
whatever the source, with attributes already made plain (a convolution's kernel, stride, pads,
groups and channel counts read from its weight), so the recogniser is written once.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ImportRefused(Exception):
    """The model cannot be imported faithfully; the message says what and where."""


class ImportCancelled(ImportRefused):
    """The user stopped the import before it finished."""


@dataclass
class Op:
    """One operation. ``inputs``/``outputs`` name data tensors only (weights are summarised in
    ``attrs``). ``name`` is how the file calls the node (shown in errors); ``path`` is the dotted
    module path it came from (``layer1.0.conv1``), or "" when the file does not say."""

    type: str
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attrs: dict = field(default_factory=dict)
    path: str = ""

    @property
    def output(self) -> str:
        return self.outputs[0]


@dataclass
class OpGraph:
    """A model as ops in execution order, from one image input to one output.

    ``input_shape`` is C×H×W with ``None`` where the file leaves a dimension open; ``shapes``
    holds the shapes (batch dropped) the file or a trace knows, to check the design against.
    """

    source: str
    input: str
    input_shape: tuple[int | None, ...]
    output: str
    ops: list[Op]
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    format: str = "onnx"


def legacy_onnx_path(node_name: str) -> str:
    """The module path in a TorchScript-exported node name: ``/layer1/layer1.0/d/d.0/Conv`` ->
    ``layer1.0.d.0`` (each scope is either a child's name or a full path extending the last)."""
    parts = node_name.strip("/").split("/")[:-1]
    path, last = "", ""
    for part in parts:
        if last and part.startswith(last + "."):
            path = path[:len(path) - len(last)] + part
        else:
            path = f"{path}.{part}" if path else part
        last = part
    return path
