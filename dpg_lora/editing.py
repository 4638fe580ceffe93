"""The editing operations: what an edit of the user means for the graph, as one undoable command.

Each function reads the graph (and the revision's GraphIndex where it needs queries) and returns
the command to run, or None when nothing would change; the Document runs it. Pure: no UI, no files.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable

from dpg_lora.commands import (
    UNSET, AddLink, AddNodes, Command, Compound, MoveNodes, RemoveLink, RemoveNodes, RenameKey, SetValue,
)
from dpg_lora.compile_context import CompileContext
from dpg_lora.field_values import effective_value
from dpg_lora.graph import Graph, Link, Node, check_value, new_node_id
from dpg_lora.graph_index import GraphIndex
from dpg_lora.jsonfile import JsonFileError, parse_json
from dpg_lora.specs import REGISTRY, key_kind_of
from dpg_lora.specs.types import KEY

CLIP_FORMAT = "dpg-lora-clip"


# ---------------------------------------------------------------- links
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
    downstream: set[str] = set()
    stack = [dst]
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


def single_input_link(graph: Graph, dst: str, dst_pin: str) -> Link | None:
    """The link a new one into `dst.dst_pin` replaces (single inputs only)."""
    pin = REGISTRY[graph.node(dst).type].input(dst_pin)
    if pin.multi:
        return None
    return next((l for l in graph.links if l.dst == dst and l.dst_pin == dst_pin), None)


def add_link(graph: Graph, src: str, dst: str, dst_pin: str) -> tuple[Command | None, str | None]:
    """(the command, None), or (None, the reason the link is refused)."""
    reason = link_refusal(graph, src, dst, dst_pin)
    if reason:
        return None, reason
    replaced = single_input_link(graph, dst, dst_pin)
    return AddLink(Link(src=src, dst=dst, dst_pin=dst_pin), replaced,
                   label="replace link" if replaced else "link"), None


# ---------------------------------------------------------------- values
def rename_key(graph: Graph, index: GraphIndex, node_id: str, new_key: Any,
               context: CompileContext) -> RenameKey | None:
    """An item's new key; KEY fields in its dataset that named the old key follow it.

    References are left alone when the old key is empty, when the item is in no dataset,
    or when another item of the same kind still defines the old key (stacked targets).
    """
    node = graph.node(node_id)
    spec = REGISTRY[node.type]
    key_field = spec.key_field
    if key_field is None:
        raise ValueError(f"{spec.title} has no key")
    script = index.result.script
    old_key = effective_value(key_field, node.values, script, context)
    new_value = new_key
    if new_key is not UNSET:
        new_value, error = check_value(key_field, new_key)
        if error:
            raise ValueError(error)
    if node.values.get(key_field.name, UNSET) == new_value:
        return None
    parts: list[Command] = [SetValue(node_id, key_field.name, new_value, node.values.get(key_field.name, UNSET))]
    kind = key_kind_of(node.type)
    dataset = index.dataset_of(node_id)
    new_shown = key_field.default_for(script, context) if new_value is UNSET else new_value
    if kind and dataset and isinstance(old_key, str) and old_key.strip():
        members = index.members(dataset)
        still_defined = any(
            n.id != node_id and key_kind_of(n.type) == kind
            and effective_value(_key_field(n), n.values, script, context) == old_key
            for n in members)
        if not still_defined:
            for n in members:
                for fld in REGISTRY[n.type].fields:
                    if (fld.kind == KEY and fld.key_kind == kind
                            and effective_value(fld, n.values, script, context) == old_key):
                        parts.append(SetValue(n.id, fld.name, new_shown, n.values.get(fld.name, UNSET)))
    return RenameKey(parts, label=f"rename key to {new_shown!r}", node_id=node_id)


def _key_field(node: Node):
    key_field = REGISTRY[node.type].key_field
    assert key_field is not None  # key_kind_of(node.type) is set only for types with a key
    return key_field


# ---------------------------------------------------------------- nodes
def add_node(graph: Graph, node_type: str, pos: tuple[float, float] = (0.0, 0.0),
             values: dict | None = None, link_to: tuple[str, str] | None = None,
             link_from: tuple[str, str] | None = None) -> tuple[Command, str]:
    """A new node, optionally linked into `link_to` = (dst, pin) or fed by `link_from` = (src, pin),
    as one command. Raises ValueError if the link is refused."""
    if node_type not in REGISTRY:
        raise KeyError(f"unknown node type {node_type!r}")
    node = Node(id=new_node_id(graph, node_type), type=node_type,
                pos=(float(pos[0]), float(pos[1])), values=dict(values or {}))
    links: list[Link] = []
    replaced = None
    graph.nodes.append(node)  # temporarily, so the refusal check sees it
    try:
        if link_to:
            reason = link_refusal(graph, node.id, *link_to)
            if reason:
                raise ValueError(reason)
            links.append(Link(src=node.id, dst=link_to[0], dst_pin=link_to[1]))
            replaced = single_input_link(graph, *link_to)
        if link_from:
            reason = link_refusal(graph, link_from[0], node.id, link_from[1])
            if reason:
                raise ValueError(reason)
            links.append(Link(src=link_from[0], dst=node.id, dst_pin=link_from[1]))
    finally:
        graph.nodes.remove(node)
    add = AddNodes([node], [] if replaced else links, label=f"add {REGISTRY[node_type].title}")
    if replaced:
        return Compound([add, AddLink(links[0], replaced)], label=add.label), node.id
    return add, node.id


def remove_nodes(graph: Graph, ids: Iterable[str]) -> Command | None:
    present = {n.id for n in graph.nodes}
    kept = [i for i in ids if i in present]
    if not kept:
        return None
    return RemoveNodes(kept, label=f"delete {len(kept)} node{'s' if len(kept) > 1 else ''}")


def delete(graph: Graph, node_ids: Iterable[str], links: Iterable[Link]) -> Command | None:
    """Selected nodes and links as one step."""
    present = {n.id for n in graph.nodes}
    kept = [i for i in node_ids if i in present]
    gone = set(kept)
    parts: list[Command] = [RemoveLink(l) for l in links
                            if any(l is m for m in graph.links) and l.src not in gone and l.dst not in gone]
    if kept:
        parts.append(RemoveNodes(kept))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Compound(parts, label="delete")


def move_nodes(graph: Graph, positions: dict[str, tuple[float, float]], label: str = "move") -> Command | None:
    moves = {}
    for node_id, pos in positions.items():
        current = graph.node(node_id).pos
        old = (current[0], current[1])
        new = (float(pos[0]), float(pos[1]))
        if abs(old[0] - new[0]) > 0.5 or abs(old[1] - new[1]) > 0.5:
            moves[node_id] = (old, new)
    if not moves:
        return None
    return MoveNodes(moves, label=label)


# ---------------------------------------------------------------- clipboard
def copy_payload(graph: Graph, ids: Iterable[str]) -> dict:
    """The selected nodes and the links between them, as clipboard data."""
    chosen = set(ids)
    return {"format": CLIP_FORMAT,
            "nodes": [n.model_dump(mode="json") for n in graph.nodes if n.id in chosen],
            "links": [l.model_dump() for l in graph.links if l.src in chosen and l.dst in chosen]}


def parse_payload(text: str) -> dict | None:
    try:
        data = parse_json(text, "clipboard")  # the strict reader of files: no NaN, no repeated key
    except (JsonFileError, TypeError, AttributeError):
        return None
    if isinstance(data, dict) and data.get("format") == CLIP_FORMAT and isinstance(data.get("nodes"), list):
        return data
    return None


def paste(graph: Graph, payload: dict, offset: tuple[float, float] = (40.0, 40.0),
          label: str = "paste") -> tuple[Command | None, list[str]]:
    """The payload's nodes with new ids and their internal links; (command, the new ids)."""
    nodes: list[Node] = []
    renamed: dict[str, str] = {}
    scratch = Graph(nodes=list(graph.nodes))
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
        return None, []
    return AddNodes(nodes, links, label=label), [n.id for n in nodes]
