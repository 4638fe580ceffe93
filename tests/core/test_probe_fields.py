"""A field declared once in the registry is written and read back with no other change.

For every node type that writes into the config, a probe field is added to its declaration at
run time; every preset is compiled with the probe set on each node of that type, the probe must
appear exactly where that node writes; importing the compiled config back must put the value
into the probe field, not into Extra settings.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.importers import import_config
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import STR, FieldSpec

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted((ROOT / "presets").glob("*.json"))
PROBE = FieldSpec("probe_field", STR, "Probe", "", path=("probe_key",), help="added by a test")
WRITERS = sorted(s.type for s in REGISTRY.values() if s.output and not s.collect and not s.freeform)


def test_the_writing_node_types_are_the_ones_expected():
    assert set(WRITERS) == {"directory_setup", "lora_config", "misc_settings", "dataset_config", "image_item",
                            "target_item", "caption_item", "batch_item", "ref_source"}


def paths_holding(obj, wanted, path=()):
    if obj == wanted:
        yield path
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from paths_holding(value, wanted, path + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from paths_holding(value, wanted, path + (i,))


@pytest.mark.parametrize("node_type", WRITERS)
def test_a_probe_field_is_written_where_its_node_writes_and_imported_back(node_type, monkeypatch):
    spec = REGISTRY[node_type]
    monkeypatch.setitem(REGISTRY, node_type, dataclasses.replace(spec, fields=spec.fields + (PROBE,)))
    probed = 0
    for preset in PRESETS:
        graph = load_graph(preset)
        nodes = [n for n in graph.nodes if n.type == node_type]
        for node in nodes:
            node.values["probe_field"] = f"probe {node.id} \u00e9"
        result = compile_graph(graph)
        for node in nodes:
            if node.id not in {owner for owner, _ in result.origins.values()}:
                continue  # not connected (a preset may hold a spare node): it writes nothing
            value = f"probe {node.id} \u00e9"
            (found,) = paths_holding(result.config, value)
            owned = [p for p, owner in result.origins.items() if owner == (node.id, None)]
            assert found[:-1] in (owned or [()]), (preset.stem, node.id, found)
            assert found[-1] == "probe_key" and result.locate(found) == (node.id, "probe_field")
            probed += 1
        if not nodes:
            continue
        imported, notes = import_config(result.config, result.script)
        values = sorted(n.values["probe_field"] for n in imported.nodes
                        if n.type == node_type and "probe_field" in n.values)
        written = sorted(v for n in nodes for v in [n.values["probe_field"]]
                         if list(paths_holding(result.config, v)))
        assert values == written, preset.stem
        extra = [n for n in imported.nodes if n.type == "extra_settings"]
        assert not any("probe_key" in n.values for n in extra)
        assert not [n for n in notes if "probe_key" in n.where]
    assert probed, f"no preset has a connected {node_type}"
