"""The graph file's structure check (plain classes, no pydantic): each wrong shape names its place."""
from __future__ import annotations

import copy
import json

import pytest

from dpg_lora.graph import Graph, GraphFileError, Link, Node, graph_from_dict, graph_to_text, load_graph
from tests.core.util import small_graph


def _raw():
    return json.loads(graph_to_text(small_graph()))


@pytest.mark.parametrize("edit, where, message", [
    (lambda d: d["nodes"][1].pop("id"), "nodes[1].id", "required key is missing"),
    (lambda d: d["nodes"][1].update(id=""), "nodes[1] (id '').id", "must not be empty"),
    (lambda d: d["nodes"][1].update(id=7), "nodes[1] (id 7).id", "expected text, got a number"),
    (lambda d: d["nodes"][0].update(colour="red"), "nodes[0]", "unknown key 'colour'"),
    (lambda d: d["nodes"][0].update(pos=[1]), ".pos", "two numbers"),
    (lambda d: d["nodes"][0].update(pos=[1, "2"]), ".pos[1]", "expected a number, got text"),
    (lambda d: d["nodes"][0].update(pos=[1, True]), ".pos[1]", "expected a number, got true/false"),
    (lambda d: d["nodes"][0].update(values=[]), ".values", "expected an object, got a list"),
    (lambda d: d["links"][0].pop("dst_pin"), "links[0].dst_pin", "required key is missing"),
    (lambda d: d["links"][0].update(src=None), "links[0].src", "expected text, got null"),
    (lambda d: d.update(links={}), "links", "expected a list"),
    (lambda d: d.update(name=3), "name", "expected text"),
    (lambda d: d.update(extra=1), "extra", "unknown key 'extra'"),
    (lambda d: d["nodes"].__setitem__(0, "node"), "nodes[0]", "expected an object, got text"),
])
def test_wrong_shapes_are_named(edit, where, message):
    data = _raw()
    edit(data)
    with pytest.raises(GraphFileError) as info:
        graph_from_dict(data, "g.json")
    assert where in info.value.where and message in info.value.message, info.value


def test_round_trip_and_copies(tmp_path):
    graph = small_graph()
    path = tmp_path / "g.json"
    path.write_text(graph_to_text(graph), encoding="utf-8")
    loaded = load_graph(path)
    assert loaded == graph and graph_to_text(loaded) == graph_to_text(graph)
    assert all(isinstance(n.pos, tuple) and all(isinstance(v, float) for v in n.pos) for n in loaded.nodes)
    deep = loaded.model_copy(deep=True)
    deep.nodes[0].values["x"] = 1
    assert "x" not in loaded.nodes[0].values
    renamed = loaded.model_copy(update={"name": "other"})
    assert renamed.name == "other" and loaded.name == graph.name and renamed.nodes is loaded.nodes
    dumped = loaded.nodes[0].model_dump(mode="json")
    assert isinstance(dumped["pos"], list) and Node.model_validate(dumped) == loaded.nodes[0]
    link = loaded.links[0]
    assert Link.model_validate(link.model_dump()) == link
    assert Graph.model_validate(copy.deepcopy(loaded.model_dump(mode="json"))) == loaded
    assert Node(id="n", type="lora_config", pos=[1, 2]).pos == (1.0, 2.0)
