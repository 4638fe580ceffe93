"""The graph file: its data classes, versions and migrations, strict loading, atomic saving.

A graph file is readable, diff-friendly JSON with a stable key order:
    {"format": "dpg-lora-graph", "version": 1, "name": ..., "description": ...,
     "nodes": [{"id", "type", "pos": [x, y], "values": {field: value}}],
     "links": [{"src", "src_pin", "dst", "dst_pin"}],      (one link per line, in order)
     "view": {"zoom": 0.7, "collapsed": [node ids]}}       (optional; written only when set)
Node values hold only what the user set; everything else is the spec's (script's) default.
Positions are canvas coordinates at 100% zoom; the view section is the editor's view state and
never reaches a training config.
"""
from __future__ import annotations

import copy
import fnmatch
import json
import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from dpg_lora.fileio import atomic_write_text
from dpg_lora.jsonfile import JsonFileError, find_problem, join_place, read_json
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import (
    BOOL, CHOICE, FLOAT, INT, KEY, PATH, RESOLUTION, STR, TEXT, FieldSpec,
)

FORMAT = "dpg-lora-graph"
VERSION = 1

# version -> function upgrading a raw dict of that version to version + 1
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


class GraphFileError(Exception):
    """A graph file that cannot be loaded; names the file and the place inside it."""

    def __init__(self, path: str, where: str, message: str):
        self.path, self.where, self.message = path, where, message
        super().__init__(f"{path}: {where}: {message}" if where else f"{path}: {message}")


class ShapeError(Exception):
    """A raw graph dict whose structure is wrong; `loc` is the path to the offending item."""

    def __init__(self, loc: tuple, message: str):
        self.loc, self.message = loc, message
        super().__init__(message)


def _need(data: Any, kind: type | tuple[type, ...], loc: tuple, what: str) -> Any:
    if not isinstance(data, kind) or isinstance(data, bool) and kind is not bool:
        raise ShapeError(loc, f"expected {what}, got {_json_type(data)}")
    return data


