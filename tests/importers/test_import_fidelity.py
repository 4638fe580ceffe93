"""Import fidelity: what a sound config holds comes back from compiling its graph."""
from __future__ import annotations

from dpg_lora.compiler import compile_graph
from dpg_lora.importers import import_config


def test_extra_keys_named_like_builder_parameters_survive():
    config = {"dst": False, "pin": 1, "node_id": "x", "node_type": 2.5}
    graph, _ = import_config(config, "train_longcat.py")
    written = compile_graph(graph).config
    assert {k: written[k] for k in config} == config


import copy  # noqa: E402
import json  # noqa: E402

import pytest  # noqa: E402

from dpg_lora.cli import main  # noqa: E402
from dpg_lora.importers import import_file  # noqa: E402
from dpg_lora.validation import validate_config  # noqa: E402
from tests.importers.helpers import differences  # noqa: E402
from tests.shared_fixtures import t2itrainer_fixtures  # noqa: E402
from tests.validation.helpers import sound  # noqa: E402


def empty_references_config() -> dict:
    config = sound("train_longcat_edit.py")
    dataset = config["dataset_configs"][0]
    dataset["reference_configs"] = {}
    del dataset["batch_configs"][0]["reference_config"]
    return config


def test_empty_reference_configs_import_and_compile_clean(tmp_path, capsys):
    config = empty_references_config()
    assert [f for f in validate_config(config, "train_longcat_edit.py") if f.severity == "error"] == []
    src = tmp_path / "config.json"
    src.write_text(json.dumps(config), encoding="utf-8")
    graph_file = tmp_path / "graph.json"
    assert main(["import", str(src), "--script", "train_longcat_edit.py", "-o", str(graph_file)]) == 0
    assert main(["compile", str(graph_file), "--out", str(tmp_path / "back.json")]) == 0, capsys.readouterr().err
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["dataset_configs"][0]["reference_configs"] == {}
    assert differences(copy.deepcopy(config), back, "train_longcat_edit.py") == []


FIXTURES = t2itrainer_fixtures() / "configs"
# templates are fragments (an empty base model); the old schema has no nodes (OLD_SCHEMA_UNSUPPORTED)
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.json") if "template" not in p.name) if FIXTURES.is_dir() else []


@pytest.mark.skipif(not FIXTURE_FILES, reason="shared trainer fixtures are not available")
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_configs_the_rules_call_sound_compile_without_errors_after_import(path):
    graph, _ = import_file(path)
    result = compile_graph(graph)
    original = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(original, dict) or "dataset_configs" not in original:
        pytest.skip("not a dataset_configs config")
    if [f for f in validate_config(original, result.script) if f.severity == "error"]:
        pytest.skip("the config itself has errors for this script")
    assert [d.line() for d in result.errors] == []
