"""Measure this machine's device profile: short microbenchmarks of each layer kind in torch eager,
at the thread count asked for, fitted to the model of :mod:`designer.core.latency`.

Each kind is timed on a tiny tensor (what is left is its per-op overhead) and on a few shapes
met in MobileNets, ResNets, VGG and SqueezeNet. A memory kind's rate is bytes over time less
the overhead; a convolution kind's arithmetic rate and weight rate come from a least-squares fit
of ``time - overhead = MACs / rate + weight bytes / weight rate`` over its shapes (the shapes
run from weight-light 56×56 layers to weight-heavy 7×7 ones, so the two are told apart). Then a
synthetic staged network (not a preset) is timed whole and layer by layer at two sizes, its
dense convs also inside it: the network factors and the glue follow (:func:`network_terms`).
The whole run takes 20–30 s, a third of it the reference network in three fresh processes
(:mod:`designer.bench.reference_runs`). torch is imported here only, and only when a
calibration runs.
"""
from __future__ import annotations

import dataclasses
import datetime
import statistics
import time
from collections.abc import Callable
from typing import NamedTuple

from blocks import Layer, numel
from designer.core.latency import KINDS, DeviceProfile, KindRate, layer_work
from designer.core.units import plural

RUN_S, MAX_RUNS, MIN_RUNS, ROUNDS = 0.12, 200, 5, 2

# (kind, op, in channels, out channels, kernel, stride, size): a tiny case first for the overhead.
CASES = {
    "conv": [(8, 8, 3, 1, 4), (64, 128, 3, 2, 56), (64, 64, 3, 1, 56), (128, 128, 3, 1, 28),
             (256, 256, 3, 1, 14), (512, 512, 3, 1, 7), (512, 512, 3, 1, 14),
             (256, 512, 3, 2, 14)],
    "conv_stem": [(3, 8, 3, 1, 4), (3, 16, 3, 2, 224), (3, 32, 3, 2, 224), (3, 24, 3, 2, 112),
                  (3, 64, 3, 1, 112), (3, 64, 7, 2, 224), (3, 96, 11, 4, 224)],
    "conv1x1": [(8, 8, 1, 1, 4), (32, 16, 1, 1, 112), (144, 24, 1, 1, 56), (24, 144, 1, 1, 56),
                (192, 32, 1, 1, 28), (384, 64, 1, 1, 14), (160, 960, 1, 1, 7),
                (1024, 1024, 1, 1, 7), (256, 512, 1, 2, 28)],
    "dwconv": [(8, 8, 3, 1, 4), (96, 96, 3, 2, 112), (144, 144, 3, 1, 56), (192, 192, 3, 1, 28),
               (384, 384, 3, 1, 14), (960, 960, 3, 1, 7)],
    "grouped": [(8, 8, 3, 1, 4), (64, 64, 3, 1, 56), (128, 128, 3, 1, 28)],
    "linear": [(8, 8, 1, 1, 1), (1280, 1000, 1, 1, 1), (512, 1000, 1, 1, 1), (4096, 1000, 1, 1, 1)],
    "bn": [(8, 8, 1, 1, 4), (32, 32, 1, 1, 112), (144, 144, 1, 1, 56), (960, 960, 1, 1, 7)],
    "act": [(8, 8, 1, 1, 4), (32, 32, 1, 1, 112), (144, 144, 1, 1, 56), (960, 960, 1, 1, 7)],
    "act_hard": [(8, 8, 1, 1, 4), (16, 16, 1, 1, 112), (240, 240, 1, 1, 28), (960, 960, 1, 1, 7)],
    "act_exp": [(8, 8, 1, 1, 4), (32, 32, 1, 1, 112), (240, 240, 1, 1, 28), (1152, 1152, 1, 1, 7)],
    "mul": [(8, 8, 1, 1, 4), (144, 144, 1, 1, 56), (240, 240, 1, 1, 28), (960, 960, 1, 1, 7)],
    "pool": [(8, 8, 3, 2, 4), (64, 64, 3, 2, 112), (64, 64, 2, 2, 224), (256, 256, 2, 2, 56),
             (192, 192, 3, 1, 28), (512, 512, 2, 2, 14), (480, 480, 3, 2, 28)],
    "gap": [(8, 8, 1, 1, 4), (1280, 1280, 1, 1, 7), (512, 512, 1, 1, 14)],
    "add": [(8, 8, 1, 1, 4), (24, 24, 1, 1, 56), (64, 64, 1, 1, 56), (96, 96, 1, 1, 14)],
    "concat": [(8, 8, 1, 1, 4), (64, 64, 1, 1, 56), (128, 128, 1, 1, 28)],
    "view": [(8, 8, 1, 1, 4)],
}


