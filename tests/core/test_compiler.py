"""compile(graph): exact config, command and structural diagnostics."""
from __future__ import annotations

import json
import shlex

import pytest

from dpg_lora.builder import GraphBuilder
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import Link, graph_from_dict, graph_to_text
from dpg_lora.scripts import ARGS, SCRIPTS
from tests.core.util import small_graph


def codes(result):
    return {(d.code, d.node_id, d.field) for d in result.diagnostics}


def walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def test_small_graph_compiles_without_errors_and_is_deterministic():
    first = compile_graph(small_graph())
    again = compile_graph(graph_from_dict(json.loads(graph_to_text(small_graph()))))
    assert first.errors == []
    assert first.config_text == again.config_text
    assert json.loads(first.config_text) == first.config


@pytest.mark.parametrize("script", [s for s in SCRIPTS if SCRIPTS[s].schema == "new"])
def test_writes_exactly_the_accepted_arguments_with_their_types(script):
    result = compile_graph(small_graph(script))
    config = result.config
    assert not any(v is None for v in walk(config)), "a null reached the config"
    top = set(config) - {"dataset_configs"}
    for key in top:
        arg = ARGS[key]
        assert script in arg.scripts, f"{key} is not an argument of {script}"
        value = config[key]
        expected = {"int": int, "float": float, "bool": bool, "str": str}[arg.type]
        assert type(value) is expected, f"{key}: {type(value).__name__} instead of {arg.type}"
    assert isinstance(config["dataset_configs"][0]["resolution"], str)
    assert "script" not in config and "config_path" not in config


def test_unset_fields_write_the_scripts_own_default():
    lc = compile_graph(small_graph("train_longcat.py")).config
    qi = compile_graph(small_graph("train_qwen_image_new.py")).config
    assert lc["blocks_to_swap"] == 10 and qi["blocks_to_swap"] == 0
    assert "repeats" not in lc and qi["repeats"] == 1  # LC has no --repeats
    assert "freeze_single_transformer_layers" in lc and "freeze_single_transformer_layers" not in qi
    assert lc["resume_from_checkpoint"] == ""  # never null
    assert lc["learning_rate"] == 0.0001


def test_set_values_win_and_keep_their_json_types():
    cfg = compile_graph(small_graph(num_train_epochs=12, learning_rate=3e-5, resolution="1024",
                                    gradient_checkpointing=True)).config
    assert cfg["num_train_epochs"] == 12 and type(cfg["num_train_epochs"]) is int
    assert cfg["learning_rate"] == 3e-5
    assert cfg["resolution"] == "1024"
    assert cfg["dataset_configs"][0]["resolution"] == "1024"  # empty dataset resolution = the global one
    assert cfg["gradient_checkpointing"] is True


def test_dataset_shape_and_all_recreate_flags():
    ds = compile_graph(small_graph()).config["dataset_configs"][0]
    assert list(ds) == ["train_data_dir", "resolution", "recreate_cache", "repeats", "recreate_cache_target",
                        "recreate_cache_reference", "recreate_cache_caption", "image_configs",
                        "target_configs", "caption_configs", "batch_configs"]
    assert ds["image_configs"] == {"train": {"suffix": "_T"}}
    assert ds["target_configs"] == {"train": [{"image": "train"}]}
    assert ds["caption_configs"] == {"train": {"image": "train", "ext": ".txt"}}
    assert ds["batch_configs"] == [{"target_config": "train", "caption_config": "train"}]


def test_datasets_and_items_follow_link_order():
    g = small_graph(datasets=2)
    cfg = compile_graph(g).config
    assert [d["train_data_dir"] for d in cfg["dataset_configs"]] == ["data/set0", "data/set1"]
    # Move ds1's link in front of ds0's: the order in the config follows.
    i0 = next(i for i, l in enumerate(g.links) if l.src == "ds0")
    i1 = next(i for i, l in enumerate(g.links) if l.src == "ds1")
    g.links[i0], g.links[i1] = g.links[i1], g.links[i0]
    assert [d["train_data_dir"] for d in compile_graph(g).config["dataset_configs"]] == ["data/set1", "data/set0"]


