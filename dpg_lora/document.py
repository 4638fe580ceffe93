"""The open document: a graph, its file, an undo history of commands, and a cached compile.

Pure (no Dear PyGui). The editor turns every user action into one method call here; each call
runs one undoable Command, bumps `revision`, and the UI refreshes once per new revision.
Commands mutate the Graph in place and know how to put it back exactly (link order included).
"""
from __future__ import annotations

import copy
import itertools
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from dpg_lora.compiler import KEY_KIND_OF_LIST, CompileResult, compile_graph, effective_value
from dpg_lora.graph import Graph, Link, Node, check_value, load_graph, new_node_id, save_graph
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import KEY, NodeSpec

CLIP_FORMAT = "dpg-lora-clip"
COALESCE_SECONDS = 1.5  # consecutive edits of one field within this window are one undo step

_revisions = itertools.count(1)  # unique across documents, so a new document always looks new


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "the user has not set this field" (the script's default shows)


# ---------------------------------------------------------------- commands

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

    def do(self, g):
        _put(g.node(self.node_id).values, self.field, self.new)

    def undo(self, g):
        _put(g.node(self.node_id).values, self.field, self.old)

    def merge(self, other):
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

    def do(self, g):
        g.node(self.node_id).values = dict(self.new)

    def undo(self, g):
        g.node(self.node_id).values = dict(self.old)

    def merge(self, other):
        if isinstance(other, ReplaceValues) and other.node_id == self.node_id:
            self.new = other.new
            return True
        return False


@dataclass
class AddNodes(Command):
    nodes: list[Node]
    links: list[Link] = field(default_factory=list)
    label: str = "add node"

    def do(self, g):
        g.nodes.extend(self.nodes)
        g.links.extend(self.links)

    def undo(self, g):
        ids = {n.id for n in self.nodes}
        g.links[:] = [l for l in g.links if not any(l is m for m in self.links)]
        g.nodes[:] = [n for n in g.nodes if n.id not in ids]


@dataclass
class RemoveNodes(Command):
    ids: list[str]
    label: str = "delete"
    _nodes: list = field(default_factory=list)  # (index, node), ascending
    _links: list = field(default_factory=list)  # (index, link), ascending

    def do(self, g):
        ids = set(self.ids)
        self._nodes = [(i, n) for i, n in enumerate(g.nodes) if n.id in ids]
        self._links = [(i, l) for i, l in enumerate(g.links) if l.src in ids or l.dst in ids]
        g.links[:] = [l for l in g.links if not (l.src in ids or l.dst in ids)]
        g.nodes[:] = [n for n in g.nodes if n.id not in ids]

    def undo(self, g):
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

    def do(self, g):
        if self.replaced is not None:
            self._replaced_at = _index_of(g.links, self.replaced)
            g.links[self._replaced_at] = self.link
        else:
            g.links.append(self.link)

    def undo(self, g):
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

    def do(self, g):
        self._at = _index_of(g.links, self.link)
        del g.links[self._at]

    def undo(self, g):
        g.links.insert(self._at, self.link)


@dataclass
class MoveNodes(Command):
    moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]  # id -> (old, new)
    label: str = "move"

    def do(self, g):
        for node_id, (_, new) in self.moves.items():
            g.node(node_id).pos = new

    def undo(self, g):
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

    def _move(self, g, a, b):
        slots = [i for i, l in enumerate(g.links) if l.dst == self.dst and l.dst_pin == self.pin]
        order = [g.links[i] for i in slots]
        order.insert(b, order.pop(a))
        for i, link in zip(slots, order):
            g.links[i] = link

    def do(self, g):
        self._move(g, self.old, self.new)

    def undo(self, g):
        self._move(g, self.new, self.old)


@dataclass
class Compound(Command):
    parts: list[Command]
    label: str = "change"

    def do(self, g):
        for part in self.parts:
            part.do(g)

    def undo(self, g):
        for part in reversed(self.parts):
            part.undo(g)


@dataclass
class RenameKey(Compound):
    """An item's key and every KEY field in its dataset that named it."""
    node_id: str = ""

    def merge(self, other):
        if not (isinstance(other, RenameKey) and other.node_id == self.node_id):
            return False
        mine = [(p.node_id, p.field) for p in self.parts]
        if mine != [(p.node_id, p.field) for p in other.parts]:
            return False
        for part, newer in zip(self.parts, other.parts):
            part.new = newer.new
        return True


