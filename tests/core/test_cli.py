"""The CLI through a real subprocess, as a user runs it."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from dpg_lora.graph import save_graph
from tests.core.util import small_graph

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "single_image.json"


def dpg_lora(*args, cwd=None):
    # A clean environment and folder: a developer's own .env or DPG_LORA_* must not leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd or ROOT / "tests", timeout=60, env=env)


def test_print_config_is_exactly_what_out_writes(tmp_path):
    out = tmp_path / "sub dir" / "config ü.json"
    printed = dpg_lora("compile", PRESET, "--print", "config")
    written = dpg_lora("compile", PRESET, "--out", out)
    assert printed.returncode == 0 and written.returncode == 0, printed.stderr + written.stderr
    assert out.read_bytes().decode("utf-8") == printed.stdout
    assert json.loads(printed.stdout)["dataset_configs"]


def test_print_command():
    res = dpg_lora("compile", PRESET, "--print", "command")
    assert res.returncode == 0
    assert shlex.split(res.stdout.strip()) == ["python", "train_longcat.py", "--config_path", "config_single.json"]


def test_errors_exit_1_one_line_each_and_nothing_written(tmp_path):
    g = small_graph()
    g.node("bat0").values["caption_config"] = ""
    g.links = [l for l in g.links if not (l.dst == "ds0" and l.dst_pin == "targets")]
    path = tmp_path / "broken.json"
    save_graph(g, path)
    out = tmp_path / "config.json"
    res = dpg_lora("compile", path, "--out", out)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert "error FIELD_REQUIRED bat0.caption_config: Caption is empty: choose one of this dataset's caption keys" in lines
    assert any(l.startswith("error INPUT_REQUIRED ds0.targets: ") for l in lines)
    assert not out.exists()


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    res = dpg_lora("compile", bad)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and str(bad) in res.stderr and "Traceback" not in res.stderr
    assert dpg_lora("compile", tmp_path / "missing.json").returncode == 2


def test_help_lists_the_subcommands():
    res = dpg_lora("--help")
    assert res.returncode == 0 and "compile" in res.stdout


def test_machine_settings_are_the_script_loaders_defaults(tmp_path):
    trainer = tmp_path / "T2I Trainer"
    trainer.mkdir()
    (tmp_path / ".env").write_text(f"DPG_LORA_TRAINER_DIR={trainer}\nDPG_LORA_PYTHON={sys.executable}\n",
                                   encoding="utf-8")
    res = dpg_lora("compile", PRESET, "--print", "command", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert shlex.split(res.stdout)[0] == sys.executable
    # A value set on the node still wins.
    g = small_graph()
    g.node("script").values["python"] = "/opt/other/python"
    save_graph(g, tmp_path / "g.json")
    res = dpg_lora("compile", tmp_path / "g.json", "--print", "command", cwd=tmp_path)
    assert shlex.split(res.stdout)[0] == "/opt/other/python"


def test_bad_setting_exits_2_naming_the_variable(tmp_path):
    (tmp_path / ".env").write_text("DPG_LORA_TRAINER_DIR=/does/not/exist\n", encoding="utf-8")
    res = dpg_lora("compile", PRESET, cwd=tmp_path)
    assert res.returncode == 2
    assert "DPG_LORA_TRAINER_DIR" in res.stderr and res.stderr.count("\n") == 1
