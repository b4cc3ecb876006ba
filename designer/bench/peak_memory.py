"""The peak activation memory of one eager run, measured: on the CPU from the torch profiler's
memory records, on CUDA from the allocator's statistics.

The profiler gives each op the net bytes it allocated itself (``self_cpu_memory_usage``). An op
that allocates a scratch tensor frees it before it returns, after its children ran (max pooling
frees its int64 indices once ``max_pool2d_with_indices`` is done), so allocations count at an
op's start and frees at its end; ordering both by start would hide such a scratch tensor. The
input tensor was allocated before the run and is held by the caller throughout: it is added.
Weights are not activations and are not counted.
"""
from __future__ import annotations


def eager_peak_bytes(run, inputs, device: str = "cpu") -> int:
    """Peak bytes of activations while ``run()`` executes once (inputs included)."""
    import torch

    held = sum(t.numel() * t.element_size() for t in inputs)
    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
        run()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - before + held
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        run()
    changes = sorted((e.time_range.start if e.self_cpu_memory_usage > 0 else e.time_range.end,
                      e.self_cpu_memory_usage)
                     for e in prof.events() if e.self_cpu_memory_usage)
    live = peak = 0
    for _, delta in changes:
        live += delta
        peak = max(peak, live)
    return peak + held
