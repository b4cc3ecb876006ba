"""The seeds' main lesson in one table: for one input shape and one output width, what each block
kind costs next to a normal convolution, with the papers' whole-block formula and every layer's
formula filled in with this shape's numbers, and the receptive field each sees.

The CNN course's lesson is a row of its own: three stacked 3×3 convolutions see 7×7, as one 7×7
convolution does, with 3²·(C·M + 2·M²) weights (27C² when C = M) instead of 7²·C·M (49C²); the
row's field and weights are computed from the stack like every other row's.

The blocks after MobileNetV2 have rows too: the inverted residual with MobileNetV3's
squeeze-and-excitation (the SE's cost against the block it sits in), SE alone, the channel
shuffle (no MACs, but every element read and written), the ShuffleNetV2 unit (stride 1 needs
C = M), and ResNet's basic block and bottleneck (M/4 wide inside).

Every block runs at stride 1 with BatchNorm off where the block allows it (the inverted residual
and the ResNet blocks always have it: its scale and shift add parameters, never MACs). Each row's
whole-block formula is evaluated and must equal the MACs the analysis counts from the block's
layers."""
from __future__ import annotations

import csv
import io as _io
from dataclasses import dataclass, field

from blocks import BlockError
from blocks.shape import make_divisible

from .analysis import analyze
from .builder import Builder
from .explain import explain, notes


@dataclass(frozen=True)
class BlockCostRow:
    label: str
    kind: str
    params: int
    macs: int
    macs_ratio: float
    params_ratio: float
    formula: str                       # whole-block MACs, the papers' form, numbers filled in
    formula_macs: int                  # that formula's value (equals ``macs``)
    formulas: tuple[str, ...]          # each conv/linear layer: "name: MACs formula"
    receptive_field: int = 0           # pixels of the input one output element sees


@dataclass(frozen=True)
class BlockComparison:
    input_shape: tuple[int, int, int]
    out_channels: int
    kernel: int
    rows: tuple[BlockCostRow, ...]
    skipped: tuple[str, ...] = field(default=())   # "label: why" for kinds these shapes refuse

    def title(self) -> str:
        c, h, w = self.input_shape
        return (f"{c}→{self.out_channels} channels at {h}×{w}, {self.kernel}×{self.kernel} "
                f"kernels, stride 1")

    def to_csv(self) -> str:
        out = _io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["block", "kind", "params", "macs", "macs_ratio", "params_ratio",
                         "receptive_field", "formula"])
        for r in self.rows:
            writer.writerow([r.label, r.kind, r.params, r.macs, r.macs_ratio, r.params_ratio,
                             r.receptive_field, r.formula])
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"Block kinds, {self.title()}", "",
                 ("| block | parameters | MACs | MACs × normal conv | params × normal conv | "
                  "sees | MACs formula |"), "|---|---:|---:|---:|---:|---:|---|"]
        lines += [f"| {r.label} | {r.params:,} | {r.macs:,} | {r.macs_ratio:.3f} | "
                  f"{r.params_ratio:.3f} | {r.receptive_field}×{r.receptive_field} | "
                  f"{r.formula} |" for r in self.rows]
        lines += [f"\nLeft out: {s}" for s in self.skipped]
        return "\n".join(lines) + "\n"


