"""Compiling against a trainer folder's scripts: new arguments, changed defaults, removed ones."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph, save_graph
from dpg_lora.script_fields import dynamic_fields, fields_of, unfielded
from dpg_lora.scripts.folder import read_folder
from dpg_lora.scripts.layered import profiles_from_folder
from dpg_lora.specs import REGISTRY
from tests.core.util import small_graph
from tests.scripts.helpers import argument_line, write_script
from tests.scripts.test_scripts_cli import dpg_lora

LC = "train_longcat.py"
CORPUS = Path(__file__).parent / "corpus"
ADDED = [argument_line("ema_decay", "float", 0.999, "EMA decay of the LoRA weights"),
         argument_line("vae_tiling_path", "str", "tiles", "where tiles go"),
         argument_line("lora_dropout", "float", 0.05),
         "    parser.add_argument('--cache_workers', type=str, default=os.environ.get('W'))"]


def folder_context(folder: Path) -> CompileContext:
    return CompileContext(profiles=profiles_from_folder(read_folder(folder)))


def test_added_argument_and_changed_default_are_written(tmp_path):
    write_script(tmp_path, LC, changed={"learning_rate": 3e-4}, added=ADDED)
    graph = small_graph(LC)
    builtin = compile_graph(graph).config
    result = compile_graph(graph, folder_context(tmp_path))
    config = result.config
    assert builtin["learning_rate"] == 1e-4 and "ema_decay" not in builtin
    assert config["learning_rate"] == 3e-4 and config["ema_decay"] == 0.999
    assert config["vae_tiling_path"] == "tiles" and config["lora_dropout"] == 0.05
    assert "cache_workers" not in config  # default computed at run time: written only when set
    assert result.origins[("ema_decay",)] == ("misc", "ema_decay")
    assert result.origins[("vae_tiling_path",)] == ("dir", "vae_tiling_path")
    assert result.origins[("lora_dropout",)] == ("lora", "lora_dropout")
    assert not [d for d in result.diagnostics if d.code in ("UNKNOWN_KEY", "NOT_READ_BY_SCRIPT")]
    assert list(config)[-1] == "dataset_configs" and None not in config.values()


def test_new_fields_are_declared_like_the_others(tmp_path):
    write_script(tmp_path, LC, added=ADDED)
    context = folder_context(tmp_path)
    ema = next(f for f in fields_of(REGISTRY["misc_settings"], context) if f.name == "ema_decay")
    assert (ema.kind, ema.arg, ema.section, ema.scripts) == ("float", "ema_decay", "Other arguments", (LC,))
    assert ema.help.startswith("EMA decay of the LoRA weights") and ema.default_for(LC, context) == 0.999
    workers = next(f for fields in dynamic_fields(context.profiles).values() for f in fields
                   if f.name == "cache_workers")
    assert workers.optional and workers.default_for(LC, context) == ""
    assert fields_of(REGISTRY["misc_settings"], CompileContext()) == REGISTRY["misc_settings"].fields


def test_a_set_value_for_a_removed_argument_is_a_warning(tmp_path):
    write_script(tmp_path, LC, removed=("seed", "rank"))
    result = compile_graph(small_graph(LC, seed=7), folder_context(tmp_path))  # rank=8 is set, seed too
    assert "seed" not in result.config and "rank" not in result.config
    warned = {(d.node_id, d.field) for d in result.diagnostics if d.code == "ARG_NOT_IN_SCRIPT"}
    assert warned == {("misc", "seed"), ("lora", "rank")}
    assert all(d.severity == "warning" for d in result.diagnostics if d.code == "ARG_NOT_IN_SCRIPT")


def test_an_unknown_script_compiles_with_its_own_arguments(tmp_path):
    shutil.copy(CORPUS / "train_forms.py", tmp_path / "train_forms.py")
    context = folder_context(tmp_path)
    result = compile_graph(small_graph("train_forms.py"), context)
    assert "UNKNOWN_SCRIPT" not in {d.code for d in result.diagnostics}
    info = next(d for d in result.diagnostics if d.code == "SCRIPT_READ_FROM_FOLDER")
    assert "bucket sizes" in info.message and str(tmp_path / "train_forms.py") in info.message
    assert result.config["plain_int"] == 3 and result.config["alpha"] == 1.5 and result.config["rank"] == 8
    assert "learning_rate" in result.config and "seed" not in result.config  # seed: not in this script
    dataset = result.config["dataset_configs"][0]  # the dataset nodes apply, with their shared keys
    assert dataset["train_data_dir"] == "data/set0" and dataset["caption_configs"]["train"]["image"] == "train"
    assert [d.line() for d in result.errors] == []
    assert ("mode", "it takes several values") not in unfielded(context.profiles, "train_forms.py")
    assert ("sizes", "it takes several values") in unfielded(context.profiles, "train_forms.py")
    # without the folder the same graph names a script nobody knows
    assert "UNKNOWN_SCRIPT" in {d.code for d in compile_graph(small_graph("train_forms.py")).diagnostics}


def test_cli_compile_against_a_folder(tmp_path):
    folder = tmp_path / "trainer"
    folder.mkdir()
    write_script(folder, LC, changed={"learning_rate": 3e-4}, added=ADDED[:1])
    graph = tmp_path / "graph.json"
    save_graph(small_graph(LC), graph)
    res = dpg_lora("compile", graph, "--trainer-dir", folder, "--print", "config")
    assert res.returncode == 0, res.stderr
    config = json.loads(res.stdout)
    assert (config["learning_rate"], config["ema_decay"]) == (3e-4, 0.999)
    broken = dpg_lora("compile", graph, "--trainer-dir", tmp_path / "nope", "--print", "config")
    assert broken.returncode == 0 and "does not exist" in broken.stderr
    assert json.loads(broken.stdout)["learning_rate"] == 1e-4  # the built-in table stays in use


def test_a_saved_value_for_a_folder_argument_survives_without_the_folder(tmp_path):
    write_script(tmp_path, LC, added=ADDED[:1])
    graph = small_graph(LC)
    graph.node("misc").values["ema_decay"] = 0.5
    save_graph(graph, tmp_path / "g.json")
    loaded = load_graph(tmp_path / "g.json")
    assert loaded.node("misc").values["ema_decay"] == 0.5  # nothing the user set is lost
    builtin = compile_graph(loaded)
    assert "ema_decay" not in builtin.config
    assert [(d.severity, d.field) for d in builtin.diagnostics if d.code == "ARG_NOT_IN_SCRIPT"] == \
           [("warning", "ema_decay")]
    assert compile_graph(loaded, folder_context(tmp_path)).config["ema_decay"] == 0.5
