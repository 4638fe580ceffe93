"""Import notes pinned to the node and field that now hold the value, as every error line reads
(`error CODE node.field: message`); the place in the imported file stays in the message."""
from __future__ import annotations

import re
from dataclasses import replace

from dpg_lora.compiler import CompileResult
from dpg_lora.graph import Graph
from dpg_lora.importers.notes import ImportNote

_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
LOADER_FIELDS = ("script", "config_path")  # kept on the Script Loader, never written into the JSON


def parse_place(where: str) -> tuple:
    """`dataset_configs[0].image_configs.train` -> ("dataset_configs", 0, "image_configs", "train")."""
    return tuple(int(index) if index else key for index, key in _PART.findall(where))


def node_place(where: str, graph: Graph, result: CompileResult) -> str | None:
    """`node.field` (or `node`) for a note's place in a config, or None when no node holds it."""
    path = parse_place(where)
    if not path or any(n.id == where for n in graph.nodes):
        return None
    if path[0] in LOADER_FIELDS and len(path) == 1:
        loaders = graph.find("script_loader")
        return f"{loaders[0].id}.{path[0]}" if loaders else None
    node_id, field = result.locate(path)
    if node_id is None:
        return None
    return ".".join(p for p in (node_id, field) if p)


def pinned(notes: list[ImportNote], graph: Graph, result: CompileResult) -> list[ImportNote]:
    """The notes with `where` as node.field wherever a node holds that place."""
    out = []
    for note in notes:
        place = node_place(note.where, graph, result) if note.where else None
        if place and place != note.where:
            note = replace(note, where=place, message=f"{note.message} [in the file: {note.where}]")
        out.append(note)
    return out
