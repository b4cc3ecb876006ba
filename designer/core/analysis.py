"""Analysis of a design: shapes, parameters, MACs, other ops and activation memory, per primitive
layer, per block and in total, at the design's α, ρ and dtype.

The counting conventions are those of :mod:`blocks.layer` (MACs: conv and linear
multiply-accumulates, bias excluded; other ops apart; parameters include biases and BatchNorm
scale/shift; BatchNorm running statistics are buffers). Memory conventions are in
:mod:`designer.core.memory`. The total of activations is the design input plus every materialised
layer output (cs231n's forward-pass figure).

An invalid node does not stop the analysis: every node that can be analysed is, and each fault
is reported once, located by node and field, in ``problems``. An invalid node counts nothing, but
when its output shape does not depend on the faulty field (a groups count that does not divide,
say) that shape is still passed on, so the blocks after it keep their numbers; the totals are then
partial (``invalid_blocks``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from operator import attrgetter

import blocks
from blocks import Block, BlockError, Layer, Shape, numel

from .design import DTYPES, INPUT, ROUNDINGS, WIDTH_RULES, Design
from .graph import Problem, execution_order, wiring_problems
from .io import shown
from .live_memory import SweepPlan, memory_figures
from .memory import block_template
from .receptive_field import Field, field_by_signature, input_field, spatial_signature
from .scaling import ALPHA_RANGE, RHO_RANGE, make_block, node_block, scaled_block, scaled_input


@dataclass(frozen=True)
class BlockCost:
    """One node analysed: its scaled block, shapes, primitive layers and summed costs."""

    node_id: str
    name: str
    kind: str
    block: Block | None
    input_shapes: tuple[Shape, ...]
    output_shape: Shape | None
    layers: tuple[Layer, ...] = ()
    params: int = 0
    macs: int = 0
    other_ops: int = 0
    buffers: int = 0
    activation_bytes: int = 0
    error: str | None = None
    field: Field | None = None

    @property
    def receptive_field(self) -> int | None:
        """Pixels of the input one output element sees (None for an invalid block)."""
        return self.field.size if self.field else None

    @property
    def jump(self) -> int | None:
        """Pixels of the input between neighbouring output elements (the effective stride)."""
        return self.field.jump if self.field else None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Analysis:
    name: str
    input_shape: Shape
    output_shape: Shape | None
    alpha: float
    rho: float
    rounding: str
    dtype: str
    bytes_per_element: int
    blocks: tuple[BlockCost, ...]
    problems: tuple[Problem, ...]
    params: int = 0
    macs: int = 0
    other_ops: int = 0
    buffers: int = 0
    input_bytes: int = 0
    activation_bytes_total: int = 0
    peak_activation_bytes: int = 0
    peak_at: str = ""
    block_peak_activation_bytes: int = 0
    block_peak_at: str = ""
    eager_peak_activation_bytes: int = 0
    eager_peak_at: str = ""
    memory_live: tuple[int, ...] = field(default=(), repr=False)
    memory_steps: tuple[tuple[str, ...], tuple[str, ...]] = field(default=((), ()), repr=False)
    reuse: Reuse | None = field(default=None, repr=False, compare=False)

    @property
    def memory_timeline(self) -> list[tuple[str, int]]:
        """(``block/layer``, live bytes while it runs) for every primitive step, in order."""
        blocks_, layers_ = self.memory_steps
        return [(f"{b}/{la}", v) for b, la, v in zip(blocks_, layers_, self.memory_live)]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def invalid_blocks(self) -> int:
        """How many blocks the totals leave out because they are invalid."""
        return sum(not b.ok for b in self.blocks)

    def block(self, node_id: str) -> BlockCost:
        return next(b for b in self.blocks if b.node_id == node_id)

    def to_dict(self) -> dict:
        """The JSON form of ``stats --json``."""
        return {
            "name": self.name, "alpha": self.alpha, "rho": self.rho, "rounding": self.rounding,
            "dtype": self.dtype, "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape) if self.output_shape else None,
            "params": self.params, "macs": self.macs, "flops": 2 * self.macs,
            "other_ops": self.other_ops, "buffers": self.buffers,
            "activation_bytes_total": self.activation_bytes_total,
            "peak_activation_bytes": self.peak_activation_bytes,
            "block_peak_activation_bytes": self.block_peak_activation_bytes,
            "eager_peak_activation_bytes": self.eager_peak_activation_bytes,
            "blocks": [{"id": b.node_id, "name": b.name, "kind": b.kind,
                        "input_shapes": [list(s) for s in b.input_shapes],
                        "output_shape": list(b.output_shape) if b.output_shape else None,
                        "params": b.params, "macs": b.macs, "other_ops": b.other_ops,
                        "activation_bytes": b.activation_bytes,
                        "receptive_field": b.receptive_field, "jump": b.jump,
                        "sees_whole_image": b.field.covers(self.input_shape) if b.field else None,
                        "error": b.error}
                       for b in self.blocks],
            "problems": [{"node": p.node_name, "field": p.field, "message": p.message}
                         for p in self.problems],
        }


MAX_INPUT_DIM = 65536
"""The largest channel count, height or width of a design's input (a block's own channel
bound): past it no number would mean anything, and arithmetic on it must stay finite."""


def setting_problems(design: Design) -> list[Problem]:
    out = []

    def bad(field_name: str, message: str) -> None:
        out.append(Problem(None, None, field_name, message))

    shape = design.input_shape
    if (not isinstance(shape, tuple) or len(shape) != 3
            or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= MAX_INPUT_DIM
                       for d in shape)):
        bad("input_shape", f"must be three whole numbers from 1 to {MAX_INPUT_DIM:,} (channels, "
                           f"height, width), got {shown(shape)}")
    if not _number_in(design.alpha, *ALPHA_RANGE):
        bad("alpha", f"must be a number from {ALPHA_RANGE[0]} to {ALPHA_RANGE[1]}, got {design.alpha!r}")
    if not _number_in(design.rho, *RHO_RANGE):
        bad("rho", f"must be a number from {RHO_RANGE[0]} to {RHO_RANGE[1]}, got {design.rho!r}")
    if design.rounding not in ROUNDINGS:
        bad("rounding", f"must be one of {', '.join(ROUNDINGS)}, got {design.rounding!r}")
    if design.dtype not in DTYPES:
        bad("dtype", f"must be one of {', '.join(DTYPES)}, got {design.dtype!r}")
    return out


def _number_in(v, lo: float, hi: float) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi


@dataclass(frozen=True)
class Reuse:
    """What the next analysis of the same design may take over instead of working it out again
    (an α or ρ tick changes no wiring, and often leaves a block's scaled widths as they were).
    Nothing is trusted: ``fingerprint`` is the wiring itself (node ids, names and edges, which
    are frozen), compared whole; a block's cost is taken over only when its scaled block equals
    the old one and every block feeding it gives what it gave before (see ``_still``); the
    memory sweep's plans when they were planned from the same wiring and block structures
    (see designer.core.live_memory)."""

    fingerprint: tuple
    wiring: tuple[Problem, ...]
    order: list[str]
    cyclic: list[str]
    incoming: dict[str, list]
    sinks: list[str]
    input_shape: Shape
    dtype: str
    results: dict[str, BlockCost]
    memory_plans: tuple[SweepPlan, ...] = ()


def _wiring(design: Design, previous: Reuse | None) -> Reuse:
    """The α- and ρ-free part of an analysis: problems of names and wires, execution order,
    each node's incoming edges by port, and the sinks with the output last."""
    fingerprint = (tuple(design.nodes), tuple(n.name for n in design.nodes.values()),
                   tuple(design.edges))
    if previous is not None and previous.fingerprint == fingerprint:
        return previous
    order, cyclic = execution_order(design)
    incoming: dict[str, list] = {nid: [] for nid in design.nodes}
    consumed: set[str] = set()
    for e in design.edges:
        if e.dst in incoming:
            incoming[e.dst].append(e)
            consumed.add(e.src)
    for edges in incoming.values():
        if len(edges) > 1:
            edges.sort(key=lambda e: e.port)
    sinks = _output_last([nid for nid in order if nid not in consumed], order, incoming)
    return Reuse(fingerprint, tuple(wiring_problems(design)), order, cyclic, incoming, sinks,
                 (), "", {})


def analyze(design: Design, previous: Analysis | None = None) -> Analysis:
    """Analyse ``design`` at its own α, ρ, rounding and dtype. ``previous``: the last analysis
    of this design (the document's), whose unchanged parts are taken over (``Reuse``): the
    result is the same as without it, sooner."""
    problems = setting_problems(design)
    if problems:
        return Analysis(design.name, tuple(design.input_shape) if isinstance(design.input_shape, tuple)
                        else (), None, design.alpha, design.rho, design.rounding, design.dtype, 4,
                        (), tuple(problems))
    nbytes = DTYPES[design.dtype]
    x0 = scaled_input(design.input_shape, design.rho)
    old = previous.reuse if previous is not None else None
    wiring = _wiring(design, old)
    problems += wiring.wiring
    order, cyclic, incoming, sinks = wiring.order, wiring.cyclic, wiring.incoming, wiring.sinks
    old_results = (old.results if old is not None and wiring is old and old.input_shape == x0
                   and old.dtype == design.dtype else {})

    results: dict[str, BlockCost] = {}
    expanded: dict = {}
    nodes, alpha, rounding = design.nodes, design.alpha, design.rounding
    for nid in order:
        node, edges = nodes[nid], incoming[nid]
        cost, block = old_results.get(nid), None
        if cost is not None:
            kept, block = _still(node, cost, edges, results, old_results, alpha, rounding)
            if kept:
                results[nid] = cost
                continue
        results[nid] = _analyze_node(design, nid, node, edges, results, x0, problems, block,
                                     expanded)
    for nid in cyclic:
        node = design.nodes[nid]
        problems.append(Problem(nid, node.name, None, "is on a cycle: a network's wiring must "
                                                      "flow one way"))
        results[nid] = BlockCost(nid, node.name, node.kind, None, (), None, error="on a cycle")

    for nid in sinks[:-1]:
        node = design.nodes[nid]
        problems.append(Problem(nid, node.name, None, "its output is used by nothing: a design "
                                                      "has one output (wire it on, or delete it)"))
    costs = [results[nid] for nid in order] + [results[nid] for nid in cyclic]
    ok = [c for c in costs if c.error is None]
    plans = old.memory_plans if old is not None else ()
    if old_results and all(results[n] is old_results.get(n) for n in order):
        memory = {k: getattr(previous, k) for k in _MEMORY_FIELDS}
    else:
        shaped = [results[n] for n in order if results[n].output_shape is not None]
        counted_sinks = {n for n in sinks if results[n].error is None}
        memory, plans = _memory(shaped, incoming, x0, nbytes, counted_sinks, plans, expanded)
    reuse = Reuse(wiring.fingerprint, wiring.wiring, order, cyclic, incoming, sinks, x0,
                  design.dtype, results, plans)
    return Analysis(
        design.name, x0, results[sinks[-1]].output_shape if sinks else None, design.alpha,
        design.rho, design.rounding, design.dtype, nbytes, tuple(costs), tuple(problems),
        params=sum(map(_PARAMS, ok)), macs=sum(map(_MACS, ok)),
        other_ops=sum(map(_OTHER_OPS, ok)), buffers=sum(map(_BUFFERS, ok)),
        input_bytes=numel(x0) * nbytes,
        activation_bytes_total=numel(x0) * nbytes + sum(map(_ACTIVATION_BYTES, ok)),
        reuse=reuse, **memory)


_PARAMS, _MACS, _OTHER_OPS, _BUFFERS, _ACTIVATION_BYTES = (
    attrgetter(k) for k in ("params", "macs", "other_ops", "buffers", "activation_bytes"))

_memory = memory_figures      # by this name, so that a test can put its reference sweep here

_MEMORY_FIELDS = ("peak_activation_bytes", "peak_at", "block_peak_activation_bytes",
                  "block_peak_at", "eager_peak_activation_bytes", "eager_peak_at", "memory_live",
                  "memory_steps")


def _still(node, cost: BlockCost, edges: list, results: dict[str, BlockCost],
           old_results: dict[str, BlockCost], alpha: float, rounding: str
           ) -> tuple[bool, Block | None]:
    """Whether ``cost``, from the last analysis of the same wiring, input and dtype, is what
    analysing ``nid`` again would give: it counted, the node's kind and scaled block are the
    same, and every block that feeds it gives the same output shape and receptive field (all
    ``_analyze_node`` reads of it) as before; and the node's scaled block if it was built (so
    that it is not built twice), else None."""
    if cost.error is not None or node.kind != cost.kind or node.width not in WIDTH_RULES:
        return False, None
    try:
        block = node_block(node.kind, node.params, alpha, rounding, node.width)
    except BlockError:
        return False, None
    if block is not cost.block:                 # equal blocks are one object (node_block)
        return False, block
    for e in edges:
        src = e.src
        if src == INPUT:
            continue
        new, old = results.get(src), old_results.get(src)
        if new is not old and (new is None or old is None or new.output_shape != old.output_shape
                               or new.field != old.field):
            return False, block
    return True, block


def _output_last(sinks: list[str], order: list[str], incoming: dict[str, list]) -> list[str]:
    """The sinks with the design's output last: the one at the end of the longest path (the
    classifier, not a block just dropped beside the chain and not wired on yet); among equals,
    the last in execution order."""
    if len(sinks) < 2:
        return sinks
    depth: dict[str, int] = {}
    for nid in order:
        depth[nid] = 1 + max((depth.get(e.src, 0) for e in incoming[nid]), default=0)
    rank = {nid: i for i, nid in enumerate(order)}
    output = max(sinks, key=lambda n: (depth[n], rank[n]))
    return [n for n in sinks if n != output] + [output]


def _analyze_node(design: Design, nid: str, node, edges: list, results: dict[str, BlockCost],
                  x0: Shape, problems: list[Problem], block: Block | None = None,
                  expanded: dict | None = None) -> BlockCost:
    """``node``: ``design.nodes[nid]``; ``block``: its scaled block if already built (by
    ``_still``); ``expanded``: this analysis's blocks already expanded, by block and input
    shapes (see ``_expanded``)."""
    if node.width not in WIDTH_RULES:
        return _failed(problems, nid, node, f"width rule must be one of "
                       f"{', '.join(WIDTH_RULES)}, got {node.width!r}", "width")
    fault = None
    if block is None:
        try:
            block = node_block(node.kind, node.params, design.alpha, design.rounding, node.width)
        except BlockError as err:
            fault = err
    shapes, fields = [], []
    for e in edges:
        if e.src == INPUT:
            shapes.append(x0)
            fields.append(input_field(x0))
            continue
        src = results.get(e.src)
        if src is None:
            return _failed(problems, nid, node,
                           f"input {e.port} is wired to unknown node '{e.src}'", report=False)
        if src.output_shape is None:
            if fault is not None:
                return _failed(problems, nid, node, fault.message, fault.field)
            return _failed(problems, nid, node, f"waits for '{src.name}', which has an error",
                           report=False)
        shapes.append(src.output_shape)
        fields.append(src.field)
    shapes = tuple(shapes)
    if block is not None and not shapes and block.min_inputs:
        return _failed(problems, nid, node, "has no input wired", shapes=shapes)
    hit = expanded.get((id(block), shapes)) if expanded is not None and fault is None else None
    try:
        if fault is not None:
            raise fault
        _, ex, signature, _, counted = hit or _expanded(block, shapes, expanded,
                                                        DTYPES[design.dtype])
    except BlockError as err:
        problems.append(Problem(nid, node.name, err.field, err.message))
        return BlockCost(nid, node.name, node.kind, None, shapes,
                         _shape_despite(design, node, err.field, shapes), error=err.message)
    values = counted.copy()
    values["node_id"], values["name"], values["kind"] = nid, node.name, node.kind
    values["field"] = (None if None in fields
                       else field_by_signature(signature, ex.layers, tuple(fields)))
    cost = object.__new__(BlockCost)       # not the frozen __init__, field by field: 3x slower
    object.__setattr__(cost, "__dict__", values)
    return cost


def _expanded(block: Block, shapes: tuple[Shape, ...], expanded: dict | None,
              nbytes: int) -> tuple:
    """(``block``, ``block.expand(shapes)``, its receptive field's signature, its memory
    template, the fields of its cost that do not depend on the node), remembered in
    ``expanded`` by the block's identity (the block is kept there, so its id is not reused
    while the dict lives): many nodes of a design share one scaled block object (equal blocks
    are one object), and an identity is looked up faster than a block's fields are hashed."""
    key = (id(block), shapes)
    hit = expanded.get(key) if expanded is not None else None
    if hit is None:
        ex = block.expand(shapes)
        counted = dict(zip(_COST_FIELDS, (None, None, None, block, shapes, ex.layers[-1].output,
                                          ex.layers, ex.params, ex.macs, ex.other_ops,
                                          ex.buffers, ex.materialized * nbytes, None, None)))
        hit = (block, ex, spatial_signature(block, shapes), block_template(block, shapes),
               counted)
        if expanded is not None:
            expanded[key] = hit
    return hit


def _failed(problems: list[Problem], nid: str, node, message: str,
            field_name: str | None = None, report: bool = True, shapes: tuple = ()) -> BlockCost:
    """An invalid node's cost (and its problem, if ``report``)."""
    if report:
        problems.append(Problem(nid, node.name, field_name, message))
    return BlockCost(nid, node.name, node.kind, None, shapes, None, error=message)


_COST_FIELDS = tuple(f.name for f in dataclass_fields(BlockCost))


def _shape_despite(design: Design, node, field_name: str | None, shapes: tuple) -> Shape | None:
    """The output shape an invalid node would have whatever the value of its faulty field: the
    field is set to legal probe values (its default, its bounds or choices, 1, 2, True/False) and
    the shape counts as defined only if at least two values build and all give the same shape
    (groups: yes; out_channels or stride: no, so the blocks after it wait)."""
    if not field_name or not shapes:
        return None
    try:
        spec = next((s for s in blocks.get(node.kind).specs() if s.name == field_name), None)
    except BlockError:
        return None
    if spec is None:
        return None
    if spec.choices:
        probes = list(spec.choices)
    elif spec.type is bool:
        probes = [False, True]
    else:
        probes = [v for v in (spec.default, spec.lo, spec.hi, 1, 2) if v is not None
                  and (spec.lo is None or v >= spec.lo) and (spec.hi is None or v <= spec.hi)]
        probes = [spec.type(v) if spec.type in (int, float) else v for v in probes]
    found: set[Shape] = set()
    built = 0
    for value in dict.fromkeys(probes):
        try:
            block = scaled_block(make_block(node.kind, {**node.params, field_name: value}),
                                 design.alpha, design.rounding, node.width)
            found.add(block.expand(shapes).layers[-1].output)
            built += 1
        except BlockError:
            continue
    return found.pop() if len(found) == 1 and built >= 2 else None
