"""Graph files: stable text, strict loading, one typed error naming file and place."""
from __future__ import annotations

import json

import pytest

from dpg_lora import graph as graph_mod
from dpg_lora.graph import GraphFileError, graph_to_text, load_graph, save_graph
from tests.core.util import small_graph


def write(tmp_path, data, name="g.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def base_dict():
    return json.loads(graph_to_text(small_graph()))


def test_save_then_load_gives_the_same_text(tmp_path):
    g = small_graph()
    path = tmp_path / "ä dir" / "graph one.json"
    save_graph(g, path)
    text = path.read_text(encoding="utf-8")
    assert graph_to_text(load_graph(path)) == text
    assert text.count('"src":') == len(g.links)  # one link per line
    assert list(json.loads(text)) == ["format", "version", "name", "description", "nodes", "links"]


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "g.json"
    save_graph(small_graph(), path)
    save_graph(small_graph(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def expect_error(path, where_part, message_part):
    with pytest.raises(GraphFileError) as info:
        load_graph(path)
    err = info.value
    assert err.path == str(path)
    assert where_part in err.where, err
    assert message_part in err.message, err
    assert str(path) in str(err) and "\n" not in str(err)


def test_not_json(tmp_path):
    expect_error(write(tmp_path, '{"format": "dpg-lora-graph",\n  oops}'), "line 2", "not JSON")


def test_not_utf8(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes(b'{"name": "\xff"}')
    expect_error(path, "byte", "UTF-8")


def test_wrong_shape(tmp_path):
    d = base_dict()
    d["nodes"] = {"a": 1}
    expect_error(write(tmp_path, d), "nodes", "list")
    expect_error(write(tmp_path, "[1, 2]"), "", "JSON object")


def test_unknown_node_type(tmp_path):
    d = base_dict()
    d["nodes"][1]["type"] = "flux_capacitor"
    expect_error(write(tmp_path, d), f"nodes[1] (id {d['nodes'][1]['id']!r}).type", "unknown node type")


def test_link_to_missing_node_and_pin(tmp_path):
    d = base_dict()
    d["links"][0]["src"] = "ghost"
    expect_error(write(tmp_path, d), "links[0].src", "no node with id 'ghost'")
    d = base_dict()
    d["links"][0]["dst_pin"] = "nowhere"
    expect_error(write(tmp_path, d), "links[0].dst_pin", "has no input 'nowhere'")


def test_value_of_the_wrong_type(tmp_path):
    d = base_dict()
    misc = next(n for n in d["nodes"] if n["type"] == "misc_settings")
    misc["values"]["num_train_epochs"] = "ten"
    expect_error(write(tmp_path, d), f"(id {misc['id']!r}).values.num_train_epochs", "whole number")
    misc["values"]["num_train_epochs"] = 10
    misc["values"]["gradient_checkpointing"] = "false"
    expect_error(write(tmp_path, d), "values.gradient_checkpointing", "true or false")


def test_unknown_field(tmp_path):
    d = base_dict()
    d["nodes"][0]["values"]["colour"] = "red"
    expect_error(write(tmp_path, d), "values.colour", "has no field 'colour'")


def test_duplicate_node_id(tmp_path):
    d = base_dict()
    d["nodes"][2]["id"] = d["nodes"][1]["id"]
    expect_error(write(tmp_path, d), "nodes[2]", "duplicate node id")


def test_newer_version_is_refused(tmp_path):
    d = base_dict()
    d["version"] = graph_mod.VERSION + 1
    expect_error(write(tmp_path, d), "version", "newer dpg-lora")


def test_older_version_is_migrated(tmp_path, monkeypatch):
    # Pretend the current format is version 2, where version 1 files called `pos` `position`.
    def v1_to_v2(data):
        for node in data["nodes"]:
            node["pos"] = node.pop("position")
        return data

    d = base_dict()
    for node in d["nodes"]:
        node["position"] = node.pop("pos")
    monkeypatch.setattr(graph_mod, "VERSION", 2)
    monkeypatch.setitem(graph_mod.MIGRATIONS, 1, v1_to_v2)
    g = load_graph(write(tmp_path, d))
    assert g.version == 2
    assert g.nodes[0].pos == tuple(d["nodes"][0]["position"])


def test_foreign_files_get_a_hint(tmp_path):
    expect_error(write(tmp_path, {"nodes": [], "edges": [], "version": "1.0"}), "format", "dpg-lora import")
    expect_error(write(tmp_path, {"dataset_configs": []}), "format", "training config")


def test_null_value_means_unset(tmp_path):
    d = base_dict()
    misc = next(n for n in d["nodes"] if n["type"] == "misc_settings")
    misc["values"]["seed"] = None
    g = load_graph(write(tmp_path, d))
    assert "seed" not in g.node(misc["id"]).values


def test_missing_file(tmp_path):
    expect_error(tmp_path / "nope.json", "", "No such file")
