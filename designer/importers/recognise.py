"""Second pass of recognition: units grouped into ConvSketch blocks, built with the presets'
``Builder`` and checked against every shape the file knows.

Patterns, first from each add (where this ConvSketch has the kinds):

* 3×3 → 3×3, or 1×1 → 3×3 → 1×1, each conv BatchNormed, + the input or its 1×1 projection,
  then ReLU → ``basic`` or ``bottleneck``;

then on each unit in execution order:

* expand 1×1 → depthwise → [squeeze-and-excitation] → linear 1×1 projection (+ residual add)
  → ``ir`` (no expand when the hidden width is the input's);
* depthwise → pointwise with the same BatchNorm and activation → ``sepconv``;
* squeeze 1×1 → expands 1×1 and 3×3 → concat → ``fire``;
* global pool → 1×1 + act → 1×1 + gate → times the input → ``se``;
* otherwise ``dwconv`` (groups = channels) or ``conv``, or the unit's own kind.

A unit only joins a block when every tensor between its parts is read by nothing else, so no
wire of the model is lost. Blocks made of BatchNorm-less convolutions with biases are what a
file whose BatchNorms were folded holds: they import as they are and the description says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import blocks
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
    return u.conv["pad"] == (u.conv["kernel"] - 1) // 2 * u.conv["dilation"]


def _plain(u: Unit, kernel: int, stride: int | None = 1, act: str = "none") -> bool:
    """A bias-free, BatchNormed, undilated, ungrouped K×K convolution with 'same' padding and
    this activation (any stride when ``stride`` is None): a ResNet block's part."""
    c = u.conv
    return (u.kind == "conv" and c["kernel"] == kernel and c["groups"] == 1
            and c["dilation"] == 1 and _same_pad(u) and stride in (None, c["stride"])
            and u.params == {"bias": False, "bn": True, "activation": act})


