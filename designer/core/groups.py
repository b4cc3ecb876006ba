"""Groups of blocks, as TensorBoard's name scopes: blocks whose names share a dotted prefix
(``layer1.0.conv1`` is in ``layer1`` and ``layer1.0``; ``inception3a`` and
``inception3a.branch1`` are in ``inception3a``) and the groups a design names itself.

A group can be drawn collapsed into one box showing its members' summed cost. Collapsing is view
state (``Design.view["collapsed"]``, saved with the file): it changes no block, no wire and no
total of the analysis.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import Analysis
from .design import Design

GROUP_PREFIX = "group:"
"""Drawn ids of collapsed groups: ``group:inception3a`` never clashes with a block id."""


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...]           # block ids, in the design's order
    explicit: bool = False
    parent: str | None = None          # the smallest group holding this one


@dataclass(frozen=True)
class GroupCost:
    """A group's members' costs summed; ``invalid``: members left out because they are invalid."""

    blocks: int
    params: int
    macs: int
    other_ops: int
    activation_bytes: int
    invalid: int


def design_groups(design: Design) -> dict[str, Group]:
    """Every group of ``design`` by name: the design's own (``Design.groups``; unknown block ids
    ignored) and one per dotted prefix that two or more blocks share. A prefix group with the
    same members as a shorter one is left out (``layer1`` over ``layer1.0`` when layer1 holds
    one unit only); a named group wins over a prefix group of the same name."""
    split = {nid: node.name.split(".") if isinstance(node.name, str) else []
             for nid, node in design.nodes.items()}
    scopes = {".".join(parts[:i]) for parts in split.values() for i in range(1, len(parts))}
    found: dict[str, list[str]] = {}
    for nid, parts in split.items():
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix in scopes:
                found.setdefault(prefix, []).append(nid)
    members_seen: set[tuple[str, ...]] = set()
    groups: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name in sorted(found, key=lambda n: (n.count("."), n)):
        members = tuple(found[name])
        if len(members) < 2 or members in members_seen:
            continue
        members_seen.add(members)
        groups[name] = (members, False)
    for name, ids in design.groups.items():
        members = tuple(n for n in design.nodes if n in set(ids))
        if members:
            groups[name] = (members, True)
    return {name: Group(name, members, explicit, _parent(name, members, groups))
            for name, (members, explicit) in groups.items()}


def _parent(name: str, members: tuple[str, ...], groups: dict) -> str | None:
    """The smallest other group holding every member of this one."""
    mine = set(members)
    holders = [(len(m), other) for other, (m, _) in groups.items()
               if other != name and len(m) > len(mine) and mine <= set(m)]
    return min(holders)[1] if holders else None


def group_cost(group: Group, analysis: Analysis) -> GroupCost:
    costs = [b for b in analysis.blocks if b.node_id in set(group.members)]
    ok = [b for b in costs if b.ok]
    return GroupCost(len(group.members), sum(b.params for b in ok), sum(b.macs for b in ok),
                     sum(b.other_ops for b in ok), sum(b.activation_bytes for b in ok),
                     len(costs) - len(ok))


def collapsed_names(design: Design) -> list[str]:
    """The names of the groups saved as collapsed (view state; a malformed entry reads as none)."""
    names = design.view.get("collapsed", [])
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def shown_collapsed(design: Design, collapsed: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Drawn id (``group:NAME``) -> member ids of each collapsed group that is drawn as a box:
    a collapsed group inside another collapsed one is part of the outer box, and a block in two
    collapsed named groups belongs to the larger. ``collapsed``: names, by default the saved
    ones; names of groups the design no longer has are ignored."""
    names = collapsed_names(design) if collapsed is None else list(collapsed)
    if not names:
        return {}
    groups = design_groups(design)
    wanted = [groups[n] for n in names if n in groups]
    wanted.sort(key=lambda g: -len(g.members))
    owner: dict[str, str] = {}
    shown: dict[str, list[str]] = {}
    for group in wanted:
        members = [m for m in group.members if m not in owner]
        if len(members) < len(group.members) and set(group.members) <= set(owner):
            continue
        for m in members:
            owner[m] = group.name
        shown[GROUP_PREFIX + group.name] = members
    return shown
