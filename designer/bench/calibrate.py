"""Measure this machine's device profile: short microbenchmarks of each layer kind in torch eager,
at the thread count asked for, fitted to the roofline of :mod:`designer.core.latency`.

Each kind is timed on a tiny tensor (what is left is its per-op overhead) and on a few shapes
met in MobileNets, ResNets, VGG and SqueezeNet. A compute kind's rate is the MACs of its shapes
over their time less the overhead (so the rate is what those shapes reach, not a peak); a
memory kind's rate is bytes over time the same way. The whole run takes 10–20 s. torch is
imported here only, and only when a calibration runs.
"""
from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable

from blocks import Layer
from designer.core.latency import KINDS, DeviceProfile, KindRate, layer_work

RUN_S, MAX_RUNS, MIN_RUNS = 0.2, 200, 5

# (kind, op, in channels, out channels, kernel, stride, size): a tiny case first for the overhead.
CASES = {
    "conv": [(8, 8, 3, 1, 4), (3, 32, 3, 2, 224), (64, 64, 3, 1, 56), (128, 128, 3, 1, 28),
             (256, 256, 3, 1, 14), (512, 512, 3, 1, 7)],
    "conv1x1": [(8, 8, 1, 1, 4), (32, 16, 1, 1, 112), (144, 24, 1, 1, 56), (24, 144, 1, 1, 56),
                (192, 32, 1, 1, 28), (384, 64, 1, 1, 14), (160, 960, 1, 1, 7)],
    "dwconv": [(8, 8, 3, 1, 4), (96, 96, 3, 2, 112), (144, 144, 3, 1, 56), (192, 192, 3, 1, 28),
               (384, 384, 3, 1, 14), (960, 960, 3, 1, 7)],
    "grouped": [(8, 8, 3, 1, 4), (64, 64, 3, 1, 56), (128, 128, 3, 1, 28)],
    "linear": [(8, 8, 1, 1, 1), (1280, 1000, 1, 1, 1), (512, 1000, 1, 1, 1), (4096, 1000, 1, 1, 1)],
    "bn": [(8, 8, 1, 1, 4), (32, 32, 1, 1, 112), (144, 144, 1, 1, 56), (960, 960, 1, 1, 7)],
    "act": [(8, 8, 1, 1, 4), (32, 32, 1, 1, 112), (144, 144, 1, 1, 56), (960, 960, 1, 1, 7)],
    "pool": [(8, 8, 3, 2, 4), (64, 64, 3, 2, 112), (64, 64, 2, 2, 224), (256, 256, 2, 2, 56)],
    "gap": [(8, 8, 1, 1, 4), (1280, 1280, 1, 1, 7), (512, 512, 1, 1, 14)],
    "add": [(8, 8, 1, 1, 4), (24, 24, 1, 1, 56), (64, 64, 1, 1, 56), (96, 96, 1, 1, 14)],
    "concat": [(8, 8, 1, 1, 4), (64, 64, 1, 1, 56), (128, 128, 1, 1, 28)],
    "view": [(8, 8, 1, 1, 4)],
}


def _case(kind: str, cin: int, cout: int, k: int, s: int, size: int):
    """(module, inputs, the Layer it is) for one case."""
    import torch
    from torch import nn

    pad = (k - 1) // 2
    out = (size + 2 * pad - k) // s + 1
    x = torch.randn(1, cin, size, size)
    if kind in ("conv", "conv1x1", "dwconv", "grouped"):
        groups = {"dwconv": cin, "grouped": 4}.get(kind, 1)
        m = nn.Conv2d(cin, cout, k, s, pad, groups=groups, bias=False)
        layer = Layer("conv", kind, ("in0",), ((cin, size, size),), (cout, out, out),
                      params=k * k * cin // groups * cout,
                      macs=k * k * cin // groups * cout * out * out,
                      attrs=(("kernel", k), ("groups", groups), ("in_channels", cin),
                             ("out_channels", cout)))
        return m, (x,), layer
    shape = (cin, size, size)
    if kind == "linear":
        m, x = nn.Linear(cin, cout), torch.randn(1, cin)
        return m, (x,), Layer("linear", kind, ("in0",), ((cin,),), (cout,), cin * cout + cout,
                              cin * cout)
    if kind == "bn":
        return nn.BatchNorm2d(cin).eval(), (x,), Layer("bn", kind, (), (shape,), shape, 2 * cin)
    if kind == "act":
        return nn.ReLU(inplace=True), (x,), Layer("act", kind, (), (shape,), shape, inplace=True)
    if kind == "pool":
        out = (size - k) // s + 1
        return nn.MaxPool2d(k, s), (x,), Layer("maxpool", kind, (), (shape,), (cin, out, out))
    if kind == "gap":
        return nn.AdaptiveAvgPool2d(1), (x,), Layer("gap", kind, (), (shape,), (cin, 1, 1))
    if kind == "add":
        y = torch.randn(1, cin, size, size)
        return (lambda a, b: a + b), (x, y), Layer("add", kind, (), (shape, shape), shape)
    if kind == "concat":
        y = torch.randn(1, cin, size, size)
        return ((lambda a, b: torch.cat([a, b], 1)), (x, y),
                Layer("concat", kind, (), (shape, shape), (2 * cin, size, size)))
    return nn.Flatten(), (x,), Layer("flatten", kind, (), (shape,), (cin * size * size,))


