"""`dpg-lora scripts` through a real subprocess, as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.scripts.helpers import argument_line, write_script

ROOT = Path(__file__).resolve().parents[2]


def dpg_lora(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    env.update(PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT / "tests", timeout=60, env=env)


def test_json_lists_scripts_arguments_and_changes(tmp_path):
    folder = tmp_path / "T2I trainer ü"
    folder.mkdir()
    write_script(folder, "train_longcat.py", changed={"learning_rate": 3e-4},
                 added=[argument_line("ema_decay", "float", 0.999, "EMA decay")])
    (folder / "train_broken.py").write_bytes(b"def (:\n")
    res = dpg_lora("scripts", "--trainer-dir", folder, "--json")
    assert res.returncode == 1, res.stderr  # a script could not be read
    assert f"{folder / 'train_broken.py'}: syntax error at line 1" in res.stderr
    out = json.loads(res.stdout)
    lc = out["scripts"]["train_longcat.py"]
    assert lc["source"] == "folder" and lc["path"] == str(folder / "train_longcat.py")
    assert {(d["kind"], d["arg"]) for d in lc["differences"]} == {("new", "ema_decay"),
                                                                  ("changed default", "learning_rate")}
    ema = next(a for a in lc["arguments"] if a["name"] == "ema_decay")
    assert (ema["type"], ema["default"], ema["help"], ema["in_builtin_table"]) == ("float", 0.999, "EMA decay", False)
    assert out["scripts"]["train_flux2klein.py"]["source"] == "built-in"
    assert "train_broken.py" not in out["scripts"]


def test_text_listing_and_the_settings_folder(tmp_path):
    write_script(tmp_path, "train_longcat.py", removed=("seed",))
    res = dpg_lora("scripts", "--changes", env_extra={"DPG_LORA_TRAINER_DIR": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert f"trainer folder: {tmp_path}" in res.stdout
    assert "  --seed is gone (built-in default 42)" in res.stdout


def test_without_a_folder_the_builtin_table(tmp_path):
    res = dpg_lora("scripts")
    assert res.returncode == 0 and res.stdout.startswith("no trainer folder: the built-in table")
    assert "    --learning_rate" in res.stdout


def test_an_unusable_folder_is_exit_2(tmp_path):
    res = dpg_lora("scripts", "--trainer-dir", tmp_path / "nope", "--json")
    assert res.returncode == 2 and "does not exist" in res.stderr
    assert json.loads(res.stdout)["scripts"]["train_longcat.py"]["source"] == "built-in"
