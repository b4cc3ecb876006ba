"""Second pass of recognition: units grouped into ConvSketch blocks, built with the presets'
``Builder`` and checked against every shape the file knows.

Patterns, tried on each convolution unit in execution order:

* expand 1×1 → depthwise → linear 1×1 projection (+ residual add) → ``ir`` (no expand: t = 1);
* depthwise → pointwise with the same BatchNorm and activation → ``sepconv``;
* squeeze 1×1 → expands 1×1 and 3×3 → concat → ``fire``;
* otherwise ``dwconv`` (groups = channels) or ``conv``.

A unit only joins a block when every tensor between its parts is read by nothing else, so no
wire of the model is lost. Blocks made of BatchNorm-less convolutions with biases are what a
file whose BatchNorms were folded holds: they import as they are and the description says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from blocks import BlockError
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.design import INPUT, Design

from .graph import ImportRefused, OpGraph
from .units import Fuser, Unit


@dataclass
class Block:
    kind: str
    units: list[Unit]
    inputs: tuple[str, ...]
    output: str
    params: dict = field(default_factory=dict)
    width: str = "scale"

    @property
    def ops(self):
        return [op for u in self.units for op in u.ops]


def _is_depthwise(u: Unit) -> bool:
    c = u.conv
    return u.kind == "conv" and c["groups"] == c["in"] == c["out"] and c["in"] > 1


def _is_pointwise(u: Unit) -> bool:
    c = u.conv
    return (u.kind == "conv" and c["kernel"] == 1 and c["stride"] == 1 and c["pad"] == 0
            and c["groups"] == 1)


def _same_pad(u: Unit) -> bool:
    return u.conv["pad"] == (u.conv["kernel"] - 1) // 2


class Recogniser:
    def __init__(self, graph: OpGraph):
        self.graph = graph
        self.fuser = Fuser(graph)
        self.units = self.fuser.units()
        self.by_output = {u.output: u for u in self.units}
        self.readers: dict[str, list[Unit]] = {}
        for u in self.units:
            for t in u.inputs:
                self.readers.setdefault(t, []).append(u)

    def only_reader(self, u: Unit, kind: str = "conv") -> Unit | None:
        users = self.readers.get(u.output, [])
        if len(users) == 1 and u.output != self.fuser.output and users[0].kind == kind:
            return users[0]
        return None

    def blocks(self) -> list[Block]:
        used: set[int] = set()
        out: list[Block] = []
        for u in self.units:
            if id(u) in used:
                continue
            block = (self._ir(u) or self._sepconv(u) or self._fire(u)) if u.kind == "conv" \
                else None
            block = block or self._single(u)
            used.update(id(x) for x in block.units)
            out.append(block)
        return out

    # -- patterns -----------------------------------------------------------------------------
    def _ir(self, first: Unit) -> Block | None:
        plain = {"bias": False, "bn": True}
        expand = None
        if _is_pointwise(first) and not _is_depthwise(first):
            expand, dw = first, self.only_reader(first)
        else:
            dw = first
        if dw is None or not _is_depthwise(dw) or not _same_pad(dw):
            return None
        project = self.only_reader(dw)
        if project is None or not _is_pointwise(project):
            return None
        parts = [p for p in (expand, dw, project) if p]
        act = dw.params["activation"]
        if any({k: p.params[k] for k in plain} != plain for p in parts) or act == "none" \
                or project.params["activation"] != "none" \
                or (expand and expand.params["activation"] != act):
            return None
        c, hidden, m = parts[0].conv["in"], dw.conv["in"], project.conv["out"]
        if hidden % c or (expand is None and hidden != c):
            return None
        t, stride = hidden // c, dw.conv["stride"]
        units, output, residual = parts, project.output, False
        add = self.only_reader(project, "add")
        if (add is not None and stride == 1 and c == m and add.params["activation"] == "none"
                and sorted(add.inputs) == sorted([parts[0].inputs[0], project.output])):
            units, output, residual = [*parts, add], add.output, True
        elif stride == 1 and c == m:
            residual = False
        else:
            residual = True
        return Block("ir", units, parts[0].inputs, output,
                     {"out_channels": m, "expansion": t, "stride": stride,
                      "kernel": dw.conv["kernel"], "residual": residual, "activation": act})

    def _sepconv(self, dw: Unit) -> Block | None:
        if not _is_depthwise(dw) or not _same_pad(dw) or dw.params["bias"]:
            return None
        pw = self.only_reader(dw)
        if pw is None or not _is_pointwise(pw) or pw.params["bias"] \
                or any(pw.params[k] != dw.params[k] for k in ("bn", "activation")):
            return None
        return Block("sepconv", [dw, pw], dw.inputs, pw.output,
                     {"out_channels": pw.conv["out"], "kernel": dw.conv["kernel"],
                      "stride": dw.conv["stride"], "bn": dw.params["bn"],
                      "activation": dw.params["activation"]})

    def _fire(self, squeeze: Unit) -> Block | None:
        if not _is_pointwise(squeeze):
            return None
        readers = self.readers.get(squeeze.output, [])
        if len(readers) != 2 or squeeze.output == self.fuser.output:
            return None
        e1, e3 = readers if _is_pointwise(readers[0]) else readers[::-1]
        if not (_is_pointwise(e1) and e3.kind == "conv" and e3.conv["kernel"] == 3
                and e3.conv["stride"] == 1 and e3.conv["pad"] == 1 and e3.conv["groups"] == 1):
            return None
        concat = self.only_reader(e1, "concat")
        if concat is None or self.only_reader(e3, "concat") is not concat \
                or list(concat.inputs) != [e1.output, e3.output] \
                or any(u.params != squeeze.params for u in (e1, e3)):
            return None
        return Block("fire", [squeeze, e1, e3, concat], squeeze.inputs, concat.output,
                     {"squeeze": squeeze.conv["out"], "expand1x1": e1.conv["out"],
                      "expand3x3": e3.conv["out"], **squeeze.params})

    def _single(self, u: Unit) -> Block:
        if u.kind != "conv":
            return Block(u.kind, [u], u.inputs, u.output, dict(u.params))
        c = u.conv
        pad = -1 if _same_pad(u) else c["pad"]
        if _is_depthwise(u):
            return Block("dwconv", [u], u.inputs, u.output,
                         {"kernel": c["kernel"], "stride": c["stride"], "padding": pad,
                          **u.params})
        return Block("conv", [u], u.inputs, u.output,
                     {"out_channels": c["out"], "kernel": c["kernel"], "stride": c["stride"],
                      "padding": pad, "groups": c["groups"], **u.params})


def block_names(graph_ops, blocks: list[Block]) -> list[str]:
    """Each block's name from the model: the module path holding all of the block's ops and no
    other op (``block3`` for a whole inverted residual), else its main op's path
    (``layer1.0.conv1``; ``layer1.0.add`` for a function such as an add), else its node name."""
    under: dict[str, int] = {}
    for op in graph_ops:
        parts = op.path.split(".") if op.path else []
        for i in range(1, len(parts) + 1):
            key = ".".join(parts[:i])
            under[key] = under.get(key, 0) + 1
    names = []
    for b in blocks:
        ops = b.ops
        paths = [op.path.split(".") for op in ops if op.path]
        prefix = []
        if paths and len(paths) == len(ops):
            for level in zip(*paths):
                if len(set(level)) != 1:
                    break
                prefix.append(level[0])
        joined = next((".".join(prefix[:i]) for i in range(1, len(prefix) + 1)
                       if under.get(".".join(prefix[:i])) == len(ops)), "")
        main = b.units[0].main
        if b.kind == "linear":
            main = next(op for op in ops if op.type in ("Gemm", "MatMul"))
        if joined and under.get(joined) == len(ops):
            names.append(joined)
        elif main.path:
            function = main.type in ("Add", "Concat", "Flatten", "Reshape", "ReduceMean",
                                     "MatMul")
            names.append(f"{main.path}.{main.type.lower()}" if function and under.get(
                main.path, 0) > 1 else main.path)
        else:
            names.append(main.name.strip("/") or b.kind)
    return names


def describe(graph: OpGraph, blocks: list[Block]) -> str:
    source = Path(graph.source).name
    text = f"Imported from {source}."
    convs = [u for b in blocks for u in b.units if u.kind == "conv"]
    folded = [u for u in convs if u.params["bias"] and not u.params["bn"]]
    if graph.format == "onnx" and convs and folded and not any(u.params["bn"] for u in convs):
        text += (f" The file holds no BatchNorm and {len(folded)} convolution"
                 f"{'s' if len(folded) != 1 else ''} with a bias (an exporter folds BatchNorm "
                 "into a convolution's weights and bias this way): they import as the file "
                 "says, with a bias and no BatchNorm, so the parameters count no BatchNorm "
                 "scale and shift.")
    return text


def to_design(graph: OpGraph, name: str | None = None) -> Design:
    """The design the op graph describes, laid out, at α 1; raises ImportRefused (located)."""
    if any(d is None for d in graph.input_shape):
        raise ImportRefused(f"{graph.source}: the input {graph.input!r} has an open dimension "
                            f"({_shape_text(graph.input_shape)}): give its size with --input "
                            "CxHxW")
    rec = Recogniser(graph)
    found = rec.blocks()
    if not found:
        raise ImportRefused(f"{graph.source}: the model has no layers to import")
    names = block_names(rec.fuser.ops, found)
    builder = Builder(name or Path(graph.source).stem, tuple(graph.input_shape),
                      description=describe(graph, found))
    made: dict[str, str] = {graph.input: INPUT}
    ids = []
    for block, base in zip(found, names):
        nid = builder.design.unique_name(base, sep="_")
        missing = [t for t in block.inputs if t not in made]
        if missing:
            raise ImportRefused(f"{graph.source}: {base}: reads {missing[0]!r}, which is not the "
                                "model's input nor made by an earlier layer (several inputs, or "
                                "a constant image, are not supported)")
        try:
            builder.add(block.kind, nid, [made[t] for t in block.inputs], block.width,
                        **block.params)
        except BlockError as err:
            field_name = f" {err.field}" if getattr(err, "field", None) else ""
            raise ImportRefused(f"{graph.source}: {base}:{field_name} {err}") from None
        made[block.output] = nid
        ids.append(nid)
    last = made.get(rec.fuser.output)
    if last is None:
        raise ImportRefused(f"{graph.source}: the model's output {graph.output!r} is not made by "
                            "its last layer")
    _fix_classifier(builder.design, last)
    design = builder.build()
    _check_shapes(graph, design, found, ids)
    return design


def _fix_classifier(design: Design, last: str) -> None:
    """Mark the convolution making the classes fixed-width (as the SqueezeNet presets do), so α
    never changes the number of outputs; a linear classifier is never scaled anyway."""
    nid = last
    while True:
        node = design.nodes[nid]
        if node.kind in ("conv", "pwconv"):
            node.width = "fixed"
            return
        if node.kind not in ("gap", "flatten", "dropout", "maxpool", "avgpool"):
            return
        sources = design.inputs_of(nid)
        if len(sources) != 1 or sources[0].src == INPUT:
            return
        nid = sources[0].src


def _check_shapes(graph: OpGraph, design: Design, found: list[Block], ids: list[str]) -> None:
    a = analyze(design)
    if a.problems:
        raise ImportRefused(f"{graph.source}: the imported design is not valid:\n"
                            + "\n".join(f"  {p}" for p in a.problems))
    costs = {b.node_id: b for b in a.blocks}
    for block, nid in zip(found, ids):
        made = tuple(costs[nid].output_shape)
        known = graph.shapes.get(block.output)
        if block.kind == "gap" and known is not None and len(known) == 1:
            made = made[:1] if made[1:] == (1, 1) else made
        if known is not None and tuple(known) != made:
            raise ImportRefused(
                f"{graph.source}: {nid}: ConvSketch makes {_shape_text(made)} where the "
                f"model makes {_shape_text(known)} (a shape it cannot follow)")
        layers = [la for la in costs[nid].layers if la.op in ("conv", "linear")]
        units = [u for u in block.units if u.kind in ("conv", "linear")]
        for layer, unit in zip(layers, units):
            want = unit.conv["in"]
            got = layer.attr("in_channels", layer.attr("in_features"))
            if want != got:
                raise ImportRefused(
                    f"{graph.source}: {nid}: {unit.main.name} reads {want} "
                    f"{'channels' if unit.kind == 'conv' else 'features'} in the model but "
                    f"{got} in ConvSketch (a shape it cannot follow)")


def _shape_text(shape) -> str:
    return "×".join("?" if d is None else str(d) for d in shape)
