"""Profiles read from a folder, layered over the built-in table, and their differences from it."""
from __future__ import annotations

import shutil
from pathlib import Path

from dpg_lora.scripts.folder import read_folder
from dpg_lora.scripts.layered import builtin_profiles, profiles_from_folder
from dpg_lora.scripts.profiles import ARGS, SCRIPTS
from tests.scripts.helpers import argument_line, write_script

LC = "train_longcat.py"
CORPUS = Path(__file__).parent / "corpus"


def test_a_copy_of_the_table_differs_in_nothing(tmp_path):
    for script in SCRIPTS:
        write_script(tmp_path, script)
    profiles = profiles_from_folder(read_folder(tmp_path))
    assert profiles.differences == () and profiles.problems == ()
    for script in SCRIPTS:
        assert profiles.from_folder(script)
        assert {n: a.default for n, a in profiles.args[script].items()} == \
               {n: a.default for n, a in builtin_profiles().args[script].items()}


def test_new_changed_and_removed_arguments(tmp_path):
    write_script(tmp_path, LC, changed={"rank": 32}, removed=("seed",),
                 added=[argument_line("ema_decay", "float", 0.999, "EMA decay, default %(default)s")])
    profiles = profiles_from_folder(read_folder(tmp_path))
    assert sorted((d.kind, d.arg, d.builtin, d.folder) for d in profiles.differences) == [
        ("changed default", "rank", 4, 32), ("new", "ema_decay", None, 0.999), ("removed", "seed", 42, None)]
    assert profiles.default("rank", LC) == 32 and not profiles.has(LC, "seed")
    ema = profiles.arg(LC, "ema_decay")
    assert (ema.type, ema.help, ema.builtin, ema.read) == ("float", "EMA decay, default 0.999", False, False)
    assert profiles.extra_args == {"ema_decay": (LC,)}
    # the other scripts, absent from the folder, keep the built-in table and say why
    other = profiles.source("train_flux2klein.py")
    assert other.kind == "built-in" and "is not in" in other.describe()
    assert profiles.source(LC).describe().startswith(str(tmp_path / LC))


def test_an_unknown_script_is_offered_with_its_rules_named(tmp_path):
    shutil.copy(CORPUS / "train_forms.py", tmp_path / "train_forms.py")
    profiles = profiles_from_folder(read_folder(tmp_path))
    assert profiles.order[-1] == "train_forms.py" and profiles.knows("train_forms.py")
    assert profiles.profile("train_forms.py").schema == "new"
    assert any("bucket sizes" in r for r in profiles.unknown_rules["train_forms.py"])
    assert profiles.arg("train_forms.py", "plain_int").read is True  # args.plain_int in the code


def test_an_unknown_script_without_dataset_configs(tmp_path):
    (tmp_path / "train_tiny.py").write_text("import argparse\np = argparse.ArgumentParser()\n"
                                            "p.add_argument('--steps', type=int, default=3)\n")
    profiles = profiles_from_folder(read_folder(tmp_path))
    assert profiles.profile("train_tiny.py").schema == "none"
    assert profiles.unknown_rules["train_tiny.py"] == ("it reads no dataset_configs: the dataset nodes do not apply",)


def test_a_broken_known_script_keeps_the_builtin_profile(tmp_path):
    shutil.copy(CORPUS / "train_syntax_error.py", tmp_path / LC)
    profiles = profiles_from_folder(read_folder(tmp_path))
    assert profiles.source(LC).kind == "built-in" and "syntax error" in profiles.source(LC).describe()
    assert profiles.args[LC] == builtin_profiles().args[LC]
    assert any("syntax error" in p for p in profiles.problems)


def test_an_unusable_folder_keeps_everything_builtin(tmp_path):
    profiles = profiles_from_folder(read_folder(tmp_path / "missing"))
    assert profiles.order == tuple(SCRIPTS) and not any(profiles.from_folder(s) for s in SCRIPTS)
    assert profiles.problems == (f"trainer folder {tmp_path / 'missing'} does not exist",)


def test_run_time_default_of_a_known_argument_falls_back_to_the_table(tmp_path):
    write_script(tmp_path, LC, removed=("seed",),
                 added=["    parser.add_argument('--seed', type=int, default=int(time.time()))"])
    arg = profiles_from_folder(read_folder(tmp_path)).arg(LC, "seed")
    assert arg.default == ARGS["seed"].default and any("built-in table's default 42" in n for n in arg.notes)


def test_the_editor_reads_the_script_loaders_folder_and_keeps_one_profile_set(tmp_path):
    from dpg_lora.scripts.loader import ProfileLoader, trainer_folder_of
    from tests.core.util import small_graph

    graph = small_graph(LC)
    assert trainer_folder_of(graph, None) is None and trainer_folder_of(graph, "/m") == "/m"
    graph.node("script").values["trainer_dir"] = str(tmp_path)
    assert trainer_folder_of(graph, "/m") == str(tmp_path)
    graph.node("script").values["host"] = "gpu-box"
    assert trainer_folder_of(graph, "/m") is None  # a path on that host, not here
    write_script(tmp_path, LC)
    loader = ProfileLoader()
    first = loader.load(str(tmp_path))
    assert first.from_folder(LC) and loader.load(str(tmp_path)) is first  # unchanged: same object
    write_script(tmp_path, LC, changed={"rank": 64})
    import os
    os.utime(tmp_path / LC, (2e9, 2e9))
    assert loader.load(str(tmp_path)).default("rank", LC) == 64
    assert loader.load(None) is builtin_profiles()
