"""Training config -> graph: typed fields, Extra settings, notes, layout. Fixtures are our own."""
from __future__ import annotations

import copy

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.importers import NotAnObjectError, import_config
from dpg_lora.importers.config import detect_schema
from dpg_lora.scripts.profiles import F2K, KTX, LC, LCE, QIE
from tests.importers.helpers import differences, overlaps


def dataset(**extra):
    ds = {
        "train_data_dir": "data/pairs",
        "resolution": "1024",
        "repeats": 2,
        "image_configs": {"train": {"suffix": "_T"}, "ref": {"suffix": "_R"}},
        "target_configs": {"train": [{"image": "train"}]},
        "reference_configs": {"refs": [{"sample_type": "from_same_name", "image": "ref"}]},
        "caption_configs": {"train": {"image": "train", "ext": ".txt"}},
        "batch_configs": [{"target_config": "train", "caption_config": "train", "reference_config": "refs"}],
    }
    ds.update(extra)
    return ds


def config(**top):
    base = {"pretrained_model_name_or_path": "models/base", "output_dir": "out", "rank": 16,
            "learning_rate": 0.0001, "gradient_checkpointing": True, "resolution": "1024",
            "dataset_configs": [dataset()]}
    base.update(top)
    return base


def run(cfg, script=LCE):
    graph, notes = import_config(copy.deepcopy(cfg), script)
    result = compile_graph(graph)
    return graph, notes, result


def codes(notes):
    return [n.code for n in notes]


def note(notes, code):
    return next(n for n in notes if n.code == code)


def test_a_sound_config_round_trips_exactly():
    cfg = config()
    graph, notes, result = run(cfg)
    assert differences(cfg, result.config, LCE) == []
    assert not [n for n in notes if n.severity != "info"]
    assert graph.node("misc_settings_1").values["learning_rate"] == 0.0001
    assert graph.find("extra_settings") == []


@pytest.mark.parametrize("key,value", [("resolution", 1024), ("rank", 16.5), ("gradient_checkpointing", "false"),
                                       ("num_train_epochs", 10.0), ("learning_rate", 1)])
def test_a_value_of_another_json_type_goes_to_extra_settings(key, value):
    cfg = config(**{key: value})
    graph, notes, result = run(cfg)
    (extra,) = graph.find("extra_settings")
    assert extra.values == {key: value}
    assert type(result.config[key]) is type(value) and result.config[key] == value
    assert note(notes, "TYPE_MISMATCH").where == key
    assert any(d.code == "EXTRA_OVERRIDES" for d in result.diagnostics)  # the validator flags it too
    assert differences(cfg, result.config, LCE) == []


def test_truthy_string_explains_what_the_scripts_do():
    _, notes, _ = run(config(gradient_checkpointing="false"))
    assert "even \"false\"" in note(notes, "TYPE_MISMATCH").message


def test_unknown_and_fieldless_keys_are_kept_and_reported():
    cfg = config(learning_rte=0.1, adam_beta1=0.8)
    graph, notes, result = run(cfg)
    assert graph.find("extra_settings")[0].values == {"learning_rte": 0.1, "adam_beta1": 0.8}
    assert {"UNKNOWN_KEY", "NO_FIELD"} <= set(codes(notes))
    assert differences(cfg, result.config, LCE) == []


def test_an_argument_the_script_lacks_is_kept_in_extra_settings():
    cfg = config(repeats=3, train_data_dir="data")
    graph, notes, result = run(cfg, LC)  # train_longcat.py has neither option
    assert graph.find("extra_settings")[0].values == {"repeats": 3, "train_data_dir": "data"}
    assert codes(notes).count("NOT_FOR_SCRIPT") == 2
    assert differences(cfg, result.config, LC) == []


def test_values_are_set_even_when_equal_to_the_default():
    graph, _, _ = run(config(seed=42))
    assert graph.node("misc_settings_1").values["seed"] == 42  # survives a script change


