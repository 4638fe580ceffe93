"""Config keys named like GraphBuilder's parameters are plain values (hypothesis found {"dst": false})."""
from __future__ import annotations

from dpg_lora.importers.config import import_config


def test_keys_named_like_builder_parameters_are_kept_as_extra_values():
    graph, _notes = import_config({"dst": False, "pin": 1, "node_type": "x", "node_id": "y"})
    extra = [n for n in graph.nodes if n.type == "extra_settings"]
    assert len(extra) == 1 and extra[0].values == {"dst": False, "pin": 1, "node_type": "x", "node_id": "y"}