class Recogniser:
    def __init__(self, graph: OpGraph):
        self.graph = graph
        self.fuser = Fuser(graph)
        self.units = self.fuser.units()
        self.by_output = {u.output: u for u in self.units}
        self.under = ops_under(self.fuser.ops)
        self.named_modules = bool(self.under)
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
        """Blocks in an order where each comes after those it reads (by its last unit)."""
        found = [b for add in self.units if add.kind == "add" for b in [self._residual(add)] if b]
        found += [b for mix in self.units if mix.kind == "shuffle"
                  for b in [self._shufflev2(mix)] if b]
        used = {id(u) for b in found for u in b.units}
        for u in self.units:
            if id(u) in used:
                continue
            block = (self._ir(u) or self._sepconv(u) or self._fire(u)) if u.kind == "conv" \
                else self._se(u) if u.kind == "gap" else None
            if block is not None and any(id(x) in used for x in block.units):
                block = None
            block = block or self._single(u)
            used.update(id(x) for x in block.units)
            found.append(block)
        position = {id(u): i for i, u in enumerate(self.units)}
        _explicit_expansions(found)
        return sorted(found, key=lambda b: max(position[id(u)] for u in b.units))

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
        excite = self._excitation(dw.output)
        project = self.only_reader(excite[-1] if excite else dw)
        if project is None or not _is_pointwise(project) or dw.conv["dilation"] != 1:
            return None
        parts = [p for p in (expand, dw, project) if p]
        act = dw.params["activation"]
        if any({k: p.params[k] for k in plain} != plain for p in parts) or act == "none" \
                or project.params["activation"] != "none" \
                or (expand and expand.params["activation"] != act):
            return None
        c, hidden, m = parts[0].conv["in"], dw.conv["in"], project.conv["out"]
        widths = {"expansion": max(1, round(hidden / c))}
        if hidden % c:
            widths["expanded_channels"] = hidden
        elif expand is None and hidden != c:
            return None
        if expand is not None and hidden == c:
            return None
        stride = dw.conv["stride"]
        units, output = [*parts[:-1], *(excite or []), parts[-1]], project.output
        add = self.only_reader(project, "add")
        if (add is not None and stride == 1 and c == m and add.params["activation"] == "none"
                and sorted(add.inputs) == sorted([parts[0].inputs[0], project.output])):
            units, output, residual = [*units, add], add.output, True
        else:
            residual = not (stride == 1 and c == m)
        params = {"out_channels": m, **widths, "stride": stride, "kernel": dw.conv["kernel"],
                  "residual": residual, "activation": act}
        if excite:
            style = self._ir_se_style(params, c, excite)
            if style is None:
                return None
            params["se"] = style
        return Block("ir", units, parts[0].inputs, output, params)

    def _ir_se_style(self, params: dict, c: int, excite: list[Unit]) -> str | None:
        """The inverted residual's SE style that sizes the squeeze and picks the activations as
        the file has them, or None."""
        squeeze, gate = excite[1], excite[2]
        found = (squeeze.conv["out"], squeeze.params["activation"], gate.params["activation"])
        for style in ("mobilenetv3", "efficientnet"):
            try:
                block = blocks.get("ir").from_params({**params, "se": style})
            except BlockError:
                return None
            if block.se_settings(c) == found:
                return style
        return None

    def _excitation(self, x: str) -> list[Unit] | None:
        """Squeeze-and-excitation on tensor ``x``: global pool, 1×1 conv + activation, 1×1 conv +
        gate back to x's channels, x times the gate. Its units, or None."""
        readers = self.readers.get(x, [])
        pool = next((u for u in readers if u.kind == "gap"), None)
        mul = next((u for u in readers if u.kind == "mul"), None)
        if len(readers) != 2 or pool is None or mul is None or x == self.fuser.output \
                or pool.params["output_size"] != 1:
            return None
        squeeze = self.only_reader(pool)
        gate = self.only_reader(squeeze) if squeeze else None
        if gate is None or self.only_reader(gate, "mul") is not mul \
                or sorted(mul.inputs) != sorted([x, gate.output]):
            return None
        one_by_one = all(_is_pointwise(u) and u.params["bias"] and not u.params["bn"]
                         for u in (squeeze, gate))
        if not one_by_one or gate.params["activation"] not in ("sigmoid", "hardsigmoid") \
                or gate.conv["out"] != squeeze.conv["in"]:
            return None
        return [pool, squeeze, gate, mul]

    def _se(self, pool: Unit) -> Block | None:
        if len(pool.inputs) != 1:
            return None
        excite = self._excitation(pool.inputs[0])
        if not excite or excite[0] is not pool:
            return None
        _, squeeze, gate, mul = excite
        c, s = squeeze.conv["in"], squeeze.conv["out"]
        for ratio, divisor in ((0.25, 8), (0.25, 1), (s / c, 1)):
            params = {"ratio": ratio, "divisor": divisor, "gate": gate.params["activation"],
                      "activation": squeeze.params["activation"]}
            try:
                if blocks.get("se").from_params(params).squeeze_channels(c) == s:
                    return Block("se", excite, pool.inputs, mul.output, params)
            except BlockError:
                return None
        return None

    def _residual(self, add: Unit) -> Block | None:
        """ResNet's basic block (3×3, 3×3) or bottleneck (1×1, 3×3, 1×1), each conv BatchNormed,
        the input or its 1×1 projection added, then ReLU; found from the add. Where the file
        names modules, only layers written as one module of their own make the block: the same
        layers written one by one (as the layer-by-layer ResNet-18 preset exports) stay
        convolutions and an add, as their author drew them."""
        if len(add.inputs) != 2 or add.params["activation"] != "relu":
            return None
        for main_out, short_out in (add.inputs, add.inputs[::-1]):
            chain, u = [], self.by_output.get(main_out)
            while u is not None and u.kind == "conv" and len(chain) < 3 \
                    and (not chain or self.only_reader(u) is chain[0]):
                chain.insert(0, u)
                u = self.by_output.get(u.inputs[0])
            if not chain or self.only_reader(chain[-1], "add") is not add:
                continue
            block = self._resnet_block(chain, add, short_out)
            if block:
                return block
        return None

    def _resnet_block(self, chain: list[Unit], add: Unit, short_out: str) -> Block | None:
        kinds = {2: ("basic", [3, 3]), 3: ("bottleneck", [1, 3, 1])}
        for size, (kind, kernels) in kinds.items():
            if len(chain) < size:
                continue
            parts = chain[-size:]
            x, stride = parts[0].inputs[0], parts[-2].conv["stride"]
            acts = ["relu"] * (size - 1) + ["none"]
            strides = [1] * size
            strides[-2] = None
            if not all(_plain(u, k, s, a) for u, k, s, a in zip(parts, kernels, strides, acts)):
                continue
            cin, out, planes = parts[0].conv["in"], parts[-1].conv["out"], parts[0].conv["out"]
            shortcut = self.by_output.get(short_out)
            projected = short_out != x
            if projected and not (shortcut is not None and _plain(shortcut, 1, stride)
                                  and shortcut.inputs[0] == x and shortcut.conv["pad"] == 0
                                  and self.only_reader(shortcut, "add") is add):
                continue
            if projected != (stride != 1 or cin != out):
                continue
            params = {"planes": planes, "stride": stride}
            if kind == "bottleneck":
                if out % planes:
                    continue
                params["expansion"] = out // planes
            units = [*parts, *([shortcut] if projected else []), add]
            block = Block(kind, units, (x,), add.output, params)
            if self.named_modules and not own_module(block.ops, self.under):
                return None
            return block
        return None



    def _branch(self, last: str, kinds: list[tuple[str, str]]) -> list[Unit] | None:
        """The chain of convolutions ending in tensor ``last``, each read only by the next, as
        ``kinds`` says from first to last: ("pw" or "dw", activation), each BatchNormed or each
        with its BatchNorm folded into a bias (which torch's dynamo exporter drops where it is
        all zeros, as for a model that was never trained). Its units, or None."""
        chain, tensor = [], last
        norm = None
        for kind, act in reversed(kinds):
            u = self.by_output.get(tensor)
            if u is None or u.kind != "conv" or (chain and self.only_reader(u) is not chain[0]):
                return None
            shape_ok = (_is_pointwise(u) if kind == "pw" else _is_depthwise(u)
                        and u.conv["kernel"] == 3 and u.conv["pad"] == 1
                        and u.conv["dilation"] == 1)
            norm = u.params["bn"] if norm is None else norm
            if not shape_ok or u.params["bn"] != norm or (norm and u.params["bias"]) \
                    or u.params["activation"] != act:
                return None
            chain.insert(0, u)
            tensor = u.inputs[0]
        return chain

    def _shufflev2(self, mix: Unit) -> Block | None:
        """ShuffleNetV2's unit, found from its shuffle in 2 groups reading a concat of two
        branches: at stride 1 the input's two halves (one passed through, one 1×1 → 3×3
        depthwise → 1×1), at stride 2 both branches from the whole input."""
        concat = self.by_output.get(mix.inputs[0])
        if mix.params["groups"] != 2 or concat is None \
                or concat.kind != "concat" or len(concat.inputs) != 2 \
                or self.only_reader(concat, "shuffle") is not mix:
            return None
        right = self._branch(concat.inputs[1], [("pw", "relu"), ("dw", "none"), ("pw", "relu")])
        if right is None or self.only_reader(right[-1], "concat") is not concat:
            return None
        stride, branch = right[1].conv["stride"], right[-1].conv["out"]
        x = right[0].inputs[0]
        cut = self.by_output.get(x)
        if stride == 1 and cut is not None and cut.kind == "slice":
            keep = self.by_output.get(concat.inputs[0])
            c = 2 * branch
            if keep is None or keep.kind != "slice" or keep.inputs != cut.inputs \
                    or (keep.params["start"], keep.params["stop"]) != (0, branch) \
                    or (cut.params["start"], cut.params["stop"]) not in ((branch, c), (branch, -1)) \
                    or self.only_reader(keep, "concat") is not concat \
                    or self.only_reader(cut) is not right[0] \
                    or self.graph.shapes.get(cut.inputs[0], (c,))[0] != c:
                return None
            units, source = [keep, cut, *right, concat, mix], cut.inputs
        elif stride == 2:
            left = self._branch(concat.inputs[0], [("dw", "none"), ("pw", "relu")])
            if left is None or left[0].inputs[0] != x or left[0].conv["stride"] != 2 \
                    or left[-1].conv["out"] != branch \
                    or self.only_reader(left[-1], "concat") is not concat \
                    or sorted(map(id, self.readers.get(x, []))) != sorted(
                        [id(left[0]), id(right[0])]):
                return None
            units, source = [*left, *right, concat, mix], (x,)
        else:
            return None
        return Block("shufflev2", units, source, mix.output,
                     {"out_channels": 2 * branch, "stride": stride})

    def _sepconv(self, dw: Unit) -> Block | None:
        if not _is_depthwise(dw) or not _same_pad(dw) or dw.params["bias"] \
                or dw.conv["dilation"] != 1:
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
                and e3.conv["dilation"] == 1
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
        if u.kind == "mul":
            raise ImportRefused(f"{self.graph.source}: cannot import, Mul of two tensors that "
                                f"is not a squeeze-and-excitation's rescaling: at {u.main.name}")
        if u.kind == "slice":
            raise ImportRefused(f"{self.graph.source}: cannot import, a slice of channels that "
                                f"is not a ShuffleNetV2 unit's split in halves: at {u.main.name}")
        if u.kind != "conv":
            return Block(u.kind, [u], u.inputs, u.output, dict(u.params))
        c = u.conv
        pad = -1 if _same_pad(u) else c["pad"]
        dilation = {"dilation": c["dilation"]} if c["dilation"] != 1 else {}
        if _is_depthwise(u):
            return Block("dwconv", [u], u.inputs, u.output,
                         {"kernel": c["kernel"], "stride": c["stride"], "padding": pad,
                          **dilation, **u.params})
        return Block("conv", [u], u.inputs, u.output,
                     {"out_channels": c["out"], "kernel": c["kernel"], "stride": c["stride"],
                      "padding": pad, "groups": c["groups"], **dilation, **u.params})