def test_image_keys_keep_link_order_first_is_base():
    g = small_graph()
    g.nodes.append(g.node("img0").model_copy(update={"id": "img_ref", "values": {"key": "ref", "suffix": "_R"}}))
    g.links.insert(0, Link(src="img_ref", dst="il0", dst_pin="items"))
    assert list(compile_graph(g).config["dataset_configs"][0]["image_configs"]) == ["ref", "train"]


def test_unconnected_nodes_contribute_nothing():
    g = small_graph()
    b = GraphBuilder()
    b.graph = g
    b.add("misc_settings", "stray_misc", num_train_epochs=99)
    b.add("image_item", "stray_img", key="stray", suffix="_S")
    result = compile_graph(g)
    assert result.config["num_train_epochs"] == 1
    assert "stray" not in result.config["dataset_configs"][0]["image_configs"]
    assert ("UNCONNECTED_NODE", "stray_misc", None) in codes(result)
    assert ("UNCONNECTED_NODE", "stray_img", None) in codes(result)
    assert not result.errors


def test_no_script_loader():
    g = small_graph()
    g.nodes = [n for n in g.nodes if n.type != "script_loader"]
    g.links = [l for l in g.links if l.dst != "script"]
    result = compile_graph(g)
    assert ("NO_SCRIPT_LOADER", None, None) in codes(result)
    assert result.config == {} and result.argv == []


def test_required_input_unconnected():
    g = small_graph()
    g.links = [l for l in g.links if not (l.dst == "ds0" and l.dst_pin == "batches")]
    result = compile_graph(g)
    assert ("INPUT_REQUIRED", "ds0", "batches") in codes(result)
    assert result.config["dataset_configs"][0]["batch_configs"] == []  # never a missing key


def test_duplicate_keys_inside_a_dataset():
    g = small_graph()
    g.nodes.append(g.node("cap0").model_copy(update={"id": "cap_dup"}))
    g.links.append(Link(src="cap_dup", dst="cl0", dst_pin="items"))
    result = compile_graph(g)
    assert ("DUPLICATE_KEY", "cap_dup", "key") in codes(result)
    # Targets with one key stack instead: that is how a target list is built.
    g = small_graph()
    g.nodes.append(g.node("tgt0").model_copy(update={"id": "tgt2", "values": {"key": "train", "image": "train",
                                                                               "resize": "512"}}))
    g.links.append(Link(src="tgt2", dst="tl0", dst_pin="items"))
    result = compile_graph(g)
    assert result.config["dataset_configs"][0]["target_configs"]["train"] == [
        {"image": "train"}, {"image": "train", "resize": "512"}]


def test_link_between_wrong_pin_types_is_reported_and_ignored():
    g = small_graph()
    g.links.append(Link(src="cap0", dst="il0", dst_pin="items"))
    result = compile_graph(g)
    assert ("LINK_TYPE_MISMATCH", "il0", "items") in codes(result)
    assert list(result.config["dataset_configs"][0]["image_configs"]) == ["train"]


def test_empty_required_field():
    g = small_graph()
    g.node("bat0").values["caption_config"] = ""
    assert ("FIELD_REQUIRED", "bat0", "caption_config") in codes(compile_graph(g))


def test_reference_config_extra_only_for_flux2klein():
    def with_reference(script):
        g = small_graph(script)
        b = GraphBuilder()
        b.graph = g
        rl = b.add_into("ds0", "references", "reference_list", "rl")
        grp = b.add_into(rl, "items", "ref_group", "grp", key="ref")
        b.add_into(grp, "sources", "ref_source", "src1", image="train")
        b.add_into(grp, "sources", "ref_source", "src2", sample_type="from_subdir", image="train",
                   suffix="_x", count=2)
        g.node("bat0").values["reference_config"] = "ref"
        return compile_graph(g)

    klein = with_reference("train_flux2klein.py").config["dataset_configs"][0]
    longcat = with_reference("train_longcat_edit.py").config["dataset_configs"][0]
    assert klein["batch_configs"][0]["reference_config_extra"] == {"dropout": 0.0, "min": 0}
    assert "reference_config_extra" not in longcat["batch_configs"][0]
    assert with_reference("train_longcat_edit.py").dataset_of["src2"] == "ds0"
    assert longcat["reference_configs"] == {"ref": [
        {"sample_type": "from_same_name", "image": "train"},
        {"sample_type": "from_subdir", "image": "train", "suffix": "_x", "count": 2}]}


