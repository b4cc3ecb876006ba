"""What a chart must get right to be read at a glance, decided once and Qt-free: the unit an
axis shows (picked from its values: "kB", never "MB (x0.001)"), which bars carry a name (the
largest always do), ratios as plain decimals ("1,730×", not "1.73e+03") and where a scatter's
labels go so that they cover no other point or label. The views measure text in pixels and
draw; these functions decide."""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

BYTE_UNITS = ((1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "B"))
COUNT_UNITS = ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""))


@dataclass(frozen=True)
class Scale:
    """Divide values by ``divisor`` and write ``unit`` on the axis."""
    divisor: float
    unit: str


def scale_for(largest: float, unit: str = "B") -> Scale:
    """The axis unit for values up to ``largest``: the largest unit the largest value reaches,
    so the axis reads 1 to 999 of it (bytes: B, kB, MB, GB; counts: k, M, G before ``unit``)."""
    table = BYTE_UNITS if unit == "B" else COUNT_UNITS
    largest = abs(largest)
    for divisor, prefix in table:
        if largest >= divisor:
            break
    else:
        divisor, prefix = table[-1]
    return Scale(divisor, prefix if unit == "B" else f"{prefix}{unit}")


def log_floor(values) -> float:
    """The log10 value a log chart's bars rise from: a whole decade at least a factor of 2
    under the least positive value, so the smallest bar stands clear of the floor (and apart
    from a value of 0, which has no place on a log axis); -1 without a positive value."""
    logs = [math.log10(v) for v in values if v is not None and v > 0]
    return math.floor(min(logs, default=0) - 0.3)


def log_heights(values, base: float) -> list[float]:
    """Bar heights above ``base`` (a log10 value) on a log axis: log10(v) - base, so a value
    under 1 stands at its true place; 0 (no bar) for a value of 0 or less."""
    return [math.log10(v) - base if v is not None and v > 0 else 0.0 for v in values]


def log_tick_levels(lo: float, hi: float, unit: str = "",
                    room: int | None = None) -> list[list[tuple[float, str]]]:
    """Ticks at 1, 2 and 5 × 10^k between log10 values ``lo`` and ``hi``, labelled "300M",
    "1G", "0.5 ms" (a log axis a projector audience can read), in two levels for an axis that
    labels the second only while it leaves room (pyqtgraph's): powers of ten first, every
    decade, or every n-th when more than ``room`` would be labelled; then the skipped powers
    and 2 and 5 × 10^k."""
    decades = range(math.floor(lo), math.ceil(hi) + 1)
    inside = [k for k in decades if lo <= k <= hi]
    step = max(1, math.ceil(len(inside) / room)) if room else 1
    first: list[tuple[float, str]] = []
    second: list[tuple[float, str]] = []
    for k in decades:
        for m in (1, 2, 5):
            v = m * 10.0 ** k
            at = math.log10(v)
            if lo <= at <= hi:
                (first if m == 1 and k % step == 0 else second).append((at, tick_text(v, unit)))
    return [first, second]


def tick_text(v: float, unit: str = "") -> str:
    """A log tick's label: '300M', '1GB', '0.5 ms', '100 px'."""
    return _si(v) + ("B" if unit == "B" else f" {unit}" if unit else "")


def _si(v: float) -> str:
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")):
        if v >= div:
            return f"{v / div:g}{suffix}"
    return f"{v:g}"


def ratio_text(ratio: float) -> str:
    """Three significant figures as a plain decimal with thousands separators and ×:
    1734.2 -> '1,730×', 17.34 -> '17.3×', 0.12749 -> '0.127×', 0.000368 -> '0.000368×'."""
    if ratio == 0 or not math.isfinite(ratio):
        return f"{ratio:g}×"
    rounded = float(f"{ratio:.3g}")
    decimals = max(0, 2 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:,.{decimals}f}×"


def labelled_bars(values: list[float], widths: list[float], gap: float = 0.0,
                  positions: list[float] | None = None) -> list[int]:
    """The bars that carry their name under the axis, in order. A bar's label is centred under
    it and ``widths[i]`` wide (in the x axis's units; bar i at ``positions[i]``, else at i); labels are taken largest value
    first, each one kept if it keeps ``gap`` from every label already kept, so the largest bar is
    always named and no two names touch. The others show their name on hover."""
    starts: list[float] = []          # the kept labels, in order along the axis (none overlap,
    ends: list[float] = []            # so only the one that starts last before ``hi`` can touch)
    chosen = []
    for i in sorted(range(len(values)), key=values.__getitem__, reverse=True):  # ties: i first
        x = positions[i] if positions is not None else i
        lo, hi = x - widths[i] / 2, x + widths[i] / 2
        k = bisect_left(starts, hi + gap) - 1
        if k < 0 or ends[k] <= lo - gap:
            starts.insert(k + 1, lo)
            ends.insert(k + 1, hi)
            chosen.append(i)
    return sorted(chosen)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def distance(self, x: float, y: float) -> float:
        """From the point (x, y) to the nearest point of the box."""
        dx = max(self.x - x, 0.0, x - self.x - self.w)
        dy = max(self.y - y, 0.0, y - self.y - self.h)
        return (dx * dx + dy * dy) ** 0.5

    def inside(self, w: float, h: float) -> bool:
        return self.x >= 0 and self.y >= 0 and self.x + self.w <= w and self.y + self.h <= h


def place_labels(points: list[tuple[float, float]], sizes: list[tuple[float, float]],
                 area: tuple[float, float], radius: float = 6.0) -> list[Box]:
    """A box for each point's label, in the same pixel coordinates (y down): beside its point,
    inside ``area`` (width, height), covering no point (a ``radius`` square around each) and no
    label placed before it, and nearer its own point than any other (a label beside another's
    point reads as that point's). Eight places are tried around the point, then further out;
    when none is clear, the place that costs least. Points are placed left to right."""
    dots = [Box(x - radius, y - radius, 2 * radius, 2 * radius) for x, y in points]
    placed: list[Box | None] = [None] * len(points)
    boxes: list[Box] = []
    for i in sorted(range(len(points)), key=lambda i: points[i]):
        x, y = points[i]
        w, h = sizes[i]
        best, best_cost = None, math.inf
        for reach in (1, 2, 3):
            d = radius * reach + 2
            for bx, by in ((x + d, y - h / 2), (x - d - w, y - h / 2), (x - w / 2, y - d - h),
                           (x - w / 2, y + d), (x + d, y - d - h), (x + d, y + d),
                           (x - d - w, y - d - h), (x - d - w, y + d)):
                box = Box(bx, by, w, h)
                own = box.distance(x, y)
                cost = (sum(box.overlaps(o) for o in dots + boxes)
                        + (0 if box.inside(*area) else 100) + reach * 0.01
                        + 0.5 * any(box.distance(*p) < own for j, p in enumerate(points)
                                    if j != i))
                if cost < best_cost:
                    best, best_cost = box, cost
            if best_cost < 1:
                break
        placed[i] = best
        boxes.append(best)
    return placed