def test_script_and_config_path_land_on_the_script_loader():
    cfg = config(script="train_qwen_image_edit_new.py", config_path="configs/mine.json")
    graph, notes, result = run(cfg, None)
    loader = graph.node("script_loader").values
    assert loader == {"script": QIE, "config_path": "configs/mine.json"}
    assert "script" not in result.config and "config_path" not in result.config
    assert {"SCRIPT_KEY", "CONFIG_PATH"} <= set(codes(notes))


def test_a_misspelt_script_is_read_as_the_close_one_and_reported():
    graph, notes, _ = run(config(script="train_flux2_klein.py"), None)
    assert graph.script() == F2K
    assert "train_flux2_klein.py" in note(notes, "UNKNOWN_SCRIPT").message


def test_explicit_script_wins_over_the_file():
    graph, notes, _ = run(config(script=LC), F2K)
    assert graph.script() == F2K and "SCRIPT_OVERRIDDEN" in codes(notes)


def test_null_is_dropped_and_the_ignored_later_keys_are_named():
    cfg = {"rank": 8, "resume_from_checkpoint": None, "seed": 3, "training_set": None, "rank_alpha": 4.0,
           "dataset_configs": [dataset()]}
    graph, notes, result = run(cfg)
    first = note(notes, "NULL_TRUNCATES")
    assert first.where == "resume_from_checkpoint"
    assert "seed, training_set, rank_alpha" in first.message
    assert "NULL_DROPPED" in codes(notes)
    assert result.config["seed"] == 3 and result.config["rank_alpha"] == 4.0  # imported as written
    assert "training_set" not in result.config


def test_image_order_and_repeated_target_keys_are_kept():
    ds = dataset(image_configs={"z": {"suffix": "_Z"}, "a": {"suffix": "_A"}, "m": {}},
                 target_configs={"t": [{"image": "z"}, {"image": "a", "from_image": "m"}]},
                 caption_configs={"c": {"image": "z", "ext": ".txt"}},
                 batch_configs=[{"target_config": "t", "caption_config": "c"}])
    del ds["reference_configs"]
    cfg = config(dataset_configs=[ds])
    graph, _, result = run(cfg)
    out = result.config["dataset_configs"][0]
    assert list(out["image_configs"]) == ["z", "a", "m"]
    assert out["image_configs"]["m"] == {"suffix": ""}  # the script's default, now explicit
    assert len(graph.find("target_item")) == 2
    assert out["target_configs"] == {"t": [{"image": "z"}, {"image": "a", "from_image": "m"}]}
    assert differences(cfg, result.config, LCE) == []


def test_reference_list_maps_to_the_caption_fields():
    cap = {"image": "train", "ext": ".txt",
           "reference_list": {"reference_config": "refs", "resize": "384", "dropout": 0.25, "min_length": 1}}
    cfg = config(dataset_configs=[dataset(caption_configs={"train": cap})])
    graph, _, result = run(cfg)
    (item,) = graph.find("caption_item")
    assert item.values == {"key": "train", "image": "train", "ext": ".txt", "use_reference_list": True,
                           "reference_config": "refs", "reference_resize": "384", "reference_dropout": 0.25,
                           "reference_min_length": 1}
    assert differences(cfg, result.config, LCE) == []


def test_reference_config_extra_round_trips_for_f2k_and_is_reported_elsewhere():
    batch = {"target_config": "train", "caption_config": "train", "reference_config": "refs",
             "reference_config_extra": {"dropout": 0.5, "min": 1}}
    cfg = config(dataset_configs=[dataset(batch_configs=[batch])])
    _, notes, result = run(cfg, F2K)
    assert differences(cfg, result.config, F2K) == []
    _, notes, result = run(cfg, LCE)
    assert "reference_config_extra" not in result.config["dataset_configs"][0]["batch_configs"][0]
    assert "train_flux2klein.py" in note(notes, "VALUE_NOT_WRITTEN").message


def test_f2k_reference_batch_without_extra_is_reported():
    _, notes, result = run(config(), F2K)
    assert "EXTRA_ADDED" in codes(notes)
    assert result.config["dataset_configs"][0]["batch_configs"][0]["reference_config_extra"] == {"dropout": 0.0,
                                                                                                  "min": 0}