def _json_type(value: Any) -> str:
    names = {type(None): "null", bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _fields_of(data: Any, loc: tuple, allowed: dict[str, bool]) -> dict:
    """`data` as an object holding only `allowed` keys (name -> required)."""
    _need(data, dict, loc, "an object")
    for key in data:
        if key not in allowed:
            raise ShapeError(loc + (key,), f"unknown key {key!r} (expected {', '.join(allowed)})")
    for key, required in allowed.items():
        if required and key not in data:
            raise ShapeError(loc + (key,), "required key is missing")
    return data


# Plain classes, not pydantic models: building pydantic model classes and importing pydantic cost
# more than the whole rest of `dpg-lora compile` (about 120 ms on these machines), and the file
# check below gives the same strictness with messages that name the file's own terms.
@dataclass(kw_only=True, eq=True)
class Node:
    id: str
    type: str
    pos: tuple[float, float] = (0.0, 0.0)
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pos = (float(self.pos[0]), float(self.pos[1]))

    @classmethod
    def model_validate(cls, data: Any, loc: tuple = ()) -> "Node":
        d = _fields_of(data, loc, {"id": True, "type": True, "pos": False, "values": False})
        node_id = _need(d["id"], str, loc + ("id",), "text")
        if not node_id:
            raise ShapeError(loc + ("id",), "a node id must not be empty")
        pos = d.get("pos", (0.0, 0.0))
        _need(pos, (list, tuple), loc + ("pos",), "a list [x, y]")
        if len(pos) != 2:
            raise ShapeError(loc + ("pos",), f"expected two numbers [x, y], got {len(pos)} items")
        for i, v in enumerate(pos):
            _need(v, (int, float), loc + ("pos", i), "a number")
            if not math.isfinite(v):
                raise ShapeError(loc + ("pos", i), "expected a finite number")
        values = d.get("values", {})
        _need(values, dict, loc + ("values",), "an object")
        return cls(id=node_id, type=_need(d["type"], str, loc + ("type",), "text"),
                   pos=(float(pos[0]), float(pos[1])), values=dict(values))

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        pos = list(self.pos) if mode == "json" else self.pos
        return {"id": self.id, "type": self.type, "pos": pos, "values": copy.deepcopy(self.values)}

    def model_copy(self, *, deep: bool = False, update: dict | None = None) -> "Node":
        return _copy(self, deep, update)


@dataclass(kw_only=True, eq=True)
class Link:
    src: str
    src_pin: str = "out"
    dst: str
    dst_pin: str

    @classmethod
    def model_validate(cls, data: Any, loc: tuple = ()) -> "Link":
        d = _fields_of(data, loc, {"src": True, "src_pin": False, "dst": True, "dst_pin": True})
        return cls(src=_need(d["src"], str, loc + ("src",), "text"),
                   src_pin=_need(d.get("src_pin", "out"), str, loc + ("src_pin",), "text"),
                   dst=_need(d["dst"], str, loc + ("dst",), "text"),
                   dst_pin=_need(d["dst_pin"], str, loc + ("dst_pin",), "text"))

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return {"src": self.src, "src_pin": self.src_pin, "dst": self.dst, "dst_pin": self.dst_pin}

    def model_copy(self, *, deep: bool = False, update: dict | None = None) -> "Link":
        return _copy(self, deep, update)


@dataclass(kw_only=True, eq=True)
class GraphView:
    """How the editor shows the graph: the zoom it was left at and the collapsed nodes."""
    zoom: float = 1.0
    collapsed: list[str] = field(default_factory=list)

    @classmethod
    def model_validate(cls, data: Any, loc: tuple = ("view",)) -> "GraphView":
        d = _fields_of(data, loc, {"zoom": False, "collapsed": False})
        zoom = _need(d.get("zoom", 1.0), (int, float), loc + ("zoom",), "a number")
        if not (math.isfinite(zoom) and 0 < zoom <= 4):
            raise ShapeError(loc + ("zoom",), "expected a zoom above 0 and at most 4")
        collapsed = _need(d.get("collapsed", []), list, loc + ("collapsed",), "a list")
        return cls(zoom=float(zoom),
                   collapsed=[_need(c, str, loc + ("collapsed", i), "text") for i, c in enumerate(collapsed)])

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return {"zoom": self.zoom, "collapsed": list(self.collapsed)}


@dataclass(kw_only=True, eq=True)
class Graph:
    format: str = FORMAT
    version: int = VERSION
    name: str = ""
    description: str = ""
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    view: GraphView = field(default_factory=GraphView)

    @classmethod
    def model_validate(cls, data: Any) -> "Graph":
        d = _fields_of(data, (), {"format": False, "version": False, "name": False, "description": False,
                                  "nodes": False, "links": False, "view": False})
        if d.get("format", FORMAT) != FORMAT:
            raise ShapeError(("format",), f"expected {FORMAT!r}")
        nodes = _need(d.get("nodes", []), list, ("nodes",), "a list")
        links = _need(d.get("links", []), list, ("links",), "a list")
        return cls(format=FORMAT, version=_need(d.get("version", VERSION), int, ("version",), "a number"),
                   name=_need(d.get("name", ""), str, ("name",), "text"),
                   description=_need(d.get("description", ""), str, ("description",), "text"),
                   nodes=[Node.model_validate(n, ("nodes", i)) for i, n in enumerate(nodes)],
                   links=[Link.model_validate(l, ("links", i)) for i, l in enumerate(links)],
                   view=GraphView.model_validate(d.get("view", {})))

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return {"format": self.format, "version": self.version, "name": self.name,
                "description": self.description, "nodes": [n.model_dump(mode) for n in self.nodes],
                "links": [l.model_dump(mode) for l in self.links], "view": self.view.model_dump(mode)}

    def model_copy(self, *, deep: bool = False, update: dict | None = None) -> "Graph":
        return _copy(self, deep, update)

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def find(self, node_type: str) -> list[Node]:
        return [n for n in self.nodes if n.type == node_type]

    def script(self) -> str:
        from dpg_lora.scripts import DEFAULT_SCRIPT

        loaders = self.find("script_loader")
        return loaders[0].values.get("script", DEFAULT_SCRIPT) if loaders else DEFAULT_SCRIPT


def _copy(obj, deep: bool, update: dict | None):
    """pydantic's model_copy: a shallow (or deep) copy with `update` applied unchecked."""
    out = copy.deepcopy(obj) if deep else copy.copy(obj)
    for key, value in (update or {}).items():
        setattr(out, key, value)
    return out


# ---------------------------------------------------------------- value checks

def _folder_argument(spec, name: str, value: Any) -> bool:
    """A value for an argument a trainer folder's script added (a field built from that script)."""
    return (bool(spec.new_args) and name.isidentifier() and isinstance(value, (bool, int, float, str))
            and any(fnmatch.fnmatchcase(name, pattern) for pattern in spec.new_args))


def check_value(field: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """Normalise a stored value for `field`; returns (value, error message or None)."""
    kind = field.kind
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value), None
            return value, f"expected a whole number, got {json.dumps(value)}"
    elif kind == FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value, f"expected a number, got {json.dumps(value)}"
        if not math.isfinite(value):
            return value, "expected a finite number"
        return float(value), None
    elif kind == BOOL:
        if not isinstance(value, bool):
            return value, f"expected true or false, got {json.dumps(value)}"
    elif kind == RESOLUTION:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), None
        if not isinstance(value, str):
            return value, f"expected a resolution like \"1024\", got {json.dumps(value)}"
    elif kind in (STR, TEXT, PATH, KEY, CHOICE):
        if not isinstance(value, str):
            return value, f"expected text, got {json.dumps(value)}"
    return value, None