# ---------------------------------------------------------------- helpers

def key_kind_of(node_type: str) -> str | None:
    """Which dataset key kind an item type defines ("image", "target", ...), via the list it feeds."""
    spec = REGISTRY[node_type]
    if spec.key_field is None or spec.output is None:
        return None
    for list_type, kind in KEY_KIND_OF_LIST.items():
        if any(p.type == spec.output for p in REGISTRY[list_type].inputs):
            return kind
    return None


def link_refusal(graph: Graph, src: str, dst: str, dst_pin: str) -> str | None:
    """Why a link src.out -> dst.dst_pin is not allowed, or None when it is."""
    try:
        s, d = graph.node(src), graph.node(dst)
    except KeyError as exc:
        return f"no node {exc.args[0]!r}"
    if src == dst:
        return "a node cannot feed itself"
    s_spec, d_spec = REGISTRY[s.type], REGISTRY[d.type]
    if s_spec.output is None:
        return f"{s_spec.title} has no output"
    pin = next((p for p in d_spec.inputs if p.name == dst_pin), None)
    if pin is None:
        return f"{d_spec.title} has no input {dst_pin!r}"
    if pin.type != s_spec.output:
        wants = REGISTRY[pin.type].title if pin.type in REGISTRY else pin.type
        return (f"{d_spec.title} \u2192 {pin.label} takes a {wants}, "
                f"not a {s_spec.title}")
    if any(l.src == src and l.dst == dst and l.dst_pin == dst_pin for l in graph.links):
        return "these pins are already linked"
    # Pin types are layered, but a cycle check keeps hand-edited types honest.
    downstream, stack = set(), [dst]
    consumers: dict[str, list[str]] = {}
    for l in graph.links:
        consumers.setdefault(l.src, []).append(l.dst)
    while stack:
        cur = stack.pop()
        if cur == src:
            return "this link would make a loop"
        if cur not in downstream:
            downstream.add(cur)
            stack.extend(consumers.get(cur, []))
    return None


def copy_payload(graph: Graph, ids: Iterable[str]) -> dict:
    """The selected nodes and the links between them, as clipboard data."""
    ids = set(ids)
    return {"format": CLIP_FORMAT,
            "nodes": [n.model_dump(mode="json") for n in graph.nodes if n.id in ids],
            "links": [l.model_dump() for l in graph.links if l.src in ids and l.dst in ids]}


def parse_payload(text: str) -> dict | None:
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        return None
    if isinstance(data, dict) and data.get("format") == CLIP_FORMAT and isinstance(data.get("nodes"), list):
        return data
    return None


# ---------------------------------------------------------------- the document

