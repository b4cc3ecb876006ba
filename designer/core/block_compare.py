"""The seeds' main lesson in one table: for one input shape and one output width, what each block
kind costs next to a normal convolution, with the papers' whole-block formula and every layer's
formula filled in with this shape's numbers.

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
                         "formula"])
        for r in self.rows:
            writer.writerow([r.label, r.kind, r.params, r.macs, r.macs_ratio, r.params_ratio,
                             r.formula])
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"Block kinds, {self.title()}", "",
                 ("| block | parameters | MACs | MACs × normal conv | params × normal conv | "
                  "MACs formula |"), "|---|---:|---:|---:|---:|---|"]
        lines += [f"| {r.label} | {r.params:,} | {r.macs:,} | {r.macs_ratio:.3f} | "
                  f"{r.params_ratio:.3f} | {r.formula} |" for r in self.rows]
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
    ]


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
        try:
            b.add(kind, "block", **params)
        except BlockError as err:
            skipped.append(f"{label}: {err}")
            continue
        a = analyze(b.build())
        if not a.ok:
            skipped.append(f"{label}: {a.problems[0]}")
            continue
        cost = a.blocks[0]
        lines = tuple(f"{name}: {m}" for name, _p, m in explain(cost).lines)
        rows.append(BlockCostRow(label, kind, cost.params, cost.macs, 0.0, 0.0,
                                 f"{formula} = {value:,}", value, lines))
    if not rows or rows[0].kind != "conv" or "grouped" in rows[0].label:
        raise ValueError(skipped[0].split(": ", 1)[1])
    normal = rows[0]
    return BlockComparison(
        (c, h, w), out_channels, kernel,
        tuple(BlockCostRow(r.label, r.kind, r.params, r.macs, r.macs / normal.macs,
                           r.params / normal.params, r.formula, r.formula_macs, r.formulas)
              for r in rows), tuple(skipped))
