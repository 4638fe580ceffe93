"""A run on this machine with no trainer folder set: the editor's plan blocks it (the Run tab and
Run ask for a folder), `dpg-lora run` starts in the current folder as documented and says so.
Both take it from runner/prelaunch.py's `folder_not_set`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.runner.prelaunch import BLOCK, PASS, Check, folder_not_set, plan_launch, request_of
from dpg_lora.settings import Settings

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


def graph_file(tmp_path: Path, **loader_values) -> Path:
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    loader["values"].update(python=sys.executable, **loader_values)
    [misc] = [n for n in data["nodes"] if n["type"] == "misc_settings"]
    misc["values"]["report_to"] = "tensorboard"
    path = tmp_path / "graph ü.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [None, "", ".", " ./ "])
def test_an_empty_or_dot_folder_is_not_set(value, tmp_path):
    check = folder_not_set(value, tmp_path)
    assert check == Check("trainer_dir", BLOCK, "not_set", str(tmp_path), check.message)
    assert str(tmp_path) in check.message and "Trainer directory" in check.message


def test_a_named_folder_is_set(tmp_path):
    assert folder_not_set(str(tmp_path), tmp_path) is None
    assert folder_not_set("sub dir", tmp_path) is None  # relative: against the start folder, but named


def test_the_editors_plan_blocks_a_run_in_the_start_folder(tmp_path):
    (tmp_path / "train_longcat.py").write_text("")  # even when the start folder looks like a trainer
    result = compile_graph(load_graph(graph_file(tmp_path)), CompileContext())
    request = request_of(result, tmp_path)
    plan = plan_launch(result, request, wandb_login="")
    checks = {c.name: c for c in plan.checks}
    assert checks["trainer_dir"].status == BLOCK and checks["trainer_dir"].reason == "not_set"
    assert checks["trainer_dir"].subject == str(tmp_path) and plan.blocked
    assert [c.name for c in plan.checks].count("trainer_dir") == 1


def test_dpg_lora_trainer_dir_or_the_graph_sets_it(tmp_path):
    trainer = tmp_path / "T2I trainer ü"
    trainer.mkdir()
    (trainer / "train_longcat.py").write_text("")
    context = CompileContext.from_settings(Settings(trainer_dir=str(trainer)))
    for result in (compile_graph(load_graph(graph_file(tmp_path)), context),
                   compile_graph(load_graph(graph_file(tmp_path, trainer_dir=str(trainer))), CompileContext())):
        plan = plan_launch(result, request_of(result, tmp_path), wandb_login="")
        checks = {c.name: c for c in plan.checks}
        assert checks["trainer_dir"] == Check("trainer_dir", PASS, "found", str(trainer))


def cli(*args, cwd: Path, env=None):
    env = dict(env or os.environ, DPG_LORA_USER_DIR=str(cwd / "user"))
    env.pop("DPG_LORA_TRAINER_DIR", None)
    return subprocess.run([sys.executable, "-m", "dpg_lora", "run", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_cli_runs_in_the_current_folder_as_documented_and_says_so(tmp_path):
    here = tmp_path / "start here ü"
    here.mkdir()
    (here / "train_longcat.py").write_text("")
    graph = graph_file(tmp_path)
    r = cli(graph, "--dry-run", cwd=here)
    assert r.returncode == 0, r.stderr
    assert f"cwd: {here}" in r.stdout.splitlines()
    assert f"note: no trainer folder set: the run starts in {here}" in r.stderr
    named = cli(graph, "--dry-run", "--trainer-dir", here, cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "no trainer folder set" not in named.stderr
