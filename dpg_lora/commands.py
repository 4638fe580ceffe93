"""Undoable commands on a Graph: each mutates it in place and knows how to put it back exactly
(link order included). The Document runs them; nothing here knows about files or the UI."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dpg_lora.graph import Graph, Link, Node


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "the user has not set this field" (the script's default shows)


class Command:
    label = "change"

    def do(self, g: Graph) -> None:
        raise NotImplementedError

    def undo(self, g: Graph) -> None:
        raise NotImplementedError

    def merge(self, other: "Command") -> bool:
        """Absorb `other` (the next command) into this one; True when done."""
        return False


def _put(values: dict, name: str, value: Any) -> None:
    if value is UNSET:
        values.pop(name, None)
    else:
        values[name] = value


@dataclass
class SetValue(Command):
    node_id: str
    field: str
    new: Any
    old: Any = UNSET
    label: str = "edit value"

    def do(self, g: Graph) -> None:
        _put(g.node(self.node_id).values, self.field, self.new)

    def undo(self, g: Graph) -> None:
        _put(g.node(self.node_id).values, self.field, self.old)

    def merge(self, other: Command) -> bool:
        if isinstance(other, SetValue) and (other.node_id, other.field) == (self.node_id, self.field):
            self.new = other.new
            return True
        return False


@dataclass
class ReplaceValues(Command):
    """All values of a node at once (the free-form Extra Settings node)."""
    node_id: str
    new: dict
    old: dict
    label: str = "edit values"

    def do(self, g: Graph) -> None:
        g.node(self.node_id).values = dict(self.new)

    def undo(self, g: Graph) -> None:
        g.node(self.node_id).values = dict(self.old)

    def merge(self, other: Command) -> bool:
        if isinstance(other, ReplaceValues) and other.node_id == self.node_id:
            self.new = other.new
            return True
        return False


@dataclass
class AddNodes(Command):
    nodes: list[Node]
    links: list[Link] = field(default_factory=list)
    label: str = "add node"

    def do(self, g: Graph) -> None:
        g.nodes.extend(self.nodes)
        g.links.extend(self.links)

    def undo(self, g: Graph) -> None:
        ids = {n.id for n in self.nodes}
        g.links[:] = [l for l in g.links if not any(l is m for m in self.links)]
        g.nodes[:] = [n for n in g.nodes if n.id not in ids]


@dataclass
class RemoveNodes(Command):
    ids: list[str]
    label: str = "delete"
    _nodes: list = field(default_factory=list)  # (index, node), ascending
    _links: list = field(default_factory=list)  # (index, link), ascending

    def do(self, g: Graph) -> None:
        ids = set(self.ids)
        self._nodes = [(i, n) for i, n in enumerate(g.nodes) if n.id in ids]
        self._links = [(i, l) for i, l in enumerate(g.links) if l.src in ids or l.dst in ids]
        g.links[:] = [l for l in g.links if not (l.src in ids or l.dst in ids)]
        g.nodes[:] = [n for n in g.nodes if n.id not in ids]

    def undo(self, g: Graph) -> None:
        for i, n in self._nodes:
            g.nodes.insert(i, n)
        for i, l in self._links:
            g.links.insert(i, l)


def _index_of(links: list[Link], link: Link) -> int:
    return next(i for i, l in enumerate(links) if l is link)


@dataclass
class AddLink(Command):
    """A new link; into a single input it replaces the link already there (same slot)."""
    link: Link
    replaced: Link | None = None
    label: str = "link"
    _replaced_at: int = -1

    def do(self, g: Graph) -> None:
        if self.replaced is not None:
            self._replaced_at = _index_of(g.links, self.replaced)
            g.links[self._replaced_at] = self.link
        else:
            g.links.append(self.link)

    def undo(self, g: Graph) -> None:
        i = _index_of(g.links, self.link)
        if self.replaced is not None:
            g.links[i] = self.replaced
        else:
            del g.links[i]


@dataclass
class RemoveLink(Command):
    link: Link
    label: str = "unlink"
    _at: int = -1

    def do(self, g: Graph) -> None:
        self._at = _index_of(g.links, self.link)
        del g.links[self._at]

    def undo(self, g: Graph) -> None:
        g.links.insert(self._at, self.link)


@dataclass
class MoveNodes(Command):
    moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]  # id -> (old, new)
    label: str = "move"

    def do(self, g: Graph) -> None:
        for node_id, (_, new) in self.moves.items():
            g.node(node_id).pos = new

    def undo(self, g: Graph) -> None:
        for node_id, (old, _) in self.moves.items():
            g.node(node_id).pos = old


@dataclass
class ReorderLink(Command):
    """Move the link at position `old` of an ordered input to position `new`."""
    dst: str
    pin: str
    old: int
    new: int
    label: str = "reorder"

    def _move(self, g: Graph, a: int, b: int) -> None:
        slots = [i for i, l in enumerate(g.links) if l.dst == self.dst and l.dst_pin == self.pin]
        order = [g.links[i] for i in slots]
        order.insert(b, order.pop(a))
        for i, link in zip(slots, order):
            g.links[i] = link

    def do(self, g: Graph) -> None:
        self._move(g, self.old, self.new)

    def undo(self, g: Graph) -> None:
        self._move(g, self.new, self.old)


@dataclass
class SetCollapsed(Command):
    """Collapse (or expand) nodes: view data kept in the graph file, never in the config."""
    ids: list[str]
    collapsed: bool
    label: str = "collapse"
    _old: list = field(default_factory=list)

    def do(self, g: Graph) -> None:
        self._old = list(g.view.collapsed)
        kept = [i for i in g.view.collapsed if i not in self.ids]
        g.view.collapsed = kept + (list(self.ids) if self.collapsed else [])

    def undo(self, g: Graph) -> None:
        g.view.collapsed = list(self._old)


@dataclass
class Compound(Command):
    parts: list[Command]
    label: str = "change"

    def do(self, g: Graph) -> None:
        for part in self.parts:
            part.do(g)

    def undo(self, g: Graph) -> None:
        for part in reversed(self.parts):
            part.undo(g)


@dataclass
class RenameKey(Compound):
    """An item's key and every KEY field in its dataset that named it."""
    node_id: str = ""

    def merge(self, other: Command) -> bool:
        if not (isinstance(other, RenameKey) and other.node_id == self.node_id):
            return False
        mine, theirs = _set_values(self.parts), _set_values(other.parts)
        if [(p.node_id, p.field) for p in mine] != [(p.node_id, p.field) for p in theirs]:
            return False
        for part, newer in zip(mine, theirs):
            part.new = newer.new
        return True


def _set_values(parts: list[Command]) -> list[SetValue]:
    """A RenameKey's parts (all SetValue)."""
    return [p for p in parts if isinstance(p, SetValue)]