def ops_under(graph_ops) -> dict[str, int]:
    """How many ops each module path (and each of its prefixes) holds."""
    under: dict[str, int] = {}
    for op in graph_ops:
        parts = op.path.split(".") if op.path else []
        for i in range(1, len(parts) + 1):
            key = ".".join(parts[:i])
            under[key] = under.get(key, 0) + 1
    return under


def own_module(ops, under: dict[str, int]) -> str:
    """The shortest module path holding exactly these ops and no other, or ""."""
    paths = [op.path.split(".") for op in ops if op.path]
    prefix = []
    if paths and len(paths) == len(ops):
        for level in zip(*paths):
            if len(set(level)) != 1:
                break
            prefix.append(level[0])
    return next((".".join(prefix[:i]) for i in range(1, len(prefix) + 1)
                 if under.get(".".join(prefix[:i])) == len(ops)), "")


def block_names(graph_ops, blocks: list[Block]) -> list[str]:
    """Each block's name from the model: the module path holding all of the block's ops and no
    other op (``block3`` for a whole inverted residual), else its main op's path
    (``layer1.0.conv1``; ``layer1.0.add`` for a function such as an add), else its node name.
    A channel Slice whose module the file does not name is left out of the search."""
    under = ops_under(graph_ops)
    names = []
    for b in blocks:
        # torch's dynamo exporter names no module for a unit's channel Split
        ops = [op for op in b.ops if op.path or op.type != "Slice"]
        joined = own_module(ops, under)
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
    if graph.format != "onnx" or not convs or any(u.params["bn"] for u in convs):
        return text
    units = [b for b in blocks if b.kind == "shufflev2"]
    plural = "s" if len(units) != 1 else ""
    if folded:
        text += (f" The file holds no BatchNorm and {len(folded)} convolution"
                 f"{'s' if len(folded) != 1 else ''} with a bias (an exporter folds BatchNorm "
                 "into a convolution's weights and bias this way): they import as the file "
                 "says, with a bias and no BatchNorm, so the parameters count no BatchNorm "
                 "scale and shift.")
        if units:
            text += (f" Except its {len(units)} ShuffleNetV2 unit{plural}, which always hold "
                     "BatchNorm here: their parameters count the scale and shift the file "
                     "folded into biases.")
    elif units:
        text += (f" The file holds no BatchNorm (an exporter folds it into the convolutions, "
                 f"and drops a bias that is all zeros), but its {len(units)} ShuffleNetV2 "
                 f"unit{plural} always hold BatchNorm here: their parameters count a scale and "
                 "shift per channel that the file does not hold.")
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
    never changes the number of outputs; a linear classifier is never scaled anyway, and a
    linear layer feeding another is hidden by its wiring (:mod:`designer.core.hidden_linears`)."""
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


def _explicit_expansions(found: list[Block]) -> None:
    """A model that gives any inverted residual an expanded width that is no multiple of its
    input (MobileNetV3's 16 → 72) sizes all of them by their own widths, which α scales on their
    own (torchvision's ``adjust_channels(expanded)``): each gets its expanded width. A model
    whose widths are all C·t (MobileNetV2, EfficientNet) keeps t, and α scales C."""
    irs = [b for b in found if b.kind == "ir"]
    if any("expanded_channels" in b.params for b in irs):
        for b in irs:
            b.params.setdefault("expanded_channels", b.units[0].conv["in"] * b.params["expansion"])


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
