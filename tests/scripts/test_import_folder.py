"""Importing a config against a trainer folder's scripts: the folder's new arguments land on their
fields (as `compile --trainer-dir` writes them), not in Extra settings."""
from __future__ import annotations

import json

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.importers import import_config
from dpg_lora.scripts.folder import read_folder
from dpg_lora.scripts.layered import profiles_from_folder
from dpg_lora.specs import REGISTRY
from tests.core.util import small_graph
from tests.scripts.helpers import argument_line, write_script
from tests.scripts.test_scripts_cli import dpg_lora

LC = "train_longcat.py"
ADDED = [argument_line("ema_decay", "float", 0.999, "EMA decay of the LoRA weights"),
         "    parser.add_argument('--mix_sizes', type=int, nargs='+', default=[512])"]


def folder_config(tmp_path):
    folder = tmp_path / "T2I trainer ü"
    folder.mkdir()
    write_script(folder, LC, added=ADDED)
    config = json.loads(compile_graph(small_graph(LC)).config_text)
    config.update(ema_decay=0.99, mix_sizes=[512, 768])
    return folder, config


def extra_values(graph) -> dict:
    freeform = {t for t, spec in REGISTRY.items() if spec.freeform}
    return {k: v for n in graph.nodes if n.type in freeform for k, v in n.values.items()}


def test_a_folders_new_argument_lands_on_its_field_and_compiles_back(tmp_path):
    folder, config = folder_config(tmp_path)
    context = CompileContext(profiles=profiles_from_folder(read_folder(folder)))
    graph, notes = import_config(config, LC, context=context)
    [misc] = [n for n in graph.nodes if n.type == "misc_settings"]
    assert misc.values["ema_decay"] == 0.99 and "ema_decay" not in extra_values(graph)
    assert not [n for n in notes if n.where == "ema_decay"]
    # an argument the folder's script has that no field holds (it takes several values)
    [sizes] = [n for n in notes if n.where == "mix_sizes"]
    assert sizes.code == "NO_FIELD" and extra_values(graph)["mix_sizes"] == [512, 768]
    again = compile_graph(graph, context).config
    assert again["ema_decay"] == 0.99 and again["mix_sizes"] == [512, 768]
    assert {k: again[k] for k in config} == config  # every key and value comes back


def test_without_the_folder_its_arguments_stay_in_extra_settings(tmp_path):
    _folder, config = folder_config(tmp_path)
    graph, notes = import_config(config, LC)
    assert extra_values(graph)["ema_decay"] == 0.99
    assert {n.code for n in notes if n.where == "ema_decay"} == {"UNKNOWN_KEY"}


def test_cli_import_against_a_folder(tmp_path):
    folder, config = folder_config(tmp_path)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    out = tmp_path / "graph ü.json"
    res = dpg_lora("import", path, "--script", LC, "--trainer-dir", folder, "-o", out)
    assert res.returncode == 0, res.stderr
    graph = load_graph(str(out))
    assert [n.values["ema_decay"] for n in graph.nodes if n.type == "misc_settings"] == [0.99]
    assert "UNKNOWN_KEY ema_decay" not in res.stderr
