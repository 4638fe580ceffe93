"""`dpg-lora validate --trainer-dir`: a config or graph checked against a trainer folder's scripts,
as `compile --trainer-dir` compiles against them."""
from __future__ import annotations

import json

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import save_graph
from tests.core.util import small_graph
from tests.scripts.helpers import argument_line, write_script
from tests.scripts.test_scripts_cli import dpg_lora

LC = "train_longcat.py"


def test_a_config_key_only_the_folders_script_has_is_no_longer_unknown(tmp_path):
    folder = tmp_path / "T2I trainer ü"
    folder.mkdir()
    write_script(folder, LC, added=[argument_line("ema_decay", "float", 0.999, "EMA decay")])
    config = json.loads(compile_graph(small_graph(LC)).config_text)
    config["ema_decay"] = 0.99
    path = tmp_path / "config ü.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    builtin = dpg_lora("validate", path, "--script", LC)
    assert builtin.returncode == 0 and "UNKNOWN_KEY ema_decay" in builtin.stderr
    with_folder = dpg_lora("validate", path, "--script", LC, "--trainer-dir", folder)
    assert with_folder.returncode == 0, with_folder.stderr
    assert "ema_decay" not in with_folder.stderr and "0 errors" in with_folder.stdout
    missing = dpg_lora("validate", path, "--script", LC, "--trainer-dir", tmp_path / "nope")
    assert "does not exist" in missing.stderr and "UNKNOWN_KEY ema_decay" in missing.stderr  # built-in kept


def test_a_graph_setting_an_argument_the_folders_script_lacks_is_warned(tmp_path):
    folder = tmp_path / "trainer"
    folder.mkdir()
    write_script(folder, LC, removed=("seed",))
    graph = tmp_path / "graph.json"
    save_graph(small_graph(LC, seed=7), graph)
    assert "ARG_NOT_IN_SCRIPT" not in dpg_lora("validate", graph).stderr
    res = dpg_lora("validate", graph, "--trainer-dir", folder)
    assert res.returncode == 0, res.stderr
    assert "warning ARG_NOT_IN_SCRIPT misc.seed" in res.stderr and "0 errors" in res.stdout