class Document:
    def __init__(self, graph: Graph | None = None, path: str | None = None,
                 clock: Callable[[], float] = time.monotonic, dirty: bool = False):
        self.graph = graph if graph is not None else Graph()
        self.path = os.fspath(path) if path else None
        self.clock = clock
        self.revision = next(_revisions)
        self._undo: list[tuple[Command, int]] = []  # (command, state token after it)
        self._redo: list[tuple[Command, int]] = []
        self._base_token = self.revision  # state token with nothing done
        self.saved_revision = -1 if dirty else self.revision  # e.g. an import is unsaved work
        self._last_edit = -1e9
        self._sealed = True
        self._result: CompileResult | None = None
        self._result_revision = -1

    # ------------------------------------------------------------ files
    @classmethod
    def open(cls, path: str | os.PathLike, **kw) -> "Document":
        """Load a graph file; raises GraphFileError."""
        return cls(load_graph(path), os.fspath(path), **kw)

    def save(self, path: str | os.PathLike | None = None) -> str:
        target = os.fspath(path) if path else self.path
        if not target:
            raise ValueError("no file name yet; use Save As")
        save_graph(self.graph, target)
        self.path = target
        self.saved_revision = self._token
        self._sealed = True
        return target

    @property
    def _token(self) -> int:
        return self._undo[-1][1] if self._undo else self._base_token

    @property
    def dirty(self) -> bool:
        return self._token != self.saved_revision

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "untitled"

    @property
    def title(self) -> str:
        return ("*" if self.dirty else "") + self.name

    # ------------------------------------------------------------ compile cache
    @property
    def result(self) -> CompileResult:
        if self._result_revision != self.revision:
            self._result = compile_graph(self.graph)
            self._result_revision = self.revision
        return self._result

    # ------------------------------------------------------------ history
    def execute(self, cmd: Command, coalesce: bool = False) -> Command:
        cmd.do(self.graph)
        now = self.clock()
        self.revision = next(_revisions)
        self._redo.clear()
        top = self._undo[-1][0] if self._undo else None
        if (coalesce and not self._sealed and top is not None
                and now - self._last_edit <= COALESCE_SECONDS and top.merge(cmd)):
            self._undo[-1] = (top, self.revision)  # a new state token: saved-ness follows
        else:
            self._undo.append((cmd, self.revision))
        self._sealed = not coalesce
        self._last_edit = now
        return cmd

    def seal(self) -> None:
        """End coalescing: the next edit of the same field is its own undo step."""
        self._sealed = True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        if not self._undo:
            return None
        cmd, token = self._undo.pop()
        cmd.undo(self.graph)
        self._redo.append((cmd, token))
        self.revision = next(_revisions)
        self._sealed = True
        return cmd.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        cmd, token = self._redo.pop()
        cmd.do(self.graph)
        self._undo.append((cmd, token))
        self.revision = next(_revisions)
        self._sealed = True
        return cmd.label

    # ------------------------------------------------------------ values
    def spec(self, node_id: str) -> NodeSpec:
        return REGISTRY[self.graph.node(node_id).type]

    def shown_value(self, node_id: str, field_name: str) -> Any:
        """What the field shows: the user's value or the chosen script's default."""
        node = self.graph.node(node_id)
        spec = REGISTRY[node.type]
        return effective_value(spec, spec.field(field_name), node.values, self.result.script)

    def set_value(self, node_id: str, field_name: str, value: Any, coalesce: bool = True) -> bool:
        """Set (or with UNSET, clear) a field. Returns False when nothing changed.

        Setting a key field (an item's own key) renames it through the dataset: see rename_key.
        """
        node = self.graph.node(node_id)
        spec = REGISTRY[node.type]
        fld = spec.field(field_name)
        if value is not UNSET:
            value, error = check_value(fld, value)
            if error:
                raise ValueError(f"{fld.label}: {error}")
        old = node.values.get(field_name, UNSET)
        if old == value and type(old) is type(value):
            return False
        if fld.is_key:
            return self.rename_key(node_id, value, coalesce=coalesce)
        self.execute(SetValue(node_id, field_name, value, old, label=f"edit {fld.label}"), coalesce)
        return True

    def replace_values(self, node_id: str, values: dict) -> bool:
        node = self.graph.node(node_id)
        if node.values == values:
            return False
        self.execute(ReplaceValues(node_id, dict(values), dict(node.values)), coalesce=True)
        return True

    def dataset_for(self, node_id: str) -> str | None:
        """The Dataset Config a node feeds: the compiler's answer, else the first one downstream
        (Ref Sources feed a Ref Group that the compiler records)."""
        dataset_of = self.result.dataset_of
        seen, stack = set(), [node_id]
        while stack:
            cur = stack.pop(0)
            if cur in dataset_of:
                return dataset_of[cur]
            if cur in seen:
                continue
            seen.add(cur)
            stack.extend(l.dst for l in self.graph.links if l.src == cur)
        return None

    def dataset_keys_for(self, node_id: str, kind: str) -> list[str]:
        """Keys of `kind` a KEY field on this node can name: its dataset's, or every dataset's."""
        keys = self.result.dataset_keys
        dataset = self.dataset_for(node_id)
        if dataset is not None:
            return list(keys.get(dataset, {}).get(kind, []))
        merged: list[str] = []
        for per_kind in keys.values():
            merged += [k for k in per_kind.get(kind, []) if k not in merged]
        return merged

    def rename_key(self, node_id: str, new_key: Any, coalesce: bool = False) -> bool:
        """Rename an item's key; KEY fields in its dataset that named the old key follow it.

        References are left alone when the old key is empty, when the item is in no dataset,
        or when another item of the same kind still defines the old key (stacked targets).
        """
        node = self.graph.node(node_id)
        spec = REGISTRY[node.type]
        key_field = spec.key_field
        if key_field is None:
            raise ValueError(f"{spec.title} has no key")
        result = self.result
        old_key = effective_value(spec, key_field, node.values, result.script)
        new_value = new_key
        if new_key is not UNSET:
            new_value, error = check_value(key_field, new_key)
            if error:
                raise ValueError(error)
        if node.values.get(key_field.name, UNSET) == new_value:
            return False
        parts: list[Command] = [SetValue(node_id, key_field.name, new_value,
                                         node.values.get(key_field.name, UNSET))]
        kind = key_kind_of(node.type)
        dataset = self.dataset_for(node_id)
        new_shown = key_field.default_for(result.script) if new_value is UNSET else new_value
        if kind and dataset and isinstance(old_key, str) and old_key.strip():
            members = [n for n in self.graph.nodes if self.dataset_for(n.id) == dataset]
            still_defined = any(
                n.id != node_id and key_kind_of(n.type) == kind
                and effective_value(REGISTRY[n.type], REGISTRY[n.type].key_field, n.values,
                                    result.script) == old_key
                for n in members)
            if not still_defined:
                for n in members:
                    n_spec = REGISTRY[n.type]
                    for fld in n_spec.fields:
                        if (fld.kind == KEY and fld.key_kind == kind
                                and effective_value(n_spec, fld, n.values, result.script) == old_key):
                            parts.append(SetValue(n.id, fld.name, new_shown, n.values.get(fld.name, UNSET)))
        self.execute(RenameKey(parts, label=f"rename key to {new_shown!r}", node_id=node_id), coalesce)
        return True

    # ------------------------------------------------------------ nodes
    def add_node(self, node_type: str, pos: tuple[float, float] = (0.0, 0.0),
                 values: dict | None = None, link_to: tuple[str, str] | None = None,
                 link_from: tuple[str, str] | None = None) -> str:
        """A new node; optionally linked into `link_to` = (dst, pin) or fed by `link_from` = (src, pin).

        Both the node and its link are one undo step. Raises ValueError if the link is refused.
        """
        if node_type not in REGISTRY:
            raise KeyError(f"unknown node type {node_type!r}")
        node = Node(id=new_node_id(self.graph, node_type), type=node_type,
                    pos=(float(pos[0]), float(pos[1])), values=dict(values or {}))
        links: list[Link] = []
        replaced = None
        self.graph.nodes.append(node)  # temporarily, so the refusal check sees it
        try:
            if link_to:
                reason = link_refusal(self.graph, node.id, *link_to)
                if reason:
                    raise ValueError(reason)
                links.append(Link(src=node.id, dst=link_to[0], dst_pin=link_to[1]))
                replaced = self._single_input_link(*link_to)
            if link_from:
                reason = link_refusal(self.graph, link_from[0], node.id, link_from[1])
                if reason:
                    raise ValueError(reason)
                links.append(Link(src=link_from[0], dst=node.id, dst_pin=link_from[1]))
        finally:
            self.graph.nodes.remove(node)
        spec = REGISTRY[node_type]
        add = AddNodes([node], [] if replaced else links, label=f"add {spec.title}")
        if replaced:
            self.execute(Compound([add, AddLink(links[0], replaced)], label=add.label))
        else:
            self.execute(add)
        return node.id

    def remove_nodes(self, ids: Iterable[str]) -> bool:
        ids = [i for i in ids if any(n.id == i for n in self.graph.nodes)]
        if not ids:
            return False
        self.execute(RemoveNodes(list(ids), label=f"delete {len(ids)} node{'s' if len(ids) > 1 else ''}"))
        return True

    def delete(self, node_ids: Iterable[str], links: Iterable[Link]) -> bool:
        """Delete selected nodes and links as one step."""
        node_ids = [i for i in node_ids if any(n.id == i for n in self.graph.nodes)]
        gone = set(node_ids)
        parts: list[Command] = [RemoveLink(l) for l in links
                                if any(l is m for m in self.graph.links) and l.src not in gone and l.dst not in gone]
        if node_ids:
            parts.append(RemoveNodes(node_ids))
        if not parts:
            return False
        self.execute(parts[0] if len(parts) == 1 else Compound(parts, label="delete"))
        return True

    def move_nodes(self, positions: dict[str, tuple[float, float]], label: str = "move") -> bool:
        moves = {}
        for node_id, pos in positions.items():
            old = tuple(self.graph.node(node_id).pos)
            new = (float(pos[0]), float(pos[1]))
            if abs(old[0] - new[0]) > 0.5 or abs(old[1] - new[1]) > 0.5:
                moves[node_id] = (old, new)
        if not moves:
            return False
        self.execute(MoveNodes(moves, label=label))
        return True

    def arrange(self, heights: dict[str, float] | None = None) -> bool:
        """layout.arrange as one undoable move. `heights` (measured on screen) re-stack each
        column so taller-than-estimated nodes do not overlap."""
        from dpg_lora.layout import ROW_GAP, arrange

        laid = arrange(self.graph.model_copy(deep=True))
        if heights:
            columns: dict[float, list[Node]] = {}
            for node in laid.nodes:
                columns.setdefault(node.pos[0], []).append(node)
            for nodes in columns.values():
                y = 0.0
                for node in sorted(nodes, key=lambda n: n.pos[1]):
                    node.pos = (node.pos[0], y)
                    y += float(heights.get(node.id, 0.0)) + ROW_GAP
        return self.move_nodes({n.id: n.pos for n in laid.nodes}, label="arrange")

    # ------------------------------------------------------------ links
    def link_refusal(self, src: str, dst: str, dst_pin: str) -> str | None:
        return link_refusal(self.graph, src, dst, dst_pin)

    def _single_input_link(self, dst: str, dst_pin: str) -> Link | None:
        pin = self.spec(dst).input(dst_pin)
        if pin.multi:
            return None
        return next((l for l in self.graph.links if l.dst == dst and l.dst_pin == dst_pin), None)

    def add_link(self, src: str, dst: str, dst_pin: str) -> str | None:
        """Link src's output into dst.dst_pin. Returns the reason when refused, else None."""
        reason = self.link_refusal(src, dst, dst_pin)
        if reason:
            return reason
        replaced = self._single_input_link(dst, dst_pin)
        self.execute(AddLink(Link(src=src, dst=dst, dst_pin=dst_pin), replaced,
                             label="replace link" if replaced else "link"))
        return None

    def find_link(self, src: str, dst: str, dst_pin: str) -> Link | None:
        return next((l for l in self.graph.links
                     if l.src == src and l.dst == dst and l.dst_pin == dst_pin), None)

    def remove_link(self, link: Link) -> bool:
        if not any(l is link for l in self.graph.links):
            return False
        self.execute(RemoveLink(link))
        return True

    def input_links(self, dst: str, pin: str) -> list[Link]:
        """Links into an input, in order."""
        return [l for l in self.graph.links if l.dst == dst and l.dst_pin == pin]

    def reorder_link(self, dst: str, pin: str, old: int, new: int) -> bool:
        count = len(self.input_links(dst, pin))
        if old == new or not (0 <= old < count and 0 <= new < count):
            return False
        self.execute(ReorderLink(dst, pin, old, new))
        return True

    # ------------------------------------------------------------ clipboard
    def copy(self, ids: Iterable[str]) -> dict:
        return copy_payload(self.graph, ids)

    def paste(self, payload: dict, offset: tuple[float, float] = (40.0, 40.0),
              label: str = "paste") -> list[str]:
        """Add the payload's nodes with new ids and their internal links. Returns the new ids."""
        nodes: list[Node] = []
        renamed: dict[str, str] = {}
        scratch = Graph(nodes=list(self.graph.nodes))
        for raw in payload.get("nodes", []):
            if not isinstance(raw, dict) or raw.get("type") not in REGISTRY:
                continue
            node = Node.model_validate(copy.deepcopy(raw))
            new_id = new_node_id(scratch, node.type)
            renamed[node.id] = new_id
            node.id = new_id
            node.pos = (node.pos[0] + offset[0], node.pos[1] + offset[1])
            scratch.nodes.append(node)
            nodes.append(node)
        links = []
        for raw in payload.get("links", []):
            try:
                link = Link.model_validate(raw)
            except Exception:  # noqa: BLE001 - foreign clipboard data: skip what does not fit
                continue
            if link.src in renamed and link.dst in renamed:
                links.append(Link(src=renamed[link.src], src_pin=link.src_pin,
                                  dst=renamed[link.dst], dst_pin=link.dst_pin))
        if not nodes:
            return []
        self.execute(AddNodes(nodes, links, label=label))
        return [n.id for n in nodes]

    def duplicate(self, ids: Iterable[str], offset: tuple[float, float] = (40.0, 40.0)) -> list[str]:
        return self.paste(self.copy(ids), offset, label="duplicate")
