"""A block's latency estimate written out, every term with its numbers filled in, so a user can
see why a depthwise conv costs what it costs and check the sum by hand.

Each line is one primitive layer as :func:`designer.core.latency.layer_us` prices it: the kind's
overhead, the roofline's larger term (operations over the compute rate against bytes over the
bandwidth), the weights' and outputs' terms and fresh pages where the kind has them, then its
network factor; a last line adds the glue. The lines' total is :func:`latency.block_ms`
exactly (``tests/core/test_latency_explain.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

from blocks import Block, Shape, numel

from .latency import FP32_BYTES, DeviceProfile, fresh_us, layer_kind, layer_us, layer_work
from .units import plural


@dataclass(frozen=True)
class LayerTerms:
    name: str
    kind: str
    text: str          # the terms, numbers filled in
    alone_us: float    # the layer as a microbenchmark times it
    factor: float
    us: float          # alone_us × factor


@dataclass(frozen=True)
class Explanation:
    layers: tuple[LayerTerms, ...]
    glue_us: float
    total_ms: float

    def lines(self) -> list[str]:
        out = [f"{t.name} ({t.kind}): {t.text} = {t.alone_us:.1f} µs"
               + (f" × {t.factor:.2f} = {t.us:.1f} µs" if t.factor != 1.0 else "")
               for t in self.layers]
        n = len(self.layers)
        if self.glue_us:
            out.append(f"glue: {self.glue_us / n:.1f} µs × {plural(n, 'layer')} = "
                       f"{self.glue_us:.1f} µs")
        out.append(f"total: {self.total_ms * 1e3:.1f} µs = {self.total_ms:.3f} ms")
        return out


def _rate(value: float, unit: str) -> str:
    """A rate given a µs, read a second: 76,400 MACs/µs is '76.4 G MACs/s'."""
    per_s = value * 1e6
    return f"{per_s / 1e12:.3g} T{unit}/s" if per_s >= 1e12 else f"{per_s / 1e9:.3g} G{unit}/s"


def _terms(layer, profile: DeviceProfile, batch: int, kind: str) -> str:
    rate = profile.rate(kind)
    ops, nbytes = layer_work(layer, batch)
    parts = [f"overhead {rate.overhead_us:.1f} µs"]
    unit = "MACs" if layer.op in ("conv", "linear") else "window ops"
    compute = (f"{ops:,} {unit} / {_rate(rate.macs_per_us, ' ' + unit)} = "
               f"{ops / rate.macs_per_us:.1f} µs" if rate.macs_per_us else "")
    memory = (f"{nbytes:,} B / {_rate(rate.bytes_per_us, 'B')} = "
              f"{nbytes / rate.bytes_per_us:.1f} µs" if rate.bytes_per_us < 1e11 else "")
    roof = [x for x in (compute, memory) if x]
    if len(roof) == 2:
        parts.append(f"max({roof[0]}, {roof[1]})")
    elif roof:
        parts.append(roof[0])
    if rate.weight_bytes_per_us:
        w = layer.params * FP32_BYTES
        parts.append(f"weights {w:,} B / {_rate(rate.weight_bytes_per_us, 'B')} = "
                     f"{w / rate.weight_bytes_per_us:.1f} µs")
    if rate.outputs_per_us:
        n = numel(layer.output) * batch
        parts.append(f"{n:,} outputs / {_rate(rate.outputs_per_us, ' outputs')} = "
                     f"{n / rate.outputs_per_us:.1f} µs")
    fresh = fresh_us(layer, profile, batch)
    if fresh:
        parts.append(f"fresh pages {fresh:.1f} µs")
    return " + ".join(parts)


def explain_block(block: Block, shapes: tuple[Shape, ...], profile: DeviceProfile,
                  batch: int = 1) -> Explanation:
    """Every layer's terms and the glue; ``total_ms`` equals :func:`latency.block_ms`."""
    terms = []
    for layer in block.layers(shapes):
        kind = layer_kind(layer)
        alone, factor = layer_us(layer, profile, batch, kind), profile.factor(kind)
        terms.append(LayerTerms(layer.name, kind, _terms(layer, profile, batch, kind), alone,
                                factor, alone * factor))
    glue = profile.glue_us * len(terms)
    return Explanation(tuple(terms), glue, (sum(t.us for t in terms) + glue) / 1e3)