def _check_graph(graph: Graph, path: str) -> Graph:
    seen: set[str] = set()
    for i, node in enumerate(graph.nodes):
        where = f"nodes[{i}] (id {node.id!r})"
        if node.id in seen:
            raise GraphFileError(path, where, "duplicate node id")
        seen.add(node.id)
        spec = REGISTRY.get(node.type)
        if spec is None:
            raise GraphFileError(path, f"{where}.type", f"unknown node type {node.type!r}")
        clean: dict[str, Any] = {}
        for name, value in node.values.items():
            if value is None:
                continue  # null means unset
            if spec.freeform:
                problem = find_problem(value)  # in-memory data; a file's were refused on reading
                if problem:
                    raise GraphFileError(path, join_place(f"{where}.values.{name}", problem[0]), problem[1])
                clean[name] = value
                continue
            try:
                field = spec.field(name)
            except KeyError:
                if _folder_argument(spec, name, value):  # kept; the compile says if the script lacks it
                    clean[name] = value
                    continue
                raise GraphFileError(path, f"{where}.values.{name}",
                                     f"{spec.title} has no field {name!r}") from None
            value, error = check_value(field, value)
            if error:
                raise GraphFileError(path, f"{where}.values.{name}", error)
            clean[name] = value
        node.values = clean
    by_id = {n.id: n for n in graph.nodes}
    for i, link in enumerate(graph.links):
        where = f"links[{i}]"
        for end, _pin in (("src", link.src_pin), ("dst", link.dst_pin)):
            node_id = getattr(link, end)
            if node_id not in by_id:
                raise GraphFileError(path, f"{where}.{end}", f"no node with id {node_id!r}")
        src_spec = REGISTRY[by_id[link.src].type]
        if link.src_pin != "out" or src_spec.output is None:
            raise GraphFileError(path, f"{where}.src_pin",
                                 f"{src_spec.title} {link.src!r} has no output {link.src_pin!r}")
        dst_spec = REGISTRY[by_id[link.dst].type]
        if link.dst_pin not in {p.name for p in dst_spec.inputs}:
            raise GraphFileError(path, f"{where}.dst_pin",
                                 f"{dst_spec.title} {link.dst!r} has no input {link.dst_pin!r}")
    return graph


def _where(loc: tuple, data: Any) -> str:
    parts: list[str] = []
    cursor = data
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            if isinstance(cursor, list) and item < len(cursor):
                cursor = cursor[item]
                if isinstance(cursor, dict) and "id" in cursor:
                    parts.append(f" (id {cursor['id']!r})")
            else:
                cursor = None
        else:
            parts.append(("." if parts else "") + str(item))
            cursor = cursor.get(item) if isinstance(cursor, dict) else None
    return "".join(parts)


