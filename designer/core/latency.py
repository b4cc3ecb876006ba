"""A roofline estimate of eager-PyTorch latency, per layer, per block and for the whole model.

MACs are not speed: a depthwise conv does few MACs per byte it moves, a 1×1 conv runs as a GEMM
near the machine's peak, and every op, however small, pays the framework's dispatch. So each
primitive layer costs, as a microbenchmark times it alone,

    overhead(kind) + max(ops / compute_rate(kind), bytes / bandwidth(kind))
                   + weight bytes / weight rate (convolutions: oneDNN copies them each call)
                   + output elements / output rate (pooling)
                   + fresh bytes / fresh-page rate (memory of 32 MiB or more, see fresh_us)

where ``kind`` is the layer's class (see :func:`layer_kind`), ``bytes`` are the fp32 input,
output and weight bytes it touches, and the rates come from a :class:`DeviceProfile` (measured by
``python -m designer calibrate``, or derived from datasheet figures and labelled uncalibrated,
:func:`datasheet_rates`). Element-wise layers have no compute rate: they are memory-bound by
construction. Timing runs in fp32 whatever the design's activation dtype, so the estimate
counts 4 bytes an element.

A block costs ``Σ factor(kind) × layer + glue_us × layers``, where the factor is the profile's
``network_factor`` for most kinds, its ``conv_factor`` for dense K×K convolutions and 1 for
pooling (see UNFACTORED and :meth:`DeviceProfile.factor`); the model the sum of its valid
blocks. Both terms are what microbenchmarks of single layers miss when a network runs: the glue
comes with every layer whatever its size (module calls, a block's Python, outputs freed and
allocated), the factor grows with the work (a network's layers find their data less warm in
the caches than a layer run again and again). Calibration measures both on a synthetic network
(not a preset): the glue by running it hollow, each layer handing back its output without
computing it; the factors from it timed whole and layer by layer at two sizes
(:func:`designer.bench.calibrate.network_terms`); a datasheet profile has neither. Stem convs
(:data:`STEM_CHANNELS`) are a kind of their own since model 6. Estimating
MobileNetV2 costs well under a millisecond (``benchmarks/bench_estimate.py``): each block's
figure is cached by block, input shapes, batch and profile, as the analysis caches its own.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from blocks import Block, Layer, Shape, numel

from .atomic import write_atomically
from .machine import cpu_model, torch_version
from .settings_folder import folder

KINDS = {
    "conv": "dense K×K convolution (K > 1)",
    "conv_stem": "dense K×K convolution on an image's few channels (≤ 4 in)",
    "conv1x1": "1×1 convolution (a GEMM)",
    "dwconv": "depthwise convolution (groups = channels)",
    "grouped": "grouped convolution (1 < groups < channels)",
    "linear": "fully connected layer",
    "bn": "BatchNorm (inference)",
    "act": "ReLU or ReLU6 (in place)",
    "act_hard": "hard-swish or hard-sigmoid (in place, piecewise linear)",
    "act_exp": "sigmoid or swish (in place, an exponential an element)",
    "mul": "channel-wise multiply (squeeze-and-excitation's scale)",
    "pool": "max or average pooling",
    "gap": "global average pooling",
    "add": "element-wise add",
    "concat": "channel concatenation",
    "view": "flatten, channel split, dropout at inference (no data moved)",
}
FP32_BYTES = 4
MODEL = 6
STEM_CHANNELS = 4
"""A dense K×K conv with this many input channels or fewer (an RGB or RGBA image, a grey one) is
timed as ``conv_stem``: its reduction per output is K²·3, too short to fill the vector lanes
oneDNN's kernels run along input channels, and it writes a large map for few MACs. On this
machine a 3→32 3×3 stride-2 conv at 224 runs at about half the MAC rate of the dense convs that
follow it, and VGG16's 3→64 3×3 at 224 at a fifth; model 5 timed stems as dense convs and
underestimated every preset's first block by 1.5–4.7×. A stem's rates come from stems of its
own (3×3, 7×7 and 11×11, stride 1 to 4): overhead, MACs and output elements, as pooling."""
UNFACTORED = ("pool",)
"""Kinds the network factor leaves out: a max or average pool is window arithmetic on the map
the layer before it has just written, as warm inside a network as when timed alone (1.03× in
the calibration network, where the other kinds took 1.1–2×). Model 3 scaled pools by the
factor too, and over-estimated a network of many pools (GoogLeNet's thirteen) by a quarter."""
ACTIVATION_KINDS = {"hardswish": "act_hard", "hardsigmoid": "act_hard", "sigmoid": "act_exp",
                    "swish": "act_exp"}
"""Activations by what they cost an element: ReLU and ReLU6 are a compare, the hard ones a few
compares and a multiply, sigmoid and swish an exponential (on this machine's torch, 3× ReLU on
a tensor that fits in cache). Model 2 timed them all as ReLU, and underestimated EfficientNet
(swish) and MobileNetV3 (hard-swish) by a quarter to a third."""
CONV_FACTOR_KINDS = ("conv", "conv_stem")
"""Kinds that take the profile's ``conv_factor`` rather than its ``network_factor``: a dense
K×K convolution is one long compute-bound oneDNN call, whose time inside a network is close to
what a microbenchmark times (1.11–1.15× in the calibration network and in ResNet-18, measured
with hooks, CPU time, allocator settled), while a depthwise or 1×1 conv, BatchNorm or an
activation, short and bound by memory, finds its data less warm (1.2–1.5×). Model 4 scaled
both by one factor fitted mostly on the second kind, and over-estimated networks of dense convs
(VGG16, Conv MobileNet, ResNets) by 15–30 %. Model 5 times the calibration network's dense
convs inside it to set their factor."""
OLDER_KINDS = {"act_hard": (3, "act"), "act_exp": (3, "act"), "mul": (3, "add"),
               "conv_stem": (6, "conv")}
"""The kinds later models added: the model that added each, and the kind a profile written
for an earlier model times it as."""


class KindRate(NamedTuple):
    """One layer kind on one device: a fixed cost per op, a compute rate (MACs per µs, window
    operations for pooling; 0 for an element-wise kind), a memory rate (bytes per µs) and, for
    convolutions, the rate at which the layer's weights are prepared (bytes per µs; 0: no
    separate cost). Eager PyTorch hands a K×K conv to oneDNN, which copies the weights into its
    blocked layout on every call before computing: a cost of the weights' size that does not
    overlap the arithmetic, so it is added to the roofline rather than maxed with it (a 512→512
    3×3 conv at 7×7 takes twice the time of one at 56×56 with the same MACs). Pooling also
    pays per output element (0: no such cost): torch's NCHW max pool costs some 25 ns an
    output plus a few ns per window element, so a 2×2 window is not 4/9 of a 3×3 one."""

    overhead_us: float
    macs_per_us: float
    bytes_per_us: float
    weight_bytes_per_us: float = 0.0
    outputs_per_us: float = 0.0


@dataclass(frozen=True)
class DeviceProfile:
    """Rates by layer kind for one device, thread count and torch version."""

    name: str
    rates: tuple[tuple[str, KindRate], ...]
    calibrated: bool = False
    source: str = ""
    threads: int = 0
    torch: str = ""
    cpu: str = ""
    created: str = ""
    fit: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    network_factor: float = 1.0
    datasheet: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    glue_us: float = 0.0
    model: int = MODEL
    fresh_bytes_per_us: float = 0.0
    conv_factor: float | None = None

    def rate(self, kind: str) -> KindRate:
        return self._rates[kind]

    @cached_property
    def _rates(self) -> dict[str, KindRate]:
        return dict(self.rates)

    def __hash__(self) -> int:
        """Hashed once: the estimate's cache looks a profile up for every block of every tick,
        and hashing every rate each time was a fifth of a cold MobileNetV2 estimate."""
        if "_hash" not in self.__dict__:
            self.__dict__["_hash"] = hash(tuple(getattr(self, f.name) for f in fields(self)
                                                if f.compare))
        return self.__dict__["_hash"]

    def __getstate__(self) -> dict:
        """Pickled without what is cached: another process hashes text differently."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_hash", "_rates")}

    def factor(self, kind: str) -> float:
        """What running inside a network multiplies a layer of ``kind`` by: 1 for pooling,
        ``conv_factor`` for dense K×K convs (the network factor where a profile has none)."""
        if kind in UNFACTORED:
            return 1.0
        if kind in CONV_FACTOR_KINDS and self.conv_factor is not None:
            return self.conv_factor
        return self.network_factor

    def to_dict(self) -> dict:
        return {"format": "convsketch-device-profile", "version": 1, "name": self.name,
                "calibrated": self.calibrated, "source": self.source, "threads": self.threads,
                "torch": self.torch, "cpu": self.cpu, "created": self.created,
                "network_factor": self.network_factor, "glue_us": self.glue_us,
                **({"conv_factor": self.conv_factor} if self.conv_factor is not None else {}),
                "fresh_bytes_per_us": self.fresh_bytes_per_us, "model": self.model,
                "rates": {k: r._asdict() for k, r in self.rates}, "fit": dict(self.fit),
                **({"datasheet": _datasheet_json(self.datasheet)} if self.datasheet else {})}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"


class ProfileError(ValueError):
    """A device profile that cannot be used, with the place at fault."""


def profile_from_dict(data: object, where: str = "profile") -> DeviceProfile:
    """A profile read from JSON, every field checked: a missing kind, a negative or non-number
    rate names the field (``rates.dwconv.bytes_per_us``)."""
    if not isinstance(data, dict) or data.get("format") != "convsketch-device-profile":
        raise ProfileError(f"{where}: not a ConvSketch device profile (no "
                           "\"format\": \"convsketch-device-profile\")")
    sheet = _read_datasheet(data.get("datasheet"), where) if "datasheet" in data else ()
    if sheet and data.get("calibrated"):
        raise ProfileError(f"{where}: calibrated: a profile from datasheet figures is not "
                           "calibrated (remove \"datasheet\" or set \"calibrated\": false)")
    rates = data.get("rates")
    if rates is None and sheet:
        d = dict(sheet)
        rates = {k: r._asdict() for k, r in datasheet_rates(d["peak_fp32_gflops"],
                                                            d["memory_bandwidth_gb_s"]).items()}
    if not isinstance(rates, dict):
        raise ProfileError(f"{where}: rates: must be an object with one entry per layer kind")
    out = []
    written_for = data.get("model", 1) if isinstance(data.get("model", 1), int) else MODEL
    for kind in KINDS:
        entry = rates.get(kind)
        if entry is None and kind in OLDER_KINDS and written_for < OLDER_KINDS[kind][0]:
            entry = rates.get(OLDER_KINDS[kind][1])
        if not isinstance(entry, dict):
            raise ProfileError(f"{where}: rates.{kind}: missing (needed: {', '.join(KINDS)})")
        values = []
        for name in KindRate._fields:
            v = entry.get(name, KindRate._field_defaults.get(name))
            if (not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v)
                    or v < 0):
                raise ProfileError(f"{where}: rates.{kind}.{name}: must be a number ≥ 0, got {v!r}")
            values.append(float(v))
        if values[1] == 0 and values[2] == 0:
            raise ProfileError(f"{where}: rates.{kind}: needs a compute or a memory rate above 0")
        out.append((kind, KindRate(*values)))
    text = {k: data.get(k, "") for k in ("name", "source", "torch", "cpu", "created")}
    for k, v in text.items():
        if not isinstance(v, str):
            raise ProfileError(f"{where}: {k}: must be text, got {v!r}")
    threads = data.get("threads", 0)
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
        raise ProfileError(f"{where}: threads: must be a whole number ≥ 0, got {threads!r}")
    fit = data.get("fit", {})
    factor = _real(data, "network_factor", 1.0, where, positive=True)
    conv_factor = _real(data, "conv_factor", None, where, positive=True)
    glue = _real(data, "glue_us", 0.0, where)
    fresh = _real(data, "fresh_bytes_per_us", 0.0, where)
    model = data.get("model", 1)
    if not isinstance(model, int) or isinstance(model, bool) or model < 1:
        raise ProfileError(f"{where}: model: must be a whole number ≥ 1, got {model!r}")
    return DeviceProfile(text["name"] or where, tuple(out), bool(data.get("calibrated")),
                         text["source"], threads, text["torch"], text["cpu"], text["created"],
                         tuple((str(k), float(v)) for k, v in fit.items()
                               if isinstance(v, (int, float))) if isinstance(fit, dict) else (),
                         factor, sheet, glue, model, fresh, conv_factor)


def _real(data: dict, key: str, default: float | None, where: str,
          positive: bool = False) -> float | None:
    """``data[key]`` as a float, checked: a finite number, above 0 if ``positive``, else ≥ 0;
    ``default`` when absent. A ProfileError names the field."""
    v = data.get(key, default)
    if v is None:
        return None
    if (not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v)
            or v < 0 or (positive and v == 0)):
        raise ProfileError(f"{where}: {key}: must be a number {'>' if positive else '≥'} 0, "
                           f"got {v!r}")
    return float(v)


DATASHEET_FIGURES = ("peak_fp32_gflops", "memory_bandwidth_gb_s")


def datasheet_rates(peak_gflops: float, bandwidth_gb_s: float) -> dict[str, KindRate]:
    """A roofline from two datasheet figures, for a device nobody has calibrated: every
    multiply-accumulating kind may run at the fp32 peak (a MAC is two FLOPs: GFLOP/s × 500 =
    MACs per µs) and a pooling window element at one FLOP; every kind moves bytes at the memory
    bandwidth (GB/s × 1000 = bytes per µs). A datasheet gives no per-op overhead and no
    efficiency below peak, so both are left out: the estimate is the roofline's lower bound,
    which eager PyTorch does not reach on small layers."""
    macs, window_ops, nbytes = peak_gflops * 500.0, peak_gflops * 1e3, bandwidth_gb_s * 1e3
    compute = {"conv": macs, "conv1x1": macs, "dwconv": macs, "grouped": macs, "linear": macs,
               "pool": window_ops}
    return {k: KindRate(0.0, compute.get(k, 0.0), 1e12 if k == "view" else nbytes)
            for k in KINDS}


def _read_datasheet(block: object, where: str) -> tuple[tuple[str, object], ...]:
    """The ``datasheet`` object: the two figures (numbers > 0), their sources (a list of
    URLs or document names, at least one) and free text, each checked with its place."""
    if not isinstance(block, dict):
        raise ProfileError(f"{where}: datasheet: must be an object with "
                           f"{', '.join(DATASHEET_FIGURES)} and sources")
    out: list[tuple[str, object]] = []
    for key in DATASHEET_FIGURES:
        v = block.get(key)
        if (not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v)
                or v <= 0):
            raise ProfileError(f"{where}: datasheet.{key}: must be a number > 0, got {v!r}")
        out.append((key, float(v)))
    sources = block.get("sources")
    if (not isinstance(sources, list) or not sources
            or not all(isinstance(x, str) and x.strip() for x in sources)):
        raise ProfileError(f"{where}: datasheet.sources: must list at least one source "
                           "(a URL or a document) for the figures")
    out.append(("sources", tuple(sources)))
    for key, v in block.items():
        if key not in (*DATASHEET_FIGURES, "sources"):
            if not isinstance(v, str):
                raise ProfileError(f"{where}: datasheet.{key}: must be text, got {v!r}")
            out.append((key, v))
    return tuple(out)


def _datasheet_json(sheet: tuple[tuple[str, object], ...]) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in sheet}


def profile_loads(text: str, where: str = "profile") -> DeviceProfile:
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ProfileError(f"{where}: not JSON ({err})") from None
    return profile_from_dict(data, where)


def layer_kind(layer: Layer) -> str:
    """The class a layer is timed as."""
    op = layer.op
    if op == "conv":
        groups, cin = layer.attr("groups", 1), layer.attr("in_channels", 1)
        if groups > 1:
            return "dwconv" if groups == cin == layer.attr("out_channels") else "grouped"
        if layer.attr("kernel") == 1:
            return "conv1x1"
        return "conv_stem" if cin <= STEM_CHANNELS else "conv"
    if op in ("maxpool", "avgpool"):
        return "pool"
    if op in ("flatten", "dropout", "slice"):
        return "view"
    if op == "act":
        return ACTIVATION_KINDS.get(layer.attr("function"), "act")
    return op if op in KINDS else "act"


def layer_work(layer: Layer, batch: int = 1) -> tuple[int, int]:
    """(operations, bytes moved) of one layer at ``batch``: MACs for conv and linear, the K²
    comparisons or adds per output of a pooling window (a pool's time follows its window, not
    its bytes: a 3×3 stride-1 pool costs 9 reads per output); bytes are inputs read, output
    written (an in-place layer writes over what it read) and weights read once."""
    if layer.op in ("flatten", "dropout"):
        return 0, 0
    moved = sum(numel(s) for s in layer.inputs) + numel(layer.output)
    ops = layer.other_ops if layer.op in ("maxpool", "avgpool") else layer.macs
    return ops * batch, (moved * batch + layer.params) * FP32_BYTES


def layer_us(layer: Layer, profile: DeviceProfile, batch: int = 1,
             kind: str | None = None) -> float:
    """The layer on its own, as a microbenchmark times it: overhead, the roofline, and the
    weights' preparation and the per-output cost where the kind has rates for them (``kind``:
    the layer's :func:`layer_kind`, if the caller has it)."""
    kind = kind or layer_kind(layer)
    rate = profile.rate(kind)
    macs, nbytes = layer_work(layer, batch)
    compute = macs / rate.macs_per_us if rate.macs_per_us else 0.0
    memory = nbytes / rate.bytes_per_us if rate.bytes_per_us else 0.0
    weights = (layer.params * FP32_BYTES / rate.weight_bytes_per_us
               if rate.weight_bytes_per_us else 0.0)
    outputs = numel(layer.output) * batch / rate.outputs_per_us if rate.outputs_per_us else 0.0
    return rate.overhead_us + max(compute, memory) + weights + outputs + fresh_us(layer, profile,
                                                                               batch)


FRESH_BYTES = 32 << 20


def fresh_us(layer: Layer, profile: DeviceProfile, batch: int = 1) -> float:
    """What the layer pays for memory the allocator maps afresh on every call: glibc serves a
    request of 32 MiB or more (its largest mmap threshold) with new pages and returns them on
    free, so each call faults every page in again (some µs a 4 KiB page in a virtual machine).
    That hits an output of that size, and the copy of a K×K conv's weights oneDNN makes on
    every call (a 1024→1024 3×3 conv: 37.7 MB, four times its arithmetic). Below the
    threshold freed memory is reused warm; a profile without the rate leaves it out."""
    if not profile.fresh_bytes_per_us or layer.inplace or layer.op in ("flatten", "dropout"):
        return 0.0
    fresh = [numel(layer.output) * batch * FP32_BYTES]
    if layer.op == "conv" and layer_kind(layer) == "conv":
        fresh.append(layer.params * FP32_BYTES)
    return sum(b for b in fresh if b >= FRESH_BYTES) / profile.fresh_bytes_per_us


@lru_cache(maxsize=65536)
def block_ms(block: Block, shapes: tuple[Shape, ...], profile: DeviceProfile,
             batch: int = 1) -> float:
    """One block's estimate in milliseconds: its layers' microbenchmark times, each times its
    kind's network factor, plus the profile's glue for each layer (what running inside a
    network adds, :func:`designer.bench.calibrate.network_terms`)."""
    layers = block.layers(shapes)
    kinds = [layer_kind(la) for la in layers]
    return (sum(layer_us(la, profile, batch, k) * profile.factor(k) for la, k in zip(layers, kinds))
            + profile.glue_us * len(layers)) / 1e3


@dataclass(frozen=True)
class BlockEstimate:
    node_id: str
    name: str
    latency_ms: float


@dataclass(frozen=True)
class Estimate:
    latency_ms: float
    blocks: tuple[BlockEstimate, ...]
    batch: int
    profile: DeviceProfile

    def by_id(self) -> dict[str, float]:
        return {b.node_id: b.latency_ms for b in self.blocks}

    def to_dict(self) -> dict:
        p = self.profile
        return {"latency_ms": self.latency_ms, "batch": self.batch,
                "profile": {"name": p.name, "calibrated": p.calibrated, "source": p.source,
                            "threads": p.threads, "torch": p.torch, "cpu": p.cpu},
                "blocks": [{"id": b.node_id, "name": b.name, "latency_ms": b.latency_ms}
                           for b in self.blocks]}


def estimate(analysis, profile: DeviceProfile, batch: int = 1) -> Estimate:
    """The latency of every valid block of ``analysis`` and of the whole model, in ms."""
    out = tuple(BlockEstimate(b.node_id, b.name, block_ms(b.block, b.input_shapes, profile, batch))
                for b in analysis.blocks if b.ok)
    return Estimate(sum(b.latency_ms for b in out), out, batch, profile)


PROFILE_FILE = "device-profile.json"


def saved_profile_path() -> Path:
    """This machine's calibrated profile, in the settings folder."""
    return folder() / PROFILE_FILE


def read_profile(path) -> DeviceProfile:
    """A profile file; ProfileError (naming the file and field) if it cannot be used, OSError
    if it cannot be read."""
    path = Path(path)
    return profile_loads(path.read_text(encoding="utf-8"), str(path))


def stale_reason(profile: DeviceProfile) -> str | None:
    """Why a saved profile no longer describes this machine (another CPU or torch, or calibrated
    for an older form of this model), or None."""
    if profile.calibrated and profile.model < MODEL:
        return "it was calibrated for an older form of the latency model"
    if profile.cpu != cpu_model():
        return f"it was measured on {profile.cpu or 'another CPU'}"
    installed = torch_version()
    if installed and profile.torch.split("+")[0] != installed.split("+")[0]:
        return f"it was measured with torch {profile.torch}, this is {installed}"
    return None


def saved_profile() -> tuple[DeviceProfile | None, str]:
    """This machine's saved profile, or None and why not (none yet, stale, unreadable)."""
    path = saved_profile_path()
    if not path.exists():
        return None, "this machine has no device profile yet"
    try:
        profile = read_profile(path)
    except (OSError, ProfileError) as err:
        return None, f"its device profile cannot be used ({err})"
    reason = stale_reason(profile)
    return (None, f"its device profile is out of date: {reason}") if reason else (profile, "")


def save_profile(profile: DeviceProfile, path=None) -> Path:
    """Write with the product's one atomic writer (never over a FIFO, a device or a read-only
    file); returns the path."""
    path = Path(path) if path else saved_profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, profile.dumps())
    return path
