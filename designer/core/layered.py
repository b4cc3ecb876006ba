"""A layered (Sugiyama) drawing of a directed graph, the method dagre uses for Netron and
TensorBoard: layers by longest path, a dummy node wherever a wire crosses a layer (so the wire is
routed beside the boxes of that layer, never through them), crossings cut down by barycenter
sweeps, and x coordinates placed by alternating sweeps of an exact least-squares fit (pool
adjacent violators) that keeps each layer's order and spacing.

Wires leave a box at its bottom centre and enter at its top centre. Between layers, where no box
is, a wire is a cubic curve sampled every ``SAMPLE`` pixels or less (at most ``CURVE_POINTS``
points, so a wire crossing a very wide layer costs no more than a short one: a concat of a
thousand branches would otherwise hold tens of millions of points); through a layer it is a
straight vertical run in its own lane. So no wire can cross a box other than its own two ends,
and no two boxes overlap, by construction (and tested geometrically).

The input is generic (ids, sizes, edges): the design's adapter is :mod:`designer.core.layout`.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

SAMPLE = 8.0
CURVE_POINTS = 256
GAP_X = 36.0          # between two boxes of one layer
LANE = 14.0           # between a wire's lane and its neighbour (box or lane)
GAP_Y = 40.0          # least room between two layers; more where wires travel far sideways
MAX_GAP_Y = 110.0
SWEEPS = 8
PLACE_SWEEPS = 6
DUMMY_WEIGHT = 0.05     # a wire's lane yields to a block when both want one place
PASSING_WEIGHT = 0.1    # how much a passing wire pulls a block (or a block pulls a wire)
CHAIN_WEIGHT = 8.0      # how much a chain link pulls (Gansner et al. weigh inner segments 8)


@dataclass(frozen=True)
class Box:
    """A node's box: top-left corner and size, in scene pixels."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Wire:
    """One edge as drawn: from the bottom centre of ``src`` to the top centre of ``dst``."""

    src: str
    dst: str
    port: int
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Drawing:
    boxes: dict[str, Box]
    wires: tuple[Wire, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) around every box and wire."""
        xs = [b.x for b in self.boxes.values()] + [p[0] for w in self.wires for p in w.points]
        xe = [b.x + b.width for b in self.boxes.values()]
        ys = [b.y for b in self.boxes.values()] + [p[1] for w in self.wires for p in w.points]
        ye = [b.bottom for b in self.boxes.values()]
        if not xs:
            return 0.0, 0.0, 0.0, 0.0
        return min(xs), min(ys), max(xe + xs), max(ye + ys)


def layered_layout(sizes: dict[str, tuple[float, float]],
                   edges: list[tuple[str, str, int]]) -> Drawing:
    """Boxes for every id of ``sizes`` (width, height) and a wire for every edge between two of
    them. The order of ``sizes`` and of ``edges`` is the tie-break for the left-to-right order,
    so branches appear in the order they were drawn and in the port order of their merge."""
    ids = list(sizes)
    index = {n: i for i, n in enumerate(ids)}
    usable = [(s, d, p) for s, d, p in edges if s in index and d in index]
    rank = _topological_rank(ids, index, usable)
    forward = [(s, d, p) if rank[s] < rank[d] else (d, s, p)
               for s, d, p in usable if s != d]
    layer = _layers(ids, rank, forward)
    graph = _Graph(ids, sizes, layer, forward)
    graph.order_layers()
    graph.place_x()
    graph.place_y()
    boxes = {n: Box(graph.x[i] - sizes[n][0] / 2, graph.top[layer[n]], *sizes[n])
             for i, n in enumerate(ids)}
    wires = []
    for s, d, p in usable:
        if s == d:
            wires.append(Wire(s, d, p, _self_loop(boxes[s])))
            continue
        reversed_ = rank[s] > rank[d]
        points = graph.route(*((d, s, p) if reversed_ else (s, d, p)))
        wires.append(Wire(s, d, p, tuple(reversed(points)) if reversed_ else points))
    return Drawing(boxes, tuple(wires))


def _topological_rank(ids, index, edges) -> dict[str, int]:
    """Position of every node in a topological order that keeps the given order where it can;
    nodes on a cycle follow in their given order (their backward edges are drawn reversed)."""
    indeg = {n: 0 for n in ids}
    out: dict[str, list[str]] = {n: [] for n in ids}
    for s, d, _ in edges:
        if s != d:
            indeg[d] += 1
            out[s].append(d)
    import heapq
    ready = [index[n] for n in ids if indeg[n] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = ids[heapq.heappop(ready)]
        order.append(n)
        for m in out[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                heapq.heappush(ready, index[m])
    seen = set(order)
    order += [n for n in ids if n not in seen]
    return {n: i for i, n in enumerate(order)}


def _layers(ids, rank, forward) -> dict[str, int]:
    """Longest path from the sources: every node one layer below its lowest input."""
    preds: dict[str, list[str]] = {n: [] for n in ids}
    for s, d, _ in forward:
        preds[d].append(s)
    layer: dict[str, int] = {}
    for n in sorted(ids, key=rank.__getitem__):
        layer[n] = 1 + max((layer[s] for s in preds[n]), default=-1)
    return layer


class _Graph:
    """The proper layered graph (dummies inserted) with its order and coordinates."""

    def __init__(self, ids, sizes, layer, forward):
        self.n_real = len(ids)
        self.width = [float(sizes[n][0]) for n in ids]
        self.height = [float(sizes[n][1]) for n in ids]
        self.layer_of = [layer[n] for n in ids]
        self.index = {n: i for i, n in enumerate(ids)}
        self.up: list[list[tuple[int, float]]] = [[] for _ in ids]     # (node, port key)
        self.down: list[list[tuple[int, float]]] = [[] for _ in ids]
        self.chains: dict[tuple[str, str, int], list[int]] = {}
        for s, d, p in forward:
            a, b = self.index[s], self.index[d]
            chain = [a]
            for k in range(layer[s] + 1, layer[d]):
                self.width.append(0.0)
                self.height.append(0.0)
                self.layer_of.append(k)
                self.up.append([])
                self.down.append([])
                chain.append(len(self.width) - 1)
            chain.append(b)
            for u, v in pairwise(chain):
                self.down[u].append((v, p))
                self.up[v].append((u, 0))
            self.chains[(s, d, p)] = chain
        n_layers = 1 + max(self.layer_of, default=0)
        self.layers: list[list[int]] = [[] for _ in range(n_layers)]
        self._initial_order()

    def is_dummy(self, v: int) -> bool:
        return v >= self.n_real

    def _initial_order(self) -> None:
        """Depth-first from the sources in the given order (dagre's start): a branch's nodes
        are met together, so they start side by side and in their drawing order."""
        seen = [False] * len(self.width)
        roots = [v for v in range(self.n_real) if not self.up[v]]
        roots += [v for v in range(self.n_real) if self.up[v]]
        for root in roots:
            if seen[root]:
                continue
            stack = [root]
            while stack:
                v = stack.pop()
                if seen[v]:
                    continue
                seen[v] = True
                self.layers[self.layer_of[v]].append(v)
                stack.extend(w for w, _ in reversed(self.down[v]) if not seen[w])
        self.pos = [0] * len(self.width)
        self._number()

    def _number(self) -> None:
        for row in self.layers:
            for i, v in enumerate(row):
                self.pos[v] = i

    # -- crossing minimisation ---------------------------------------------------------------
    def order_layers(self) -> None:
        """Barycenter sweeps, down then up, keeping the order with fewest crossings; stops
        when two sweeps in a row found no better one."""
        best = [list(r) for r in self.layers]
        best_crossings = self.crossings()
        stale = 0
        for sweep in range(SWEEPS):
            if best_crossings == 0 or stale >= 2:
                break
            downward = sweep % 2 == 0
            rows = range(1, len(self.layers)) if downward else range(len(self.layers) - 2, -1, -1)
            for k in rows:
                self._sort_layer(k, self.up if downward else self.down)
            c = self.crossings()
            if c < best_crossings:
                best, best_crossings, stale = [list(r) for r in self.layers], c, 0
            else:
                stale += 1
        self.layers = best
        self._number()

    def _sort_layer(self, k: int, neighbours) -> None:
        row = self.layers[k]
        if len(row) < 2:
            return
        keys = {}
        for v in row:
            near = neighbours[v]
            if near:
                keys[v] = sum(self.pos[w] + 0.01 * p for w, p in near) / len(near)
            else:
                keys[v] = self.pos[v]
        row.sort(key=lambda v: (keys[v], self.pos[v]))
        for i, v in enumerate(row):
            self.pos[v] = i

    def crossings(self) -> int:
        """Wire crossings between neighbouring layers: for wires sorted by their upper end,
        the later ones whose lower end lies left of an earlier one's; wires meeting at one end
        never cross."""
        total = 0
        pos = self.pos
        for row, below in zip(self.layers, self.layers[1:]):
            if len(row) < 2 or len(below) < 2:
                continue
            pairs = sorted((pos[u], pos[v]) for u in row for v, _ in self.down[u])
            seen: list[int] = []
            i = 0
            while i < len(pairs):
                j = i
                while j < len(pairs) and pairs[j][0] == pairs[i][0]:
                    j += 1
                for _, b in pairs[i:j]:
                    total += len(seen) - bisect_right(seen, b)
                for _, b in pairs[i:j]:
                    insort(seen, b)
                i = j
        return total

    # -- coordinates ---------------------------------------------------------------------------
    def _gap(self, u: int, v: int) -> float:
        """Least distance between the centres of neighbours ``u`` then ``v`` in a layer."""
        du, dv = self.is_dummy(u), self.is_dummy(v)
        between = LANE if du or dv else GAP_X
        return self.width[u] / 2 + between + self.width[v] / 2

    def place_x(self) -> None:
        self._weigh()
        self.x = [0.0] * len(self.width)
        self.offsets = []
        for row in self.layers:
            at, offsets = 0.0, []
            for i, v in enumerate(row):
                if i:
                    at += self._gap(row[i - 1], v)
                offsets.append(at)
            self.offsets.append(offsets)
            for v, offset in zip(row, offsets):
                self.x[v] = offset - at / 2
        for sweep in range(PLACE_SWEEPS):
            last = sweep == PLACE_SWEEPS - 1
            downward = sweep % 2 == 0
            rows = range(1, len(self.layers)) if downward else range(len(self.layers) - 2, -1, -1)
            for k in rows:
                self._fit_layer(k, None if last else self.pull_up if downward else self.pull_down)
        self._align_chains()

    def _align_chains(self) -> None:
        """Put each link of a chain exactly under the one before wherever the spacing allows
        (the least-squares fit leaves them a fraction of a pixel apart)."""
        x = self.x
        for row in self.layers[1:]:
            for i, v in enumerate(row):
                if len(self.pull_up[v]) != 1 or self.pull_up[v][0][1] != CHAIN_WEIGHT:
                    continue
                want = x[self.pull_up[v][0][0]]
                if i and want < x[row[i - 1]] + self._gap(row[i - 1], v):
                    continue
                if i + 1 < len(row) and want > x[row[i + 1]] - self._gap(v, row[i + 1]):
                    continue
                x[v] = want

    def _weigh(self) -> None:
        """How strongly each pair of neighbours wants one x: a chain link (one wire out of the
        upper, one into the lower) most, so chains are straight columns; a block and a wire
        passing by least, so a skip wire bends around the blocks."""
        self.pull_up: list[list[tuple[int, float]]] = [[] for _ in self.width]
        self.pull_down: list[list[tuple[int, float]]] = [[] for _ in self.width]
        for u, below in enumerate(self.down):
            for v, _ in below:
                if self.is_dummy(u) != self.is_dummy(v):
                    k = PASSING_WEIGHT
                elif len(below) == 1 and len(self.up[v]) == 1:
                    k = CHAIN_WEIGHT
                else:
                    k = 1.0
                self.pull_down[u].append((v, k))
                self.pull_up[v].append((u, k))

    def _fit_layer(self, k: int, pulls) -> None:
        """Least-squares positions for one layer, nearest to where each node wants to sit (the
        weighted mean of its neighbours' x in ``pulls``: the layer above, below, or both when
        None), in its order and at least the gaps apart (pool adjacent violators on x less
        the spacing)."""
        row, offsets = self.layers[k], self.offsets[k]
        x = self.x
        blocks: list[list[float]] = []          # [weighted sum, weight, count]
        for i, v in enumerate(row):
            at = offsets[i]
            near = pulls[v] if pulls is not None else self.pull_up[v] + self.pull_down[v]
            total = weight = 0.0
            for w, pull in near:
                total += pull * x[w]
                weight += pull
            if weight:
                want = total / weight
            else:
                want, weight = x[v], 1e-3
            if v >= self.n_real:
                weight *= DUMMY_WEIGHT
            blocks.append([(want - at) * weight, weight, 1])
            while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
                s, w, c = blocks.pop()
                blocks[-1][0] += s
                blocks[-1][1] += w
                blocks[-1][2] += c
        i = 0
        for s, w, c in blocks:
            value = s / w
            for _ in range(c):
                x[row[i]] = value + offsets[i]
                i += 1

    def place_y(self) -> None:
        """Layer tops: each layer as tall as its tallest box, then a gap that grows with how far
        the wires below it travel sideways (so they never run flat)."""
        self.top, self.bottom = [], []
        at = 0.0
        for k, row in enumerate(self.layers):
            self.top.append(at)
            at += max((self.height[v] for v in row), default=0.0)
            self.bottom.append(at)
            travel = max((abs(self.x[u] - self.x[v]) for u in row for v, _ in self.down[u]),
                         default=0.0)
            at += min(MAX_GAP_Y, GAP_Y + travel * 0.12)

    def route(self, s: str, d: str, p: int) -> tuple[tuple[float, float], ...]:
        chain = self.chains[(s, d, p)]
        a = chain[0]
        k = self.layer_of[a]
        points = [(self.x[a], self.top[k] + self.height[a])]
        if points[-1][1] < self.bottom[k]:
            points.append((self.x[a], self.bottom[k]))
        for v in chain[1:]:
            k = self.layer_of[v]
            end = (self.x[v], self.top[k])
            points.extend(_curve(points[-1], end)[1:])
            if self.is_dummy(v):
                points.append((self.x[v], self.bottom[k]))
        return tuple(_straightened(points))


def _curve(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """A cubic from ``a`` down to ``b`` leaving and arriving vertically, as a polyline whose
    pieces are at most SAMPLE pixels long, and at most CURVE_POINTS of them (a straight drop is
    two points). The curve stays between its ends' heights, so a coarser polyline does too."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    if abs(dx) < 0.5:
        return [a, b]
    fastest = 1.5 * math.hypot(dx, dy)          # the curve's greatest speed in t
    basis = _basis(min(CURVE_POINTS, max(2, math.ceil(fastest / SAMPLE))))
    return [(x0 + dx * fx, y0 + dy * fy) for fx, fy in basis]


def _straightened(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The polyline without the middle points of vertical runs (a wire down a column of
    lanes is one segment, not one per layer)."""
    out = points[:2]
    for p in points[2:]:
        (x0, _), (x1, _) = out[-2], out[-1]
        if abs(x0 - x1) < 0.5 and abs(x0 - p[0]) < 0.5 and abs(x1 - p[0]) < 0.5:
            out[-1] = p
        else:
            out.append(p)
    return out


@lru_cache(maxsize=512)
def _basis(n: int) -> tuple[tuple[float, float], ...]:
    """For t = i/n: the share of the way across (x) and down (y) of a vertical-tangent cubic
    (control points at half height above and below its ends)."""
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        across = 3 * u * t * t + t * t * t
        down = 1.5 * u * u * t + 1.5 * u * t * t + t * t * t
        out.append((across, down))
    return tuple(out)


def _self_loop(box: Box) -> tuple[tuple[float, float], ...]:
    """A node wired to itself (a broken file): a loop around its right side."""
    right = box.x + box.width + LANE
    return ((box.centre_x, box.bottom), (box.centre_x, box.bottom + LANE), (right, box.bottom + LANE),
            (right, box.y - LANE), (box.centre_x, box.y - LANE), (box.centre_x, box.y))


def segments_cross_box(points, box: Box, inset: float = 0.5) -> bool:
    """Whether the polyline ``points`` enters the inside of ``box`` (shrunk by ``inset``)."""
    left, right = box.x + inset, box.x + box.width - inset
    top, bottom = box.y + inset, box.bottom - inset
    x0, y0 = points[0]
    for x1, y1 in points[1:]:
        beside = ((x0 <= left and x1 <= left) or (x0 >= right and x1 >= right)
                  or (y0 <= top and y1 <= top) or (y0 >= bottom and y1 >= bottom))
        if not beside and _clip(x0, y0, x1, y1, left, top, right, bottom):
            return True
        x0, y0 = x1, y1
    return False


def _clip(x0, y0, x1, y1, left, top, right, bottom) -> bool:
    """Liang-Barsky: does the segment meet the open rectangle?"""
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        r = q / p
        if p < 0:
            if r > t1:
                return False
            t0 = max(t0, r)
        else:
            if r < t0:
                return False
            t1 = min(t1, r)
    return t0 < t1


def overlapping(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    """Pairs of boxes whose insides overlap (sweep over x)."""
    items = sorted(boxes.items(), key=lambda kv: kv[1].x)
    starts = [b.x for _, b in items]
    found = []
    for i, (a, box) in enumerate(items):
        end = bisect_left(starts, box.x + box.width)
        for b, other in items[i + 1:end]:
            if box.y < other.bottom and other.y < box.bottom:
                found.append((a, b))
    return found
