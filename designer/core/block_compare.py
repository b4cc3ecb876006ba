"""The seeds' main lesson in one table: for one input shape and one output width, what each block
kind costs next to a normal convolution, with the papers' whole-block formula and every layer's
formula filled in with this shape's numbers, and the receptive field each sees.

The CNN course's lesson is a row of its own: three stacked 3×3 convolutions see 7×7, as one 7×7
convolution does, with 3²·(C·M + 2·M²) weights (27C² when C = M) instead of 7²·C·M (49C²); the
row's field and weights are computed from the stack like every other row's.

Every block runs at stride 1 with BatchNorm off where the block allows it (the inverted residual
always has it: its scale and shift add parameters, never MACs). Each row's whole-block formula is
evaluated and must equal the MACs the analysis counts from the block's layers."""
from __future__ import annotations

import csv
import io as _io
from dataclasses import dataclass, field

from blocks import BlockError

from .analysis import analyze
from .builder import Builder
from .explain import explain


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
    ]


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
