"""Edits the designer offers, built as core commands: add a block wired after another, wire two
blocks, copy and paste. Qt-free, so the rules are tested without a window."""
from __future__ import annotations

import blocks

from .commands import AddEdge, AddNode, Command, Macro, MoveNodes, RemoveEdge
from .design import INPUT, Design, Edge, Node, new_id
from .layered import GAP_Y
from .layout import NODE_HEIGHT

ROW = NODE_HEIGHT + GAP_Y
"""How far an inserted block pushes the blocks below it down."""


def default_name(design: Design, kind: str) -> str:
    return design.unique_name(f"{kind}1" if kind not in ("add", "concat") else kind)


def add_block(design: Design, kind: str, params: dict | None = None,
              position: tuple[float, float] | None = None, after: str | None = None,
              name: str | None = None) -> Command:
    """A new block with the kind's defaults overridden by ``params``, wired after ``after``
    (a node id or INPUT) when given, named ``name`` (numbered if taken) or after its kind."""
    full = blocks.get(kind).from_params(params or {}).to_params()
    node = Node(new_id(), kind, full, design.unique_name(name) if name
                else default_name(design, kind))
    edges = [Edge(after, node.id, 0)] if after is not None else []
    return AddNode(node, position, edges)


def insert_after(design: Design, kind: str, params: dict | None, after: str) -> Command:
    """A new block between ``after`` and everything it fed: the new block reads ``after`` and
    every wire that left ``after`` now leaves the new block (same port), so nothing is left
    dangling. It takes the row below ``after`` in its column and every block placed lower moves
    down one row, so nothing is hidden. One undo step."""
    base = design.layout.get(after)
    position = (base[0], base[1] + ROW) if base else None
    add = add_block(design, kind, params, position, after=after)
    new = add.node.id
    commands: list[Command] = []
    if base is not None:
        below = {nid: (x, y + ROW) for nid, (x, y) in design.layout.items()
                 if nid != after and y > base[1]}
        if below:
            commands.append(MoveNodes(below))
    commands.append(add)
    for e in design.consumers_of(after):
        commands += [RemoveEdge(e), AddEdge(Edge(new, e.dst, e.port))]
    return Macro(commands, text=f"insert {add.node.name}")


def splice(design: Design, kind: str, params: dict | None, edge: Edge,
           position: tuple[float, float] | None) -> Command:
    """A new block dropped on a wire, put in its way: ``src -> new -> dst`` (into the wire's
    port), placed where it was dropped (its top centre); dropped just under the source, it goes
    down to a wire's gap below it (closer, the wire between them would loop out round the side).
    Every block reaching below that moves down just enough to clear the new block, so it hides
    none. One undo step."""
    source = design.layout.get(edge.src)
    if position is not None and source is not None and source[1] < position[1] < source[1] + ROW:
        position = (position[0], source[1] + ROW)
    add = add_block(design, kind, params, position, after=edge.src)
    commands: list[Command] = [add, RemoveEdge(edge),
                               AddEdge(Edge(add.node.id, edge.dst, edge.port))]
    if position is not None:
        below = {nid: xy for nid, xy in design.layout.items()
                 if xy[1] + NODE_HEIGHT > position[1]}
        shift = position[1] + ROW - min((y for _, y in below.values()), default=position[1] + ROW)
        if shift > 0:
            commands.append(MoveNodes({nid: (x, y + shift) for nid, (x, y) in below.items()}))
    return Macro(commands, text=f"insert {add.node.name} on a wire")


def chain_end(design: Design) -> str:
    """Where an appended block goes: after the last block nothing consumes, else the input."""
    consumed = {e.src for e in design.edges}
    ends = [n for n in design.nodes if n not in consumed]
    return ends[-1] if ends else INPUT


def wire(design: Design, src: str, dst: str) -> Command | None:
    """Connect ``src``'s output to ``dst``: a single-input block's old input is replaced, a
    multi-input block (add, concat) gets its next port. None if nothing would change."""
    if src == dst or dst not in design.nodes or dst == INPUT:
        return None
    existing = design.inputs_of(dst)
    if any(e.src == src for e in existing):
        return None
    kind = design.nodes[dst].kind
    single = kind in blocks.BLOCKS and blocks.get(kind).max_inputs == 1
    if single and existing:
        return Macro([RemoveEdge(e) for e in existing] + [AddEdge(Edge(src, dst, 0))],
                     text="rewire")
    port = max((e.port for e in existing), default=-1) + 1
    return AddEdge(Edge(src, dst, port))


def copy_blocks(design: Design, node_ids: list[str]) -> dict:
    """The selected blocks and the edges among them, as plain data for the clipboard."""
    ids = [n for n in design.nodes if n in set(node_ids)]
    return {"nodes": [{"id": n, "kind": design.nodes[n].kind, "name": design.nodes[n].name,
                       "params": dict(design.nodes[n].params), "width": design.nodes[n].width,
                       "position": list(design.layout.get(n, (0.0, 0.0)))} for n in ids],
            "edges": [{"from": e.src, "to": e.dst, "port": e.port} for e in design.edges
                      if e.src in ids and e.dst in ids]}


def paste_blocks(design: Design, data: dict, offset: tuple[float, float] = (40.0, 40.0)) -> Command:
    """Copies of the clipboard's blocks with fresh ids and unique names (``name_2``...), shifted
    by ``offset``.
    Raises KeyError/TypeError/ValueError on malformed clipboard data."""
    mapping, commands, taken = {}, [], set()
    for item in data["nodes"]:
        mapping[item["id"]] = new_id()
        name = design.unique_name(str(item["name"]).strip() or str(item["kind"]), taken, "_")
        taken.add(name)
        x, y = item.get("position", (0.0, 0.0))
        node = Node(mapping[item["id"]], str(item["kind"]), dict(item["params"]), name,
                    str(item.get("width", "scale")))
        commands.append(AddNode(node, (float(x) + offset[0], float(y) + offset[1])))
    for e in data["edges"]:
        commands.append(AddEdge(Edge(mapping[e["from"]], mapping[e["to"]], int(e["port"]))))
    return Macro(commands, text=f"paste {len(data['nodes'])} blocks")
