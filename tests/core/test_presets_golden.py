"""Every shipped preset compiles with no error to its golden config."""
from __future__ import annotations

from pathlib import Path

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import graph_to_text, load_graph
from dpg_lora.scripts import SCRIPTS

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted((ROOT / "presets").glob("*.json"))
GOLDEN = ROOT / "tests" / "golden"


def test_the_five_required_presets_exist():
    assert {p.stem for p in PRESETS} >= {"single_image", "edit_pairs_reference", "multiple_references",
                                         "mixed", "flux2klein_references"}


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_compiles_to_its_golden_config(path):
    graph = load_graph(path)
    assert graph.name and graph.description
    assert path.read_text(encoding="utf-8") == graph_to_text(graph), "preset file is not in canonical form"
    result = compile_graph(graph)
    assert [d.line() for d in result.diagnostics if d.severity != "info"] == []
    assert result.script in SCRIPTS
    golden = GOLDEN / f"{path.stem}.config.json"
    assert result.config_text == golden.read_text(encoding="utf-8")


def test_preset_shapes_match_what_they_promise():
    def config(name):
        return compile_graph(load_graph(ROOT / "presets" / f"{name}.json")).config

    pairs = config("edit_pairs_reference")["dataset_configs"][0]
    assert [c["suffix"] for c in pairs["image_configs"].values()] == ["_T", "_R"]
    assert pairs["caption_configs"]["train"]["reference_list"]["reference_config"] in pairs["reference_configs"]
    multi = config("multiple_references")["dataset_configs"][0]
    assert len(multi["reference_configs"]) >= 3
    assert {b["reference_config"] for b in multi["batch_configs"]} == set(multi["reference_configs"])
    mixed = config("mixed")["dataset_configs"]
    assert len(mixed) == 2 and "reference_configs" in mixed[0] and "reference_configs" not in mixed[1]
    klein = config("flux2klein_references")
    for batch in klein["dataset_configs"][0]["batch_configs"]:
        assert "reference_config_extra" in batch
    for ds in klein["dataset_configs"]:
        assert int(ds["resolution"]) in SCRIPTS["train_flux2klein.py"].buckets
