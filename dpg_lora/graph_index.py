"""Queries on one revision of a graph, answered from maps built once (the Document rebuilds the
index when the revision changes): links into an input, which dataset a node feeds, the members of
a dataset, the keys a KEY field can name."""
from __future__ import annotations

from collections import defaultdict

from dpg_lora.compiler import CompileResult
from dpg_lora.graph import Graph, Link, Node


class GraphIndex:
    def __init__(self, graph: Graph, result: CompileResult):
        self.graph, self.result = graph, result
        self.nodes: dict[str, Node] = {n.id: n for n in graph.nodes}
        self.links_into: dict[tuple[str, str], list[Link]] = defaultdict(list)
        self.consumers: dict[str, list[str]] = defaultdict(list)
        for link in graph.links:
            self.links_into[(link.dst, link.dst_pin)].append(link)
            self.consumers[link.src].append(link.dst)
        self._dataset_of: dict[str, str | None] = {}
        self._members: dict[str, list[Node]] | None = None

    def input_links(self, dst: str, pin: str) -> list[Link]:
        """Links into an input, in order."""
        return list(self.links_into.get((dst, pin), ()))

    def dataset_of(self, node_id: str) -> str | None:
        """The Dataset Config a node feeds: the compiler's answer, else the first one downstream
        (Ref Sources feed a Ref Group that the compiler records)."""
        if node_id not in self._dataset_of:
            self._dataset_of[node_id] = self._search_dataset(node_id)
        return self._dataset_of[node_id]

    def _search_dataset(self, node_id: str) -> str | None:
        known = self.result.dataset_of
        seen: set[str] = set()
        queue = [node_id]
        while queue:
            cur = queue.pop(0)
            if cur in known:
                return known[cur]
            if cur in seen:
                continue
            seen.add(cur)
            queue.extend(self.consumers.get(cur, ()))
        return None

    def members(self, dataset_id: str) -> list[Node]:
        """Every node that feeds `dataset_id`, in graph order."""
        if self._members is None:
            self._members = defaultdict(list)
            for node in self.graph.nodes:
                dataset = self.dataset_of(node.id)
                if dataset is not None:
                    self._members[dataset].append(node)
        return list(self._members.get(dataset_id, ()))

    def dataset_keys_for(self, node_id: str, kind: str) -> list[str]:
        """Keys of `kind` a KEY field on this node can name: its dataset's, or every dataset's."""
        keys = self.result.dataset_keys
        dataset = self.dataset_of(node_id)
        if dataset is not None:
            return list(keys.get(dataset, {}).get(kind, []))
        merged: list[str] = []
        for per_kind in keys.values():
            merged += [k for k in per_kind.get(kind, []) if k not in merged]
        return merged