def time_us(fn: Callable[[], object]) -> float:
    """Microseconds of ``fn`` over about RUN_S seconds, after three warm-up runs: the lower
    quintile, not the median, so a spell in which other programs hold the cores (a 2-thread op
    then stalls for a scheduler slice, 20–30 ms) does not become the machine's rate."""
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < MIN_RUNS or (time.perf_counter() - start < RUN_S
                                    and len(times) < MAX_RUNS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e6)
    return statistics.quantiles(times, n=5)[0]


def calibrate(threads: int | None = None,
              on_progress: Callable[[float, str], None] | None = None) -> DeviceProfile:
    """Time every case and fit each kind's overhead and rate."""
    import torch

    from designer.bench.worker import settle_allocator
    from designer.core.machine import cpu_model

    if threads:
        torch.set_num_threads(threads)
    threads = torch.get_num_threads()
    settle_allocator()
    measured: dict[str, list[tuple[Layer, float]]] = {}
    total = sum(len(v) for v in CASES.values())
    done = 0
    with torch.inference_mode():
        for kind, cases in CASES.items():
            for case in cases:
                module, inputs, layer = _case(kind, *case)
                if hasattr(module, "eval"):
                    module.eval()
                measured.setdefault(kind, []).append(
                    (layer, time_us(lambda m=module, xs=inputs: m(*xs))))
                done += 1
                if on_progress:
                    on_progress(done / total, f"{kind} {case}")
    rates, fit = fit_rates(measured)
    return DeviceProfile(
        "this machine", tuple(rates.items()), True,
        f"calibrated by python -m designer calibrate ({threads} threads)", threads,
        torch.__version__, cpu_model(),
        datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        tuple(fit.items()))


COMPUTE_KINDS = ("conv", "conv1x1", "grouped")


def fit_rates(measured: dict[str, list[tuple[Layer, float]]]) -> tuple[dict[str, KindRate],
                                                                         dict[str, float]]:
    """Overhead from each kind's tiny case; then a compute kind's MACs/µs over its other cases,
    and a memory kind's bytes/µs. Compute kinds share the element-wise kinds' bandwidth (the
    best of bn, act and add), which bounds a conv whose tensors outweigh its MACs."""
    rates: dict[str, KindRate] = {}
    fit: dict[str, float] = {}
    for kind, runs in measured.items():
        overhead = runs[0][1]
        rest = runs[1:] or runs
        spent = sum(max(t - overhead, 0.05 * t) for _, t in rest)
        macs = sum(layer_work(la)[0] for la, _ in rest)
        nbytes = sum(layer_work(la)[1] for la, _ in rest)
        if kind in COMPUTE_KINDS:
            rates[kind] = KindRate(overhead, macs / spent, 0.0)
        elif kind == "view":
            rates[kind] = KindRate(overhead, 0.0, 1e12)
        else:
            rates[kind] = KindRate(overhead, 0.0, nbytes / spent)
    stream = max(rates[k].bytes_per_us for k in ("bn", "act", "add"))
    for kind in COMPUTE_KINDS:
        rates[kind] = rates[kind]._replace(bytes_per_us=stream)
    from designer.core.latency import layer_us
    probe = DeviceProfile("fit", tuple(rates.items()))
    for kind, runs in measured.items():
        errors = [abs(layer_us(la, probe) - t) / t for la, t in runs]
        fit[kind] = statistics.median(errors)
    return {k: rates[k] for k in KINDS}, fit
