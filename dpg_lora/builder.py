"""A small helper to build graphs in code (presets, importers, tests)."""
from __future__ import annotations

from typing import Any

from dpg_lora.graph import Graph, Link, Node, new_node_id
from dpg_lora.specs import REGISTRY


class GraphBuilder:
    def __init__(self, name: str = "", description: str = ""):
        self.graph = Graph(name=name, description=description)

    def add(self, node_type: str, node_id: str | None = None, /, **values: Any) -> str:
        if node_type not in REGISTRY:
            raise KeyError(f"unknown node type {node_type!r}")
        node_id = node_id or new_node_id(self.graph, node_type)
        self.graph.nodes.append(Node(id=node_id, type=node_type, values=values))
        return node_id

    def link(self, src: str, dst: str, pin: str) -> None:
        self.graph.links.append(Link(src=src, dst=dst, dst_pin=pin))

    def add_into(self, dst: str, pin: str, node_type: str, node_id: str | None = None, /,
                 **values: Any) -> str:  # positional-only: a value may be named "dst" or "pin"
        node_id = self.add(node_type, node_id, **values)
        self.link(node_id, dst, pin)
        return node_id

    def build(self, arrange: bool = True) -> Graph:
        if arrange:
            from dpg_lora.layout import arrange as do_arrange

            do_arrange(self.graph)
        return self.graph
