"""Every export is checked: the module built from the generated code must have the analysis's
parameter count, output shape and MACs (counted by forward hooks on conv and linear layers, bias
excluded, the same convention), and compute what the design's own wiring computes: the blocks
are run one by one, each fed from the design's edges, with the module's own weights, and the
result must equal the module's output (a concat whose inputs the code swapped has the right
counts and shape, but not the right values). A mismatch raises; a silent wrong file is never
written. Checks run on one thread: they need correctness, not speed, and torch's default
threads stall on a busy machine (an export's check took 11–12 s there against 1.9 s)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from designer.core.analysis import Analysis
from designer.core.design import INPUT, Design

WIRING_TOLERANCE = 1e-4


@dataclass(frozen=True)
class CheckResult:
    params: int
    macs: int
    output_shape: tuple[int, ...]
    expected_params: int
    expected_macs: int
    expected_output_shape: tuple[int, ...]
    wiring_diff: float | None = None
    """Largest difference between the module's output and the design's own wiring run block by
    block (relative to the output's largest magnitude); None when not checked."""

    @property
    def wiring_ok(self) -> bool:
        return self.wiring_diff is None or self.wiring_diff <= WIRING_TOLERANCE

    @property
    def ok(self) -> bool:
        return (self.params == self.expected_params and self.macs == self.expected_macs
                and self.output_shape == self.expected_output_shape and self.wiring_ok)

    def summary(self) -> str:
        def row(what, got, want):
            mark = "ok" if got == want else "MISMATCH"
            return f"{what:<13} PyTorch {got!s:>16}  ConvSketch {want!s:>16}  {mark}"
        return "\n".join([
            row("parameters", f"{self.params:,}", f"{self.expected_params:,}"),
            row("MACs", f"{self.macs:,}", f"{self.expected_macs:,}"),
            row("output shape", "×".join(map(str, self.output_shape)),
                "×".join(map(str, self.expected_output_shape)))]
            + ([] if self.wiring_diff is None else [
                f"{'wiring':<13} the design's edges, block by block, give the module's output "
                f"(max relative |Δ| {self.wiring_diff:.1e})  "
                + ("ok" if self.wiring_ok else "MISMATCH: the code wires the blocks otherwise")]))


def hook_macs(model, x):
    """Multiply-accumulates of every Conv2d and Linear in one forward pass of ``x`` (batch 1),
    and the pass's output."""
    import torch
    from torch import nn

    total = 0

    def conv_hook(m, inputs, out):
        nonlocal total
        kh, kw = m.kernel_size
        total += out.numel() // out.shape[0] * (m.in_channels // m.groups) * kh * kw

    def linear_hook(m, inputs, out):
        nonlocal total
        total += out.numel() // out.shape[0] * m.in_features
    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    try:
        with torch.no_grad():
            y = model(x)
    finally:
        for h in handles:
            h.remove()
    return total, y


def measure_batchnorm(model, x) -> None:
    """Set every BatchNorm's running mean and variance to those of its input in one forward pass
    of ``x`` (eval mode, each layer seeing the ones before it already set), so that every layer
    passes on the input's signal. With PyTorch's default initialisation the signal of a deep net
    fades block by block (EfficientNet-B0's output changed by 1e-13 for a new input): comparing
    outputs (the wiring, onnxruntime against torch) would compare the classifier's biases."""
    import torch
    from torch import nn

    def measure(bn, inputs):
        x = inputs[0].detach()
        dims = [0, *range(2, x.dim())]
        if x.numel() // x.shape[1] > 1:
            bn.running_mean.copy_(x.mean(dims))
            bn.running_var.copy_(x.var(dims, unbiased=False))

    handles = [m.register_forward_pre_hook(measure) for m in model.modules()
               if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)) and m.track_running_stats]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()


def check_module(model, analysis: Analysis, design: Design | None = None) -> CheckResult:
    """The module's counts and output against the analysis, and, given the ``design``, its
    output against the design's wiring run block by block (:func:`wiring_difference`). The
    module's BatchNorm statistics are first measured on a random input
    (:func:`measure_batchnorm`), so that its output depends on every block."""
    import torch

    with one_thread():
        model.eval()
        measure_batchnorm(model, torch.randn(1, *analysis.input_shape))
        x = torch.randn(1, *analysis.input_shape)
        macs, y = hook_macs(model, x)
        diff = None if design is None else wiring_difference(model, design, analysis, x, y)
    return CheckResult(sum(p.numel() for p in model.parameters()), macs, tuple(y.shape[1:]),
                       analysis.params, analysis.macs, tuple(analysis.output_shape), diff)


def wiring_difference(model, design: Design, analysis: Analysis, x, y) -> float:
    """Run each block module of ``model`` (its attribute named after the block) on the outputs
    its incoming edges name, in the design's execution order, and return the largest difference
    from ``y`` (the module's own output), relative to ``y``'s largest magnitude."""
    import torch

    from .pytorch import attribute_names

    attrs = attribute_names(analysis)
    incoming: dict[str, list] = {}
    for e in design.edges:
        incoming.setdefault(e.dst, []).append(e)
    outputs = {INPUT: x}
    with torch.no_grad():
        for b in analysis.blocks:
            args = [outputs[e.src] for e in sorted(incoming.get(b.node_id, []),
                                                   key=lambda e: e.port)]
            outputs[b.node_id] = getattr(model, attrs[b.node_id])(*args)
    consumed = {e.src for e in design.edges}
    (sink,) = [b.node_id for b in analysis.blocks if b.node_id not in consumed]
    got = outputs[sink]
    if got.shape != y.shape:
        return float("inf")
    scale = max(float(y.abs().max()), 1e-12)
    return float((got - y).abs().max()) / scale


_threads_lock = threading.Lock()
_threads_users = 0
_threads_saved = 0


@contextmanager
def one_thread():
    """torch on one intra-op thread for the block (nested and concurrent uses share it; the
    count is restored when the last one ends)."""
    import torch

    global _threads_users, _threads_saved
    with _threads_lock:
        if _threads_users == 0:
            _threads_saved = torch.get_num_threads()
            torch.set_num_threads(1)
        _threads_users += 1
    try:
        yield
    finally:
        with _threads_lock:
            _threads_users -= 1
            if _threads_users == 0:
                torch.set_num_threads(_threads_saved)