def test_dataset_keys_no_script_reads_are_dropped_and_reported():
    cfg = config(dataset_configs=[dataset(recreate_cache_label=True)])
    _, notes, result = run(cfg)
    assert note(notes, "DATASET_KEY_DROPPED").where == "dataset_configs[0].recreate_cache_label"
    assert "recreate_cache_label" not in result.config["dataset_configs"][0]


def test_nested_type_changes_are_reported():
    ds = dataset(reference_configs={"refs": [{"image": "ref", "resize": 512}]})
    _, notes, result = run(config(dataset_configs=[ds]))
    assert result.config["dataset_configs"][0]["reference_configs"]["refs"][0]["resize"] == "512"
    assert "TYPE_CHANGED" in codes(notes) and "SAMPLE_TYPE_WRITTEN" in codes(notes)


def test_flat_layout_becomes_one_dataset():
    ds = dataset()
    cfg = {"train_data_dir": "data/flat", "rank": 4, **{k: v for k, v in ds.items() if k.endswith("_configs")}}
    assert detect_schema(cfg) == "flat"
    graph, notes, result = run(cfg, QIE)
    (out,) = result.config["dataset_configs"]
    assert out["train_data_dir"] == "data/flat" and out["image_configs"] == ds["image_configs"]
    assert "image_configs" not in result.config
    assert "FLAT_LAYOUT" in codes(notes)


def test_old_schema_keeps_its_keys_in_extra_settings():
    cfg = {"rank": 8, "image_configs": {"train": {"suffix": "_T"}}, "caption_configs": {"train": {"ext": ".txt"}},
           "training_set": [{"training_layout_configs": {"train": {"noised": True}},
                             "captions_selection": {"target": "train"}}]}
    assert detect_schema(cfg) == "old"
    graph, notes, result = run(cfg, None)
    assert graph.script() == KTX
    assert set(graph.find("extra_settings")[0].values) == {"image_configs", "caption_configs", "training_set"}
    assert {"OLD_SCHEMA", "OLD_SCHEMA_KEY", "SCRIPT_INFERRED"} <= set(codes(notes))  # the old layout: KTX
    assert differences(cfg, result.config, KTX) == []


def test_leftover_old_keys_in_a_new_config_are_reported():
    cfg = config(image_configs={}, caption_configs={})
    graph, notes, _ = run(cfg)
    assert codes(notes).count("OLD_SCHEMA_KEY") == 2


@pytest.mark.parametrize("broken", [
    {"dataset_configs": "nope"},
    {"dataset_configs": [1, None, {"image_configs": []}]},
    {"dataset_configs": [{"target_configs": {"t": {"image": "x"}, "u": [], "v": 3}}]},
    {"dataset_configs": [{"caption_configs": {"c": "x", "d": {"reference_list": ["a"]}}, "batch_configs": [3]}]},
    {"dataset_configs": [{"reference_configs": {"g": "x", "h": [1, {"sample_type": 3}]}}]},
    {"rank": None, "dataset_configs": [{"repeats": "2", "recreate_cache": "yes", "resolution": None}]},
])
def test_a_broken_config_still_imports_with_its_problems_listed(broken):
    graph, notes, result = run(broken)
    assert [n for n in notes if n.severity in ("error", "warning")]
    assert result.config["dataset_configs"] is not None


@pytest.mark.parametrize("value", [[], [1], "text", 3, None])
def test_non_objects_raise_the_typed_error(value):
    with pytest.raises(NotAnObjectError):
        import_config(value)


def test_dangling_references_are_reported():
    ds = dataset(batch_configs=[{"target_config": "nope", "caption_config": "train"}])
    _, notes, _ = run(config(dataset_configs=[ds]))
    assert note(notes, "DANGLING_REFERENCE").where == "dataset_configs[0].batch_configs[0].target_config"


def test_layout_reads_left_to_right_without_overlap():
    cfg = config(dataset_configs=[dataset(), dataset(train_data_dir="data/b")], learning_rte=1)
    graph, _, _ = run(cfg)
    assert overlaps(graph) == []
    x = {n.id: n.pos[0] for n in graph.nodes}
    for link in graph.links:
        assert x[link.src] < x[link.dst]  # every link flows to the right, towards the Script Loader
