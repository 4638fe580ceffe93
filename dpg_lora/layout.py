"""Arrange: lay a graph out left to right by depth, items on the left, Script Loader on the right."""
from __future__ import annotations

from dpg_lora.graph import Graph
from dpg_lora.specs import REGISTRY

COLUMN_WIDTH = 330
ROW_GAP = 24
HEADER = 40
ROW = 24


def node_height(node_type: str, values: dict | None = None) -> int:
    """A rough on-screen height: header, pins and basic fields (advanced ones are folded)."""
    spec = REGISTRY[node_type]
    rows = len(spec.inputs) + (1 if spec.output else 0)
    rows += sum(1 for f in spec.fields if not f.advanced)
    rows += 1 if any(f.advanced for f in spec.fields) else 0
    if spec.freeform:
        rows += len(values or {}) + 1
    return HEADER + ROW * rows


def arrange(graph: Graph) -> Graph:
    """Positions every node: column = distance from the Script Loader (downstream on the right)."""
    consumers: dict[str, list[str]] = {}
    for link in graph.links:
        consumers.setdefault(link.src, []).append(link.dst)
    depth: dict[str, int] = {}

    def depth_of(node_id: str, trail: frozenset = frozenset()) -> int:
        if node_id in depth:
            return depth[node_id]
        outs = [d for d in consumers.get(node_id, []) if d not in trail]
        value = 0 if not outs else 1 + max(depth_of(d, trail | {node_id}) for d in outs)
        depth[node_id] = value
        return value

    for node in graph.nodes:
        depth_of(node.id)
    max_depth = max(depth.values(), default=0)
    # Order inside a column follows the order of the consumers' inputs, so links rarely cross.
    order: dict[str, float] = {}
    for i, node in enumerate(graph.nodes):
        order[node.id] = i
    link_rank: dict[str, int] = {}
    for i, link in enumerate(graph.links):
        link_rank.setdefault(link.src, i)
    columns: dict[int, list] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.id], []).append(node)
    for d, nodes in columns.items():
        nodes.sort(key=lambda n: (link_rank.get(n.id, 1e9), order[n.id]))
        y = 0
        for node in nodes:
            node.pos = (float((max_depth - d) * COLUMN_WIDTH), float(y))
            y += node_height(node.type, node.values) + ROW_GAP
    return graph


def restack(graph: Graph, heights: dict[str, float]) -> Graph:
    """Re-stack each column of an arranged graph with measured heights (nodes drawn taller than
    `node_height` guessed would overlap otherwise); order within a column is kept."""
    columns: dict[float, list] = {}
    for node in graph.nodes:
        columns.setdefault(node.pos[0], []).append(node)
    for nodes in columns.values():
        y = 0.0
        for node in sorted(nodes, key=lambda n: n.pos[1]):
            node.pos = (node.pos[0], y)
            y += float(heights.get(node.id, 0.0)) + ROW_GAP
    return graph
