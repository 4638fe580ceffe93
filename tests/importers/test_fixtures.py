"""The original trainer's configs and editor workflows, imported as a switching user would.

Read from the shared folder at test time (AGPL: never copied here); skipped when absent.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import graph_from_dict, graph_to_text
from dpg_lora.importers import import_file
from dpg_lora.importers.config import detect_schema
from dpg_lora.scripts import SCRIPTS
from tests.importers.helpers import differences, overlaps
from tests.shared_fixtures import needs_shared_fixtures, t2itrainer_fixtures

ROOT = t2itrainer_fixtures()
CONFIGS = sorted((ROOT / "configs").glob("*.json")) if ROOT.is_dir() else []
WORKFLOWS = sorted((ROOT / "workflows").glob("*.json")) if ROOT.is_dir() else []
pytestmark = needs_shared_fixtures(bool(CONFIGS and WORKFLOWS))


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def sound(path: Path) -> bool:
    data = load(path)
    return detect_schema(data) == "new" and None not in data.values()


def through_file_format(graph):
    return graph_from_dict(json.loads(graph_to_text(graph)))


@pytest.mark.parametrize("path", CONFIGS + WORKFLOWS, ids=lambda p: p.name)
def test_every_file_imports_compiles_and_saves(path):
    graph, notes = import_file(path)
    result = compile_graph(graph)
    assert compile_graph(through_file_format(graph)).config_text == result.config_text
    assert all(n.severity in ("error", "warning", "info") and n.code for n in notes)


@pytest.mark.parametrize("path", [p for p in CONFIGS if sound(p)], ids=lambda p: p.name)
def test_sound_configs_survive_import_and_compile(path):
    original = load(path)
    graph, notes = import_file(path)
    result = compile_graph(graph)
    # The only differences allowed are nested numbers our typed fields hold in another JSON type
    # (0 -> 0.0 for a dropout, 512 -> "512" for a resize); each one is reported.
    changed = {n.where for n in notes if n.code == "TYPE_CHANGED"}
    for line in differences(original, result.config, result.script):
        assert line.split(":")[0] in changed, line
    loader = graph.find("script_loader")[0].values
    if original.get("script") in SCRIPTS:
        assert loader["script"] == original["script"]
    elif "script" in original:  # config_f2k.json names train_flux2_klein.py, which does not exist
        assert any(n.code == "UNKNOWN_SCRIPT" for n in notes)
    if "config_path" in original:
        assert loader["config_path"] == original["config_path"]
    assert "script" not in result.config and "config_path" not in result.config
    assert overlaps(graph) == []


@pytest.mark.parametrize("name", ["config_config_longcat_dev_local.json", "config_config_new.json"])
def test_the_two_clean_configs_round_trip_exactly(name):
    path = ROOT / "configs" / name
    graph, _ = import_file(path)
    result = compile_graph(graph)
    assert differences(load(path), result.config, result.script) == []


@pytest.mark.parametrize("path", [p for p in CONFIGS if None in load(p).values()], ids=lambda p: p.name)
def test_nulls_are_dropped_and_the_truncation_explained(path):
    original = load(path)
    graph, notes = import_file(path)
    truncates = [n for n in notes if n.code == "NULL_TRUNCATES"]
    assert len(truncates) == 1
    first_null = next(k for k, v in original.items() if v is None)
    assert truncates[0].where == first_null
    later = list(original)[list(original).index(first_null) + 1:]
    assert all(k in truncates[0].message for k in later if k != "dataset_configs")
    result = compile_graph(graph)
    kept = {k: v for k, v in original.items() if v is not None}
    missing = {line.split(":")[0] for line in differences(kept, result.config, result.script)}
    assert missing <= {n.where for n in notes if n.code == "TYPE_CHANGED"}


@pytest.mark.parametrize("path", [p for p in CONFIGS if detect_schema(load(p)) == "flat"], ids=lambda p: p.name)
def test_flat_configs_become_one_dataset(path):
    original = load(path)
    graph, notes = import_file(path)
    assert "FLAT_LAYOUT" in [n.code for n in notes]
    (ds,) = compile_graph(graph).config["dataset_configs"]
    assert ds["train_data_dir"] == original.get("train_data_dir", "")
    assert list(ds["image_configs"]) == list(original["image_configs"])
    assert len(ds["batch_configs"]) == len(original["batch_configs"])


@pytest.mark.parametrize("path", [p for p in CONFIGS if detect_schema(load(p)) == "old"], ids=lambda p: p.name)
def test_old_schema_configs_keep_their_keys_in_extra_settings(path):
    original = load(path)
    graph, notes = import_file(path)
    assert "OLD_SCHEMA" in [n.code for n in notes]
    extra = graph.find("extra_settings")[0].values
    for key in ("image_configs", "caption_configs", "training_set"):
        assert extra[key] == original[key]


# ---------------------------------------------------------------- workflows

def wf(name):
    path = ROOT / "workflows" / name
    graph, notes = import_file(path)
    return load(path), graph, notes, compile_graph(graph)


def data_dir(raw, node_id):
    return next(n["data"]["train_data_dir"] for n in raw["nodes"] if n["id"] == node_id)


def ours(dataset):
    """Our dataset object minus the three recreate flags we always write (the original wrote them
    only when ticked; false is the scripts' default)."""
    out = dict(dataset)
    for flag in ("recreate_cache_target", "recreate_cache_reference", "recreate_cache_caption"):
        assert out.pop(flag) is False
    return out


def base(train_data_dir, **parts):
    return {"train_data_dir": train_data_dir, "resolution": "1024", "recreate_cache": False, "repeats": 1, **parts}


def single(train_data_dir):
    return base(train_data_dir, image_configs={"train": {"suffix": ""}},
                target_configs={"train": [{"image": "train"}]},
                caption_configs={"train": {"ext": ".txt", "image": "train"}},
                batch_configs=[{"target_config": "train", "caption_config": "train", "caption_dropout": 0.1}])


def pairs(train_data_dir, min_length, grey=False, sample_type_on_grey=False):
    images = {"train": {"suffix": "_T"}, "ref": {"suffix": "_R"}}
    refs = [{"sample_type": "from_same_name", "image": "ref"}]
    if grey:
        images["grey"] = {"suffix": "_G"}
        # The original emitted the second source as {"image": "grey"} (no sample_type chosen);
        # we write the scripts' default explicitly and report MISSING_SAMPLE_TYPE.
        refs.append({"sample_type": "from_same_name", "image": "grey"} if sample_type_on_grey else {"image": "grey"})
    return base(train_data_dir, image_configs=images,
                target_configs={"train_target": [{"image": "train"}]},
                reference_configs={"ref_list": refs},
                caption_configs={"train_caption": {"ext": ".txt", "image": "train", "reference_list": {
                    "reference_config": "ref_list", "resize": "384", "dropout": 0.1, "min_length": min_length}}},
                batch_configs=[{"target_config": "train_target", "caption_config": "train_caption",
                                "caption_dropout": 0.1, "reference_config": "ref_list"}])


def test_single_template_matches_the_original():
    raw, graph, notes, result = wf("templates_single.json")
    assert graph.node("script").values == {"script": "train_longcat.py", "config_path": "config_new.json"}
    assert [ours(d) for d in result.config["dataset_configs"]] == [single(data_dir(raw, "dataset"))]
    assert not result.errors


def test_default_single_workflow_matches_the_original():
    raw, graph, notes, result = wf("default_single_workflow.json")
    assert [ours(d) for d in result.config["dataset_configs"]] == [single(data_dir(raw, "dataset"))]
    assert result.config["lr_scheduler"] == "cosine" and result.config["logging_dir"] == "logs"


def test_pairs_template_matches_the_original():
    raw, graph, notes, result = wf("templates_pairs.json")
    assert graph.node("script").values["config_path"] == "config_new_pairs.json"
    assert [ours(d) for d in result.config["dataset_configs"]] == [pairs(data_dir(raw, "dataset"), 2)]
    # The original's own output crashes train_longcat.py (a reference_list with images); flagged here.
    assert "R13_LONGCAT_REFERENCE_LIST" in [d.code for d in result.errors]


def test_multiple_template_writes_sample_type_explicitly():
    raw, graph, notes, result = wf("templates_multiple.json")
    got = [ours(d) for d in result.config["dataset_configs"]]
    assert got != [pairs(data_dir(raw, "dataset"), 1, grey=True)]  # what the original emitted
    assert got == [pairs(data_dir(raw, "dataset"), 1, grey=True, sample_type_on_grey=True)]
    assert [n.where for n in notes if n.code == "MISSING_SAMPLE_TYPE"] == ["referenceEntryNode_maymzi"]


def test_mixed_template_reports_the_reference_to_the_other_dataset():
    raw, graph, notes, result = wf("templates_mixed.json")
    second = base(data_dir(raw, "datasetConfigNode_w3tu6e"),
                  image_configs={"train": {"suffix": "_A"}, "ref": {"suffix": "_B"}},
                  target_configs={"train_target2": [{"image": "train"}]},
                  reference_configs={"ref_list2": [{"sample_type": "from_same_name", "image": "ref"}]},
                  caption_configs={"train_caption2": {"ext": ".txt", "image": "train", "reference_list": {
                      "reference_config": "ref_list", "resize": "384", "dropout": 0.1, "min_length": 1}}},
                  batch_configs=[{"target_config": "train_target2", "caption_config": "train_caption2",
                                  "caption_dropout": 0.1, "reference_config": "ref_list2"}])
    first = pairs(data_dir(raw, "dataset"), 1, grey=True, sample_type_on_grey=True)
    assert [ours(d) for d in result.config["dataset_configs"]] == [first, second]
    # Dataset 2's caption points at dataset 1's group: the original wrote it as it is, and the
    # scripts then print "no references found". We keep it too, and report it.
    (dangling,) = [n for n in notes if n.code == "DANGLING_REFERENCE"]
    assert dangling.where == "dataset_configs[1].caption_configs.train_caption2.reference_list.reference_config"
    assert "only dataset 0 defines it" in dangling.message


@pytest.mark.parametrize("name", ["templates_single.json", "templates_pairs.json", "templates_multiple.json",
                                  "templates_mixed.json", "default_single_workflow.json", "current_workflow.json"])
def test_workflows_keep_ids_and_read_towards_the_script_loader(name):
    raw, graph, notes, result = wf(name)
    original_ids = {n["id"] for n in raw["nodes"]}
    assert original_ids <= {n.id for n in graph.nodes}
    x = {n.id: n.pos[0] for n in graph.nodes}
    assert all(x[lk.src] < x[lk.dst] for lk in graph.links if lk.src in original_ids and lk.dst in original_ids)
    assert "LOADER_KEYS" in [n.code for n in notes]
    for note in notes:
        assert re.match(r"^(error|warning|info) [A-Z_0-9]+ ", note.line())


def test_current_workflow_reports_what_the_original_lost():
    raw, graph, notes, result = wf("current_workflow.json")
    assert result.script == "train_flux2klein.py"
    assert result.config["report_to"] == "wandb"  # the original always wrote tensorboard
    assert "NEVER_COMPILED" in [n.code for n in notes]
    assert "EXTRA_ADDED" in [n.code for n in notes]  # F2K reference batch without reference_config_extra
    assert "WINDOWS_PATH" in [n.code for n in notes]