CONV_CASES = ("conv", "conv_stem", "conv1x1", "dwconv", "grouped")

ACTIVATION_CASES = {"act": "relu", "act_hard": "hardswish", "act_exp": "swish"}
"""The activation each activation kind is timed with (see latency.ACTIVATION_KINDS)."""


def case_layer(kind: str, cin: int, cout: int, k: int, s: int, size: int) -> Layer:
    """The Layer one case is, as the analysis would describe it (no torch needed)."""
    shape = (cin, size, size)
    if kind in CONV_CASES:
        groups = {"dwconv": cin, "grouped": 4}.get(kind, 1)
        out = (size + 2 * ((k - 1) // 2) - k) // s + 1
        weights = k * k * cin // groups * cout
        return Layer("conv", kind, ("in0",), (shape,), (cout, out, out), params=weights,
                     macs=weights * out * out,
                     attrs=(("kernel", k), ("stride", s), ("groups", groups),
                            ("in_channels", cin), ("out_channels", cout)))
    if kind == "linear":
        return Layer("linear", kind, ("in0",), ((cin,),), (cout,), cin * cout + cout, cin * cout)
    if kind == "pool":
        out = (size - k) // s + 1
        return Layer("maxpool", kind, ("in0",), (shape,), (cin, out, out),
                     other_ops=k * k * cin * out * out)
    two = ("in0", "in1")
    if kind in ACTIVATION_CASES:
        return Layer("act", kind, ("in0",), (shape,), shape, inplace=True,
                     attrs=(("function", ACTIVATION_CASES[kind]),))
    return {"bn": Layer("bn", kind, ("in0",), (shape,), shape, 2 * cin),
            "mul": Layer("mul", kind, two, (shape, (cin, 1, 1)), shape),
            "gap": Layer("gap", kind, ("in0",), (shape,), (cin, 1, 1)),
            "add": Layer("add", kind, two, (shape, shape), shape),
            "concat": Layer("concat", kind, two, (shape, shape), (2 * cin, size, size)),
            }.get(kind, Layer("flatten", kind, ("in0",), (shape,), (cin * size * size,)))


def _case(kind: str, cin: int, cout: int, k: int, s: int, size: int):
    """(callable, its inputs, the Layer it is) for one case."""
    import torch
    from torch import nn

    layer = case_layer(kind, cin, cout, k, s, size)
    x = torch.randn(1, *layer.inputs[0])
    y = torch.randn(1, *layer.inputs[-1])
    if kind in CONV_CASES:
        m = nn.Conv2d(cin, cout, k, s, (k - 1) // 2, groups=layer.attr("groups"), bias=False)
    else:
        m = {"linear": lambda: nn.Linear(cin, cout), "bn": lambda: nn.BatchNorm2d(cin),
             "act": lambda: nn.ReLU(inplace=True), "act_hard": lambda: nn.Hardswish(inplace=True),
             "act_exp": lambda: nn.SiLU(inplace=True), "mul": lambda: (lambda a, b: a * b),
             "pool": lambda: nn.MaxPool2d(k, s),
             "gap": lambda: nn.AdaptiveAvgPool2d(1), "add": lambda: (lambda a, b: a + b),
             "concat": lambda: (lambda a, b: torch.cat([a, b], 1)),
             }.get(kind, nn.Flatten)()
    return m, ((x, y) if len(layer.inputs) == 2 else (x,)), layer


def time_us(fn: Callable[[], object]) -> float:
    """Microseconds of ``fn``: the fastest of its runs over about RUN_S seconds, after three
    warm-up runs. On a shared machine a run longer than a scheduler slice is stretched by every
    other program holding the cores while a few-microsecond one is not, so medians would set
    long ops' rates by the load of the moment; the fastest run is what the layer costs with a
    core to itself (on a quiet machine within a few per cent of the median)."""
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < MIN_RUNS or (time.perf_counter() - start < RUN_S
                                    and len(times) < MAX_RUNS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e6)
    return min(times)


REFERENCE_SIZES = (224, 64)


def reference_design(size: int = REFERENCE_SIZES[0]):
    """The synthetic network whose measured times set the profile's network factor and glue: no
    preset, but built as image classifiers are, in stages that halve the resolution and widen
    the channels, from every common block kind (conv, pooling, inverted residual, separable,
    fire, basic block, global pooling, linear), at ``size``×``size``."""
    from designer.core.builder import Builder

    b = Builder("calibration reference", (3, size, size))
    b.add("conv", "stem", out_channels=32, stride=2)
    b.add("ir", "ir1", out_channels=16, expansion=1)
    b.add("ir", "ir2", out_channels=24, stride=2)
    b.add("sepconv", "sep3", out_channels=48)
    b.add("maxpool", "pool4", kernel=3, stride=2, padding=1)
    b.add("fire", "fire5", squeeze=16, expand1x1=48, expand3x3=48)
    b.add("basic", "res6", planes=96)
    b.add("ir", "ir7", out_channels=128, stride=2)
    b.add("conv", "conv8", out_channels=192)
    b.add("sepconv", "sep9", out_channels=256, stride=2)
    b.add("conv", "conv10", out_channels=512, kernel=1)
    b.add("gap", "gap")
    b.add("linear", "fc", out_features=100)
    return b.build()


class ReferenceTimes(NamedTuple):
    """The reference network at one size, in ms: ``whole``; ``alone``, the sum of its layers
    each timed alone; ``pools`` and ``convs``, its pooling and dense K×K convs' shares of that
    sum; and its dense convs timed inside the network (``convs_inside``, by hooks) against
    alone at the same moments (``convs_timed``), whose ratio is the profile's conv factor; and
    ``hollow``, the network run with every layer's work taken out less those hollow layers
    called alone: what the network's Python costs around its layers (see :func:`hollow_ms`)."""

    whole: float
    alone: float
    pools: float = 0.0
    convs: float = 0.0
    convs_inside: float = 0.0
    convs_timed: float = 0.0
    hollow: float = 0.0


def time_reference(threads: int | None = None) -> tuple[ReferenceTimes, ...]:
    """The reference network at each of REFERENCE_SIZES, in torch eager: whole, and its layers
    each timed alone on its own input as the microbenchmarks time a layer (called three times in
    a row, so input and weights are as warm as there, keeping the fastest). For about a second
    a size, rounds of one whole run then every layer alone alternate; the round whose
    difference is the median is returned. Like is compared with like, moments apart: a sum of
    each layer's luckiest run over the whole second against the whole's luckiest would count
    the load of a shared machine as glue. Then a few runs with timing hooks on the dense convs
    give their time inside the network. With one thread all is read on the thread's CPU clock,
    as the time spent waiting for a core is no cost of the network."""
    import torch

    from designer.bench.worker import settle_allocator

    if threads:
        torch.set_num_threads(threads)
    settle_allocator()
    clock = time.thread_time if torch.get_num_threads() == 1 else time.perf_counter
    return tuple(_time_whole_and_alone(reference_design(size), clock)
                 for size in REFERENCE_SIZES)


def _is_dense_conv(m) -> bool:
    import torch

    return (isinstance(m, torch.nn.Conv2d) and m.groups == 1
            and tuple(m.kernel_size) != (1, 1))


def _best_of_three(m, args, clock) -> float:
    best = float("inf")
    for _ in range(3):
        t = clock()
        m(*args)
        best = min(best, clock() - t)
    return best * 1e3


def _time_whole_and_alone(design, clock) -> ReferenceTimes:
    import torch

    from designer.core.analysis import analyze
    from designer.export.pytorch import build_module

    model = build_module(design).eval()
    x = torch.randn(1, *analyze(design).input_shape)
    leaves = [m for m in model.modules() if not list(m.children())]
    convs = [m for m in leaves if _is_dense_conv(m)]
    pools = [m for m in leaves if isinstance(m, (torch.nn.MaxPool2d, torch.nn.AvgPool2d))]
    inputs: dict[int, tuple] = {}
    hooks = [m.register_forward_pre_hook(
        lambda m, args: inputs.setdefault(id(m), tuple(a.clone() for a in args)))
        for m in leaves]
    rounds: list[tuple[float, ...]] = []
    with torch.inference_mode():
        model(x)
        for h in hooks:
            h.remove()
        for _ in range(3):
            model(x)
        start = time.perf_counter()
        while len(rounds) < 5 or (time.perf_counter() - start < 1.0 and len(rounds) < 50):
            t = clock()
            model(x)
            whole = (clock() - t) * 1e3
            alone = {id(m): _best_of_three(m, inputs[id(m)], clock) for m in leaves}
            rounds.append((whole, sum(alone.values()), sum(alone[id(m)] for m in pools),
                           sum(alone[id(m)] for m in convs)))
        inside, timed = _time_inside(model, x, convs, inputs, clock)
        hollow = hollow_ms(model, x, leaves, inputs, clock)
    rounds.sort(key=lambda r: r[0] - r[1])
    return ReferenceTimes(*rounds[len(rounds) // 2], inside, timed, hollow)


def _returning(out):
    """A forward that hands back ``out`` whatever it is called with."""
    return lambda *args, **kwargs: out


def hollow_ms(model, x, leaves, inputs, clock, runs: int = 30) -> float:
    """The glue measured directly: every leaf module's ``forward`` is replaced by one that
    returns the output it computed before, and the network run so (its fastest of ``runs``)
    less each hollow leaf called alone (its fastest of three). What is left is what running
    inside the network adds to each layer's call whatever its size: the containers' calls, the
    blocks' Python, the functional adds and concatenations on their (here small) tensors.
    Fitting it with the network factor from two sizes left it ill-determined: three
    calibrations minutes apart gave 2, 8 and 31 µs a layer on a busy machine."""
    outputs: dict[int, object] = {}
    hooks = [m.register_forward_hook(lambda m, a, o: outputs.setdefault(id(m), o))
             for m in leaves]
    model(x)
    for h in hooks:
        h.remove()
    for m in leaves:
        m.forward = _returning(outputs[id(m)])
    try:
        best = float("inf")
        for _ in range(runs):
            t = clock()
            model(x)
            best = min(best, clock() - t)
        alone = sum(_best_of_three(m, inputs[id(m)], clock) for m in leaves)
    finally:
        for m in leaves:
            del m.forward
    return max(best * 1e3 - alone, 0.0)


def _time_inside(model, x, convs, inputs, clock, runs: int = 7) -> tuple[float, float]:
    """The dense convs' summed time inside ``runs`` network runs (each conv its median, read by
    hooks around it) and alone (each its fastest of three calls after each run), in ms."""
    started: dict[int, float] = {}
    inside: dict[int, list[float]] = {id(m): [] for m in convs}
    alone: dict[int, list[float]] = {id(m): [] for m in convs}
    hooks = [h for m in convs for h in (
        m.register_forward_pre_hook(lambda m, a: started.__setitem__(id(m), clock())),
        m.register_forward_hook(lambda m, a, o: inside[id(m)].append(clock() - started[id(m)])))]
    try:
        for _ in range(runs):
            model(x)
            for m in convs:
                alone[id(m)].append(_best_of_three(m.forward, inputs[id(m)], clock))
    finally:
        for h in hooks:
            h.remove()
    return (sum(statistics.median(v) for v in inside.values()) * 1e3,
            sum(statistics.median(v) for v in alone.values()))


FRESH_CASE_BYTES = 64 << 20


def time_fresh_pages() -> tuple[float, float]:
    """Microseconds to fill FRESH_CASE_BYTES of newly allocated memory, and to fill the same
    amount of memory already held: the difference is the cost of fresh pages (see
    :func:`designer.core.latency.fresh_us`)."""
    import torch

    held = torch.empty(FRESH_CASE_BYTES, dtype=torch.uint8)
    return (time_us(lambda: torch.empty(FRESH_CASE_BYTES, dtype=torch.uint8).fill_(1)),
            time_us(lambda: held.fill_(1)))


def fresh_rate(times: tuple[float, float]) -> float:
    """Bytes a µs at which fresh pages come in; 0 (none) when fresh memory costs no more."""
    fresh, held = times
    return FRESH_CASE_BYTES / (fresh - held) if fresh > held else 0.0


def measure_cases(threads: int | None = None,
                  on_progress: Callable[[float, str], None] | None = None
                  ) -> tuple[dict[str, list[tuple[Layer, float]]], int]:
    """Every case's Layer and time in µs, by kind; and the thread count used. The sweep runs
    ROUNDS times and each case keeps its fastest: on a shared machine another program may hold
    the cores through one case's whole slot, seldom through two slots seconds apart."""
    import torch

    from designer.bench.worker import settle_allocator

    if threads:
        torch.set_num_threads(threads)
    settle_allocator()
    built = {kind: [_case(kind, *case) for case in cases] for kind, cases in CASES.items()}
    best = {kind: [float("inf")] * len(cases) for kind, cases in CASES.items()}
    total = ROUNDS * sum(len(v) for v in CASES.values())
    done = 0
    with torch.inference_mode():
        for _ in range(ROUNDS):
            for kind, cases in built.items():
                for i, (module, inputs, _layer) in enumerate(cases):
                    if hasattr(module, "eval"):
                        module.eval()
                    best[kind][i] = min(best[kind][i],
                                        time_us(lambda m=module, xs=inputs: m(*xs)))
                    done += 1
                    if on_progress:
                        on_progress(done / total, f"{kind} {CASES[kind][i]}")
    return ({kind: [(layer, t) for (_m, _x, layer), t in zip(built[kind], best[kind])]
             for kind in built}, torch.get_num_threads())


def calibrate(threads: int | None = None,
              on_progress: Callable[[float, str], None] | None = None) -> DeviceProfile:
    """Time every case and fit each kind's overhead and rate."""
    import torch

    from designer.bench.reference_runs import time_reference_fresh
    from designer.core.machine import cpu_model

    measured, threads = measure_cases(threads, on_progress)
    return dataclasses.replace(
        profile_from_cases(measured, threads, torch.__version__, cpu_model(),
                           time_reference_fresh(threads)),
        fresh_bytes_per_us=fresh_rate(time_fresh_pages()))


def profile_from_cases(measured: dict[str, list[tuple[Layer, float]]], threads: int,
                       torch_version: str, cpu: str,
                       reference: tuple[tuple[float, ...], ...] | None) -> DeviceProfile:
    """The fitted profile; with the reference network's times (:class:`ReferenceTimes` at each
    of REFERENCE_SIZES, or their leading figures), its network factors and glue."""
    rates, fit = fit_rates(measured)
    profile = DeviceProfile(
        "this machine", tuple(rates.items()), True,
        f"calibrated by python -m designer calibrate ({plural(threads, 'thread')})", threads,
        torch_version, cpu,
        datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        tuple(fit.items()))
    if reference is None:
        return profile
    terms = network_terms(reference)
    return dataclasses.replace(profile, network_factor=terms.factor, glue_us=terms.glue_us,
                               conv_factor=terms.conv_factor)


class NetworkTerms(NamedTuple):
    factor: float
    glue_us: float
    conv_factor: float | None = None


def network_terms(reference: tuple[tuple[float, ...], ...]) -> NetworkTerms:
    """The network factors and the glue (µs a layer) that make the reference network's whole
    time at both sizes from its layers' times alone (:class:`ReferenceTimes`; older records
    hold only the first two or three figures):
    ``whole = pools + conv_factor · convs + factor · (alone − pools − convs) + glue · layers``.
    Pools are left out of the factors (:data:`latency.UNFACTORED`); the dense convs' factor is
    their time inside the network over their time alone, both sizes pooled
    (:data:`latency.CONV_FACTOR_KINDS`), and the factor and glue are fitted on the rest.

    Timed one at a time, a layer leaves out what running inside a network adds. Part of it
    comes with every layer, whatever its size: the module's call through the containers above
    it, the Python of a block's ``forward``, an output freed and the next allocated (the
    glue). Part grows with the work: a microbenchmark runs a layer again and again on data its
    caches hold, a network hands each layer data the previous one left, and weights another
    layer pushed out (the factor; on a shared machine, whose other programs evict a long run's
    caches, it is higher). The glue is measured by running the network hollow (``hollow``, the
    smaller of the sizes' figures): the factor is then what is left over what the layers took
    alone, both sizes pooled. Records without it fit both from the two sizes (a glue below zero
    taken as none, the factor then being the whole over the alone). The layers' estimates play
    no part, so the model's errors on the reference do not leak in."""
    from designer.core.analysis import analyze

    rows = [ReferenceTimes(*r) for r in reference]
    timed = sum(r.convs_timed for r in rows)
    conv_factor = sum(r.convs_inside for r in rows) / timed if timed > 0 else None
    rest = [(r.whole - r.pools - (conv_factor or 0.0) * r.convs,
             r.alone - r.pools - (r.convs if conv_factor else 0.0)) for r in rows]
    layers = sum(len(b.layers) for b in analyze(reference_design()).blocks)
    hollow = [r.hollow for r in rows if r.hollow > 0]
    if hollow:
        glue_ms = min(hollow)
        factor = sum(w - glue_ms for w, _ in rest) / sum(a for _, a in rest)
        if factor > 0:
            return NetworkTerms(factor, glue_ms * 1e3 / layers, conv_factor)
    (w1, a1), (w2, a2) = rest
    factor = (w1 - w2) / (a1 - a2) if a1 != a2 else w1 / a1
    glue = (w2 - factor * a2) * 1e3 / layers
    if factor <= 0 or glue < 0:
        return NetworkTerms((w1 + w2) / (a1 + a2), 0.0, conv_factor)
    return NetworkTerms(factor, glue, conv_factor)


COMPUTE_KINDS = ("conv", "conv_stem", "conv1x1", "grouped", "pool")
OUTPUT_KINDS = ("conv_stem", "pool")
WEIGHT_KINDS = ("conv", "conv1x1", "grouped")


def _two_term_fit(xs: list[tuple[float, float]], ts: list[float]) -> tuple[float, float]:
    """Least squares of ``t = a·x1 + b·x2`` in relative error (each case weighted by 1/t, so a
    long case does not outvote the short ones), a and b ≥ 0; returns (a, b)."""
    rows = [(x1 / t, x2 / t) for (x1, x2), t in zip(xs, ts)]
    s11 = sum(r[0] * r[0] for r in rows)
    s22 = sum(r[1] * r[1] for r in rows)
    s12 = sum(r[0] * r[1] for r in rows)
    y1, y2 = sum(r[0] for r in rows), sum(r[1] for r in rows)
    det = s11 * s22 - s12 * s12
    if det > 1e-12 * s11 * s22:
        a, b = (y1 * s22 - y2 * s12) / det, (y2 * s11 - y1 * s12) / det
        if a > 0 and b >= 0:
            return a, b
    return (y1 / s11 if s11 else 0.0), 0.0


def fit_rates(measured: dict[str, list[tuple[Layer, float]]]) -> tuple[dict[str, KindRate],
                                                                         dict[str, float]]:
    """Overhead from each kind's tiny case; then a memory kind's bytes/µs over its other cases;
    a conv kind's MACs/µs and weight bytes/µs, and a stem conv's MACs/µs and pooling's window
    elements/µs, each with its output elements/µs, by :func:`_two_term_fit`. Compute kinds share the element-wise kinds' bandwidth (the best of bn, act
    and add), which bounds a conv whose tensors outweigh its MACs."""
    rates: dict[str, KindRate] = {}
    fit: dict[str, float] = {}
    for kind, runs in measured.items():
        overhead = runs[0][1]
        rest = runs[1:] or runs
        spent = [max(t - overhead, 0.05 * t) for _, t in rest]
        if kind in WEIGHT_KINDS:
            a, b = _two_term_fit([(layer_work(la)[0], la.params * 4) for la, _ in rest], spent)
            rates[kind] = KindRate(overhead, 1 / a, 0.0, 1 / b if b else 0.0)
        elif kind in OUTPUT_KINDS:
            a, b = _two_term_fit([(layer_work(la)[0], numel(la.output)) for la, _ in rest], spent)
            rates[kind] = KindRate(overhead, 1 / a, 0.0, 0.0, 1 / b if b else 0.0)
        elif kind == "view":
            rates[kind] = KindRate(overhead, 0.0, 1e12)
        else:
            rates[kind] = KindRate(overhead, 0.0, sum(layer_work(la)[1] for la, _ in rest)
                                   / sum(spent))
    stream = max(rates[k].bytes_per_us for k in ("bn", "act", "add"))
    for kind in COMPUTE_KINDS:
        rates[kind] = rates[kind]._replace(bytes_per_us=stream)
    from designer.core.latency import layer_us
    probe = DeviceProfile("fit", tuple(rates.items()))
    for kind, runs in measured.items():
        errors = [abs(layer_us(la, probe) - t) / t for la, t in runs]
        fit[kind] = statistics.median(errors)
    return {k: rates[k] for k in KINDS}, fit
