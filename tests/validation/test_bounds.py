"""Field bounds declared in the registry are errors pinned to node and field, in graphs and configs."""
from __future__ import annotations

import json

import pytest

from dpg_lora.cli import main
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import graph_to_text
from dpg_lora.scripts.profiles import LCE
from dpg_lora.validation import validate_config
from tests.validation.helpers import ds, graph, node, sound


def bounds(findings):
    return {(f.path, f.severity) for f in findings if f.code == "OUT_OF_BOUNDS"}


@pytest.mark.parametrize("path,value", [
    (("rank",), -5),
    (("rank",), 0),
    (("caption_dropout",), 5.0),
    (("validation_ratio",), -0.1),
    (("num_train_epochs",), 0),
    (("rank",), 10**300),
    (("dataset_configs", 0, "repeats"), 0),
    (("dataset_configs", 0, "batch_configs", 0, "caption_dropout"), 5.0),
    (("dataset_configs", 0, "batch_configs", 0, "weight"), 1.5),
    (("dataset_configs", 0, "target_configs", "train", 0, "count"), -1),
])
def test_out_of_bounds_values_in_a_config_are_errors(path, value):
    config = sound(LCE)
    cursor = config
    for part in path[:-1]:
        cursor = cursor[part]
    cursor[path[-1]] = value
    assert bounds(validate_config(config, LCE)) == {(path, "error")}


def test_values_on_the_bounds_are_fine():
    config = sound(LCE)
    config.update(rank=1, caption_dropout=1.0, validation_ratio=0.0, learning_rate=0.0)
    ds(config)["batch_configs"][0].update(caption_dropout=0.0, weight=1.0)
    assert bounds(validate_config(config, LCE)) == set()


def test_a_float_rank_of_1e300_is_an_error():
    config = {**sound(LCE), "rank": 1e300}
    assert ("rank",) in {f.path for f in validate_config(config, LCE) if f.severity == "error"}


def test_graph_values_out_of_bounds_are_pinned_to_node_and_field():
    b = graph(LCE)
    node(b, "lora").values["rank"] = -5
    node(b, "bat").values["caption_dropout"] = 5.0
    node(b, "script").values["main_process_port"] = 70000
    result = compile_graph(b.build())
    found = {(d.node_id, d.field) for d in result.diagnostics if d.code == "OUT_OF_BOUNDS" and d.severity == "error"}
    assert found == {("lora", "rank"), ("bat", "caption_dropout"), ("script", "main_process_port")}
    message = next(d.message for d in result.diagnostics if (d.node_id, d.field) == ("lora", "rank"))
    assert "-5" in message and "at least 1" in message


@pytest.mark.parametrize("value", ["-5", "1e300"])
def test_validate_and_compile_a_graph_file_with_a_bad_rank(tmp_path, capsys, value):
    b = graph(LCE)
    path = tmp_path / "g.json"
    path.write_text(graph_to_text(b.build()).replace('"rank": 8', f'"rank": {value}'), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "error OUT_OF_BOUNDS lora.rank: " in err and "Traceback" not in err
    assert main(["compile", str(path)]) == 1


def test_validate_a_config_file_with_bad_bounds(tmp_path, capsys):
    config = sound(LCE)
    config["rank"] = -5
    ds(config)["batch_configs"][0]["caption_dropout"] = 5.0
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    assert main(["validate", str(path), "--script", LCE]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("error OUT_OF_BOUNDS rank: ") for line in err), err
    assert any(line.startswith("error OUT_OF_BOUNDS dataset_configs[0].batch_configs[0].caption_dropout: ")
               for line in err), err
