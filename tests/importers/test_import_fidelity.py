"""Import fidelity: what a sound config holds comes back from compiling its graph."""
from __future__ import annotations

from dpg_lora.compiler import compile_graph
from dpg_lora.importers import import_config


def test_extra_keys_named_like_builder_parameters_survive():
    config = {"dst": False, "pin": 1, "node_id": "x", "node_type": 2.5}
    graph, _ = import_config(config, "train_longcat.py")
    written = compile_graph(graph).config
    assert {k: written[k] for k in config} == config
