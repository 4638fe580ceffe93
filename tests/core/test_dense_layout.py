"""Dense positions for a small zoom: compact nodes packed without overlap, the layout's shape kept."""
from __future__ import annotations

from pathlib import Path

from dpg_lora.graph import load_graph
from dpg_lora.layout import bounds, dense_positions, node_height, overlapping


def test_dense_positions_pack_compact_nodes_without_overlap_and_keep_the_order():
    graph = load_graph(Path(__file__).resolve().parents[2] / "presets" / "mixed.json")
    pos = {n.id: tuple(n.pos) for n in graph.nodes}
    full = {n.id: (300.0, float(node_height(n.type, n.values))) for n in graph.nodes}
    compact = {n.id: (240.0, 60.0) for n in graph.nodes}
    dense = dense_positions(pos, compact, full)
    rects = {i: (x, y) + compact[i] for i, (x, y) in dense.items()}
    assert overlapping(rects) == []
    before = bounds([pos[i] + full[i] for i in pos])
    after = bounds(rects.values())
    assert after[3] < before[3] * 0.6 and after[2] <= before[2]  # much shorter, never wider
    assert after[:2] == before[:2]  # the top-left corner stays
    columns: dict[float, list] = {}
    for i in pos:
        columns.setdefault(pos[i][0], []).append(i)
    for ids in columns.values():  # each column keeps its top-to-bottom order
        assert sorted(ids, key=lambda i: pos[i][1]) == sorted(ids, key=lambda i: dense[i][1])


def test_dense_positions_leave_nodes_without_a_compact_size_alone():
    pos = {"a": (0.0, 0.0), "b": (0.0, 400.0), "c": (500.0, 0.0)}
    dense = dense_positions(pos, {"a": (100.0, 40.0), "b": (100.0, 40.0)}, {"a": (100.0, 300.0), "b": (100.0, 300.0)})
    assert set(dense) == {"a", "b"}
    assert dense["a"] == (0.0, 0.0) and 40 + 24 <= dense["b"][1] < 400
    assert dense_positions({}, {}, {}) == {}