def test_caption_reference_list_is_written_only_when_enabled():
    g = small_graph("train_longcat_edit.py")
    cap = g.node("cap0")
    cap.values.update(reference_config="ref", reference_dropout=0.2)
    assert "reference_list" not in compile_graph(g).config["dataset_configs"][0]["caption_configs"]["train"]
    cap.values["use_reference_list"] = True
    written = compile_graph(g).config["dataset_configs"][0]["caption_configs"]["train"]
    assert written["reference_list"] == {"reference_config": "ref", "dropout": 0.2, "min_length": 0}


def test_origins_point_back_to_nodes_and_fields():
    result = compile_graph(small_graph())
    assert result.locate(("learning_rate",)) == ("misc", "learning_rate")
    assert result.locate(("dataset_configs", 0, "batch_configs", 0, "caption_config")) == ("bat0", "caption_config")
    assert result.locate(("dataset_configs", 0, "image_configs", "train")) == ("img0", None)
    assert result.dataset_keys["ds0"]["image"] == ["train"]
    assert result.dataset_of["bat0"] == "ds0"


def test_command_python_and_quoting():
    g = small_graph()
    g.node("script").values.update(python="/opt/my env/bin/python", config_path="configs/my run.json",
                                   trainer_dir="C:\\Users\\ü\\T2ITrainer")
    r = compile_graph(g)
    assert r.argv == ["/opt/my env/bin/python", "train_longcat.py", "--config_path", "configs/my run.json"]
    assert shlex.split(r.command_posix) == r.argv
    assert r.command_windows == '"/opt/my env/bin/python" train_longcat.py --config_path "configs/my run.json"'
    assert r.cwd == "C:\\Users\\ü\\T2ITrainer"


def test_command_accelerate():
    g = small_graph()
    g.node("script").values.update(launcher="accelerate", num_processes=2, multi_gpu=True)
    assert compile_graph(g).argv == ["python", "-m", "accelerate.commands.launch", "--num_processes", "2",
                                     "--multi_gpu", "train_longcat.py", "--config_path", "config.json"]
    g.node("script").values.update(num_machines=2, machine_rank=1, main_process_ip="10.0.0.1")
    argv = compile_graph(g).argv
    assert argv[argv.index("--num_machines") + 1] == "2"
    assert argv[argv.index("--main_process_ip") + 1] == "10.0.0.1"
    assert argv[argv.index("--main_process_port") + 1] == "29500"


def test_old_schema_script_is_an_error_not_a_silent_empty_config():
    result = compile_graph(small_graph("train_flux_lora_ui_kontext_new.py"))
    assert ("OLD_SCHEMA_UNSUPPORTED", "script", "script") in codes(result)


def test_extra_settings_are_written_and_overrides_warned():
    g = small_graph()
    b = GraphBuilder()
    b.graph = g
    b.add_into("script", "extra", "extra_settings", "extra", custom_flag=True, seed=7)
    result = compile_graph(g)
    assert result.config["custom_flag"] is True and result.config["seed"] == 7
    overrides = [d for d in result.diagnostics if d.code == "EXTRA_OVERRIDES"]
    assert [(d.node_id, d.field, d.severity) for d in overrides] == [("extra", "seed", "info")]
    g.node("misc").values["seed"] = 3  # set on both nodes: a warning
    assert [d.severity for d in compile_graph(g).diagnostics if d.code == "EXTRA_OVERRIDES"] == ["warning"]