def graph_from_dict(data: Any, source: str = "<memory>") -> Graph:
    """Validate, migrate and check a parsed graph; raises GraphFileError."""
    if not isinstance(data, dict):
        raise GraphFileError(source, "", f"expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        if "nodes" in data and "edges" in data:
            raise GraphFileError(source, "format", "this is an original T2ITrainer workflow; "
                                 "use `dpg-lora import` to convert it")
        if "dataset_configs" in data or "image_configs" in data or "pretrained_model_name_or_path" in data:
            raise GraphFileError(source, "format", "this is a training config; "
                                 "use `dpg-lora import` to convert it")
        raise GraphFileError(source, "format", f"not a dpg-lora graph (format is {data.get('format')!r})")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise GraphFileError(source, "version", f"expected a version number, got {json.dumps(version)}")
    if version > VERSION:
        raise GraphFileError(source, "version", f"written by a newer dpg-lora (file version {version}; "
                             f"this one reads up to {VERSION}); update dpg-lora to open it")
    while version < VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["version"] = version
    try:
        graph = Graph.model_validate(data)
    except ShapeError as exc:
        raise GraphFileError(source, _where(exc.loc, data), exc.message) from None
    return _check_graph(graph, source)


def load_graph(path: str | os.PathLike) -> Graph:
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise GraphFileError(exc.path, exc.where, exc.message) from None
    return graph_from_dict(data, os.fspath(path))


# ---------------------------------------------------------------- saving

def _ordered_values(node: Node) -> dict[str, Any]:
    spec = REGISTRY.get(node.type)
    if spec is None or spec.freeform:
        return dict(node.values)
    order = {f.name: i for i, f in enumerate(spec.fields)}
    return {k: node.values[k] for k in sorted(node.values, key=lambda k: order.get(k, len(order)))}


def _num(x: float) -> float | int:
    if not math.isfinite(x):
        raise ValueError(f"node position {x} is not a finite number; JSON cannot hold it")
    return int(x) if float(x).is_integer() else x  # unrounded: a reload gives the same graph


def graph_to_text(graph: Graph) -> str:
    """The exact text `save_graph` writes: stable key order, one link per line.
    Raises ValueError rather than write a NaN or an infinity (no JSON reader takes them back)."""
    dumps = lambda v: json.dumps(v, ensure_ascii=False, allow_nan=False)  # noqa: E731
    lines = ["{",
             f'  "format": {dumps(graph.format)},',
             f'  "version": {graph.version},',
             f'  "name": {dumps(graph.name)},',
             f'  "description": {dumps(graph.description)},']
    if graph.nodes:
        lines.append('  "nodes": [')
        for i, node in enumerate(graph.nodes):
            values = json.dumps(_ordered_values(node), ensure_ascii=False, indent=2, allow_nan=False)
            values = values.replace("\n", "\n      ")
            lines += ["    {",
                      f'      "id": {dumps(node.id)},',
                      f'      "type": {dumps(node.type)},',
                      f'      "pos": [{_num(node.pos[0])}, {_num(node.pos[1])}],',
                      f'      "values": {values}',
                      "    }" + ("," if i < len(graph.nodes) - 1 else "")]
        lines.append("  ],")
    else:
        lines.append('  "nodes": [],')
    if graph.links:
        lines.append('  "links": [')
        for i, link in enumerate(graph.links):
            sep = "," if i < len(graph.links) - 1 else ""
            lines.append("    " + dumps({"src": link.src, "src_pin": link.src_pin,
                                         "dst": link.dst, "dst_pin": link.dst_pin}) + sep)
        lines.append("  ]")
    else:
        lines.append('  "links": []')
    ids = {n.id for n in graph.nodes}
    collapsed = [i for i in graph.view.collapsed if i in ids]
    if graph.view.zoom != 1.0 or collapsed:
        lines[-1] += ","
        lines.append(f'  "view": {{"zoom": {_num(graph.view.zoom)}, "collapsed": {dumps(collapsed)}}}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def save_graph(graph: Graph, path: str | os.PathLike) -> None:
    atomic_write_text(path, graph_to_text(graph))


def new_node_id(graph: Graph, node_type: str) -> str:
    taken = {n.id for n in graph.nodes}
    i = 1
    while f"{node_type}_{i}" in taken:
        i += 1
    return f"{node_type}_{i}"