def _candidates(c: int, h: int, w: int, m: int, k: int, groups: int, t: int):
    """(label, kind, block params, whole-block formula text, its value) per kind."""
    s = max(1, m // 8)
    e1, e3 = m // 2, m - m // 2
    hw = f"{h}·{w}"
    return [
        ("normal conv", "conv", {"out_channels": m, "kernel": k, "bn": False},
         f"K²·C·M·H·W = {k}²·{c}·{m}·{hw}", k * k * c * m * h * w),
        (f"grouped conv, g = {groups}", "conv",
         {"out_channels": m, "kernel": k, "groups": groups, "bn": False},
         f"K²·C·M·H·W/g = {k}²·{c}·{m}·{hw}/{groups}", k * k * c * m * h * w // groups),
        ("depthwise-separable", "sepconv", {"out_channels": m, "kernel": k, "bn": False},
         f"C·H·W·(K² + M) = {c}·{hw}·({k}² + {m})", c * h * w * (k * k + m)),
        (f"fire (s = {s}, e1 = {e1}, e3 = {e3})", "fire",
         {"squeeze": s, "expand1x1": e1, "expand3x3": e3},
         f"H·W·(C·s + s·e1 + 3²·s·e3) = {hw}·({c}·{s} + {s}·{e1} + 3²·{s}·{e3})",
         h * w * (c * s + s * e1 + 9 * s * e3)),
        (f"inverted residual (t = {t})", "ir",
         {"out_channels": m, "kernel": k, "expansion": t}, *_ir_formula(c, h, w, m, k, t)),
        ("three 3×3 convs", "conv3x3x3", [{"out_channels": m, "kernel": 3, "bn": False}] * 3,
         f"3²·H·W·(C·M + 2·M²) = 3²·{hw}·({c}·{m} + 2·{m}²)", 9 * h * w * (c * m + 2 * m * m)),
        (f"inverted residual + SE (t = {t})", "ir",
         {"out_channels": m, "kernel": k, "expansion": t, "se": "mobilenetv3",
          "activation": "hardswish"}, *_ir_se_formula(c, h, w, m, k, t)),
        ("squeeze-excitation", "se", {}, _se_formula(c, make_divisible(c // 4)),
         2 * c * make_divisible(c // 4)),
        (f"channel shuffle, g = {groups}", "shuffle", {"groups": groups},
         "no multiply-accumulate: it only moves C·H·W elements", 0),
        ("ShuffleNetV2 unit", "shufflev2", {"out_channels": m},
         f"H·W·b·(2·b + 9), b = M/2 = {hw}·{m // 2}·(2·{m // 2} + 9)",
         h * w * (m // 2) * (2 * (m // 2) + 9)),
        ("ResNet basic block", "basic", {"planes": m}, *_resnet_formula(c, h, w, m, None)),
        (f"ResNet bottleneck, p = {m // 4}", "bottleneck", {"planes": m // 4},
         *_resnet_formula(c, h, w, m, m // 4)),
    ]


def _ir_se_formula(c: int, h: int, w: int, m: int, k: int, t: int) -> tuple[str, int]:
    """The inverted residual's formula plus its SE's 2·(C·t)·s, s = _make_divisible(C·t/4, 8)."""
    text, value = _ir_formula(c, h, w, m, k, t)
    s = make_divisible(c * t // 4)
    symbols, numbers = text.split(" = ")
    se = "2·C·s" if t == 1 else "2·C·t·s"
    return f"{symbols} + {se} = {numbers} + 2·{c * t}·{s}", value + 2 * c * t * s


def _se_formula(c: int, s: int) -> str:
    return f"2·C·s, s = make_divisible(C/4, 8) = 2·{c}·{s}"


def _resnet_formula(c: int, h: int, w: int, m: int, p: int | None) -> tuple[str, int]:
    """Basic block (p None): H·W·(9·C·M + 9·M²); bottleneck: H·W·(C·p + 9·p² + p·M); each
    + C·M for the 1×1 projection when C ≠ M."""
    proj, proj_text = (c * m, f" + {c}·{m}") if c != m else (0, "")
    sym = " + C·M" if c != m else ""
    if p is None:
        return (f"H·W·(9·C·M + 9·M²{sym}) = {h}·{w}·(9·{c}·{m} + 9·{m}²{proj_text})",
                h * w * (9 * c * m + 9 * m * m + proj))
    if p < 1 or m % 4:
        return "needs M divisible by 4", -1
    return (f"H·W·(C·p + 9·p² + p·M{sym}) = {h}·{w}·({c}·{p} + 9·{p}² + {p}·{m}{proj_text})",
            h * w * (c * p + 9 * p * p + p * m + proj))


def seven_by_seven_lesson(c: int, m: int, field: int) -> str:
    """The stack's weights against one 7×7 conv's, the course's 27C² against 49C²."""
    stack, one = 9 * (c * m + 2 * m * m), 49 * c * m
    square = " (27C² against 49C² when C = M)" if c == m else ""
    return (f"sees {field}×{field}, as one 7×7 conv, with 3²·(C·M + 2·M²) = {stack:,} weights "
            f"against 7²·C·M = {one:,}{square}")


def _ir_formula(c: int, h: int, w: int, m: int, k: int, t: int) -> tuple[str, int]:
    """MobileNetV2's h·w·d'·t·(d' + k² + d''); with t = 1 there is no expansion conv."""
    if t == 1:
        return f"H·W·C·(K² + M) = {h}·{w}·{c}·({k}² + {m})", h * w * c * (k * k + m)
    return (f"H·W·C·t·(C + K² + M) = {h}·{w}·{c}·{t}·({c} + {k}² + {m})",
            h * w * c * t * (c + k * k + m))


def compare_blocks(input_shape: tuple[int, int, int], out_channels: int, kernel: int = 3,
                   groups: int = 4, expansion: int = 6) -> BlockComparison:
    """Each block kind on ``input_shape`` with ``out_channels`` outputs at stride 1; ratios to
    the normal conv. A kind these shapes refuse (groups that do not divide the channels) is left
    out and named in ``skipped``; a bad shape for the normal conv itself raises ValueError."""
    c, h, w = input_shape
    rows, skipped = [], []
    for label, kind, params, formula, value in _candidates(c, h, w, out_channels, kernel,
                                                           groups, expansion):
        b = Builder(label, (c, h, w))
        stack = params if isinstance(params, list) else [params]
        if value < 0:
            skipped.append(f"{label}: {formula} (M = {out_channels})")
            continue
        try:
            for i, one in enumerate(stack):
                b.add("conv" if len(stack) > 1 else kind,
                      f"conv{i + 1}" if len(stack) > 1 else "block", **one)
        except BlockError as err:
            skipped.append(f"{label}: {err}")
            continue
        a = analyze(b.build())
        if not a.ok:
            skipped.append(f"{label}: {a.problems[0]}")
            continue
        field = a.blocks[-1].receptive_field
        lines = tuple(f"{cost.name if len(stack) > 1 else name}: {m}"
                      for cost in a.blocks for name, _p, m in explain(cost).lines)
        if len(stack) > 1:
            lines += (seven_by_seven_lesson(c, out_channels, field),)
        cost = a.blocks[-1]
        lines += notes(cost.layers, cost.params, cost.macs)
        rows.append(BlockCostRow(label, kind, sum(x.params for x in a.blocks),
                                 sum(x.macs for x in a.blocks), 0.0, 0.0,
                                 f"{formula} = {value:,}", value, lines, field))
    if not rows or rows[0].kind != "conv" or "grouped" in rows[0].label:
        raise ValueError(skipped[0].split(": ", 1)[1])
    normal = rows[0]
    return BlockComparison(
        (c, h, w), out_channels, kernel,
        tuple(BlockCostRow(r.label, r.kind, r.params, r.macs, r.macs / normal.macs,
                           r.params / normal.params, r.formula, r.formula_macs, r.formulas,
                           r.receptive_field)
              for r in rows), tuple(skipped))
