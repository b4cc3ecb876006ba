"""Frames around expanded groups: the light, labelled rectangle the canvas draws around the boxes
of every group that is not collapsed (TensorBoard draws its name scopes so), so that a reader
sees ``layer1.0`` or ``inception3a`` as a unit and has a control there to collapse it.

Computed here from the boxes as they stand (the layered layout's, or where blocks were moved),
never from the items that draw them. A frame encloses every box of its group and crosses no
other box: its margin shrinks on a side where another block stands close, and a group whose
boxes have another block among them (moved there by hand) gets no frame, since no rectangle
could hold the one without the other. A group holding another is framed a little wider, so
nested frames read as nested.
"""
from __future__ import annotations

from dataclasses import dataclass

from .design import Design
from .groups import GROUP_PREFIX, Group, design_groups
from .layered import Box

PAD = 10.0
"""Margin between a frame and the boxes it holds, on every side but the top."""
LABEL = 24.0
"""Extra room above the boxes for the frame's label and collapse control."""
NEST = 10.0
"""How much wider a frame is than the widest frame inside it."""
CLEAR = 3.0
"""Least gap kept between a frame and a box outside it."""


@dataclass(frozen=True)
class Frame:
    """One expanded group's frame in scene pixels (top-left corner and size); ``members``: the
    drawn ids it holds (blocks, and collapsed groups inside it); ``depth``: how many framed
    groups hold it (0: outermost); ``holds``: how many levels of groups it holds (its label
    goes to the right then, clear of the label of the frame inside it)."""

    name: str
    x: float
    y: float
    width: float
    height: float
    members: tuple[str, ...]
    depth: int
    holds: int = 0
    band: float = 0.0
    """The height between the frame's top and its highest box: the label's room."""

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.width, self.height)


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not)."""
    return (a.x < b.x + b.width and b.x < a.x + a.width
            and a.y < b.y + b.height and b.y < a.y + a.height)


def group_frames(design: Design, boxes: dict[str, Box],
                 collapsed: dict[str, list[str]] | None = None) -> list[Frame]:
    """The frame of every expanded group of ``design`` whose boxes are drawn in ``boxes``
    (drawn id -> box; a collapsed group's box under ``group:NAME``), outermost first.
    ``collapsed``: drawn group id -> member block ids, as the canvas shows them."""
    collapsed = collapsed or {}
    owner = {m: gid for gid, members in collapsed.items() for m in members}
    shown: dict[str, tuple[str, ...]] = {}
    for group in design_groups(design).values():
        drawn = _drawn_members(group, owner, collapsed)
        if drawn and all(d in boxes for d in drawn):
            shown[group.name] = drawn
    inner = _nesting(shown)
    frames = []
    for name, drawn in shown.items():
        frame = _frame(name, drawn, boxes, PAD + NEST * inner[name])
        if frame is not None:
            frames.append(frame)
    framed = {f.name: set(f.members) for f in frames}
    frames = [Frame(f.name, f.x, f.y, f.width, f.height, f.members,
                    sum(1 for other, m in framed.items()
                        if other != f.name and set(f.members) < m), inner[f.name], f.band)
              for f in frames]
    return sorted(frames, key=lambda f: (f.depth, f.y, f.x))


def _drawn_members(group: Group, owner: dict[str, str],
                   collapsed: dict[str, list[str]]) -> tuple[str, ...]:
    """The drawn ids of an expanded group: its blocks, with those of a collapsed group inside
    it drawn as that group's box. Empty when the group is not drawn expanded: collapsed
    itself, inside a collapsed group, or sharing blocks with a collapsed group it does not
    hold whole."""
    mine = set(group.members)
    drawn: dict[str, None] = {}
    for m in group.members:
        gid = owner.get(m)
        if gid is None:
            drawn[m] = None
        elif set(collapsed[gid]) < mine:
            drawn[gid] = None
        else:
            return ()
    return tuple(drawn) if GROUP_PREFIX + group.name not in collapsed else ()


def _nesting(shown: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """For each group: how many levels of groups it holds (0 for one holding none)."""
    sets = {name: set(drawn) for name, drawn in shown.items()}
    levels: dict[str, int] = {}
    for name in sorted(sets, key=lambda n: len(sets[n])):
        inside = [levels[o] for o in levels if sets[o] < sets[name]]
        levels[name] = 1 + max(inside) if inside else 0
    return levels


def _frame(name: str, drawn: tuple[str, ...], boxes: dict[str, Box], pad: float) -> Frame | None:
    """The rectangle around ``drawn``'s boxes, ``pad`` out (more above, for the label), pulled
    in on the side of any other box it would cross; None if another box stands among them."""
    held = [boxes[d] for d in drawn]
    left, top = min(b.x for b in held), min(b.y for b in held)
    right, bottom = max(b.x + b.width for b in held), max(b.y + b.height for b in held)
    tight = Box(left, top, right - left, bottom - top)
    members = set(drawn)
    others = [b for nid, b in boxes.items() if nid not in members]
    if any(overlaps(b, tight) for b in others):
        return None
    edges = [left - pad, top - pad - LABEL, right + pad, bottom + pad]
    for b in others:
        if not overlaps(b, Box(edges[0], edges[1], edges[2] - edges[0], edges[3] - edges[1])):
            continue
        pulls = []
        if b.y + b.height <= top:
            pulls.append((edges[1] - min(top, b.y + b.height + CLEAR), 1,
                          min(top, b.y + b.height + CLEAR)))
        if b.y >= bottom:
            pulls.append((max(bottom, b.y - CLEAR) - edges[3], 3, max(bottom, b.y - CLEAR)))
        if b.x + b.width <= left:
            pulls.append((edges[0] - min(left, b.x + b.width + CLEAR), 0,
                          min(left, b.x + b.width + CLEAR)))
        if b.x >= right:
            pulls.append((max(right, b.x - CLEAR) - edges[2], 2, max(right, b.x - CLEAR)))
        _, side, value = max(pulls)     # the pull that gives up least room
        edges[side] = value
    return Frame(name, edges[0], edges[1], edges[2] - edges[0], edges[3] - edges[1],
                 tuple(drawn), 0, 0, top - edges[1])
