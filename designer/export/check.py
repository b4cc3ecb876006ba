"""Every export is checked: the module built from the generated code must have the analysis's
parameter count, output shape and MACs (counted by forward hooks on conv and linear layers, bias
excluded, the same convention). A mismatch raises; a silent wrong file is never written."""
from __future__ import annotations

from dataclasses import dataclass

from designer.core.analysis import Analysis


@dataclass(frozen=True)
class CheckResult:
    params: int
    macs: int
    output_shape: tuple[int, ...]
    expected_params: int
    expected_macs: int
    expected_output_shape: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return (self.params == self.expected_params and self.macs == self.expected_macs
                and self.output_shape == self.expected_output_shape)

    def summary(self) -> str:
        def row(what, got, want):
            mark = "ok" if got == want else "MISMATCH"
            return f"{what:<13} PyTorch {got!s:>16}  ConvSketch {want!s:>16}  {mark}"
        return "\n".join([
            row("parameters", f"{self.params:,}", f"{self.expected_params:,}"),
            row("MACs", f"{self.macs:,}", f"{self.expected_macs:,}"),
            row("output shape", "×".join(map(str, self.output_shape)),
                "×".join(map(str, self.expected_output_shape)))])


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


def check_module(model, analysis: Analysis) -> CheckResult:
    import torch

    model.eval()
    x = torch.randn(1, *analysis.input_shape)
    macs, y = hook_macs(model, x)
    return CheckResult(sum(p.numel() for p in model.parameters()), macs, tuple(y.shape[1:]),
                       analysis.params, analysis.macs, tuple(analysis.output_shape))
