"""`dpg-lora compile` loads only what compiling needs: no Dear PyGui, runner, importers or pydantic."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dpg_lora.cli import build_parser, command_modules

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("dearpygui", "dpg_lora.runner", "dpg_lora.importers", "dpg_lora.ui", "dpg_lora.presets", "pydantic",
         "watchfiles")

PROBE = """
import json, sys
from dpg_lora.cli import main
sys.stdout = open("{out}", "w", encoding="utf-8")
code = main({argv!r})
sys.stdout.close()
sys.stdout = sys.__stdout__
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""


def _modules_after(tmp_path, argv: list[str]) -> tuple[int, list[str]]:
    probe = PROBE.format(out=str(tmp_path / "stdout.txt"), argv=argv)
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=str(tmp_path),
                          timeout=60, env={"PATH": "/usr/bin:/bin", "DPG_LORA_USER_DIR": str(tmp_path / "user"),
                                           "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["code"], data["modules"]


@pytest.mark.parametrize("command", [["compile", "--print", "config"], ["validate"]])
def test_compile_and_validate_load_no_heavy_module(tmp_path, command):
    code, modules = _modules_after(tmp_path, [command[0], str(ROOT / "presets" / "mixed.json"), *command[1:]])
    assert code == 0
    assert "dpg_lora.compiler" in modules  # the probe really compiled
    loaded = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert loaded == []
    if command[0] == "compile":
        assert json.loads((tmp_path / "stdout.txt").read_text(encoding="utf-8"))["dataset_configs"]


def test_the_run_command_does_load_the_runner(tmp_path):
    """The check above can fail: a command that needs the runner shows up in sys.modules."""
    _, modules = _modules_after(tmp_path, ["run", str(tmp_path / "missing.json")])
    assert "dpg_lora.runner" in modules and "dearpygui" not in modules


def test_every_command_module_registers_the_name_found_without_importing_it():
    for name in command_modules():
        parser = build_parser(name)
        choices = parser._subparsers._group_actions[0].choices
        assert list(choices) == [name]
    full = build_parser()._subparsers._group_actions[0].choices
    assert list(full) == list(command_modules()) and {"compile", "run", "import"} <= set(full)


# What the editor's start path leaves for later: reading a trainer folder's scripts (ast, tokenize),
# the runner, the file watcher, the preset browser and run panel (built after the first frame), the
# importers, and hashlib (libcrypto; used on the first save or reload check).
EDITOR_LATER = ("dpg_lora.scripts.argparse_ast", "dpg_lora.scripts.folder", "dpg_lora.runner", "dpg_lora.watch",
                "watchfiles", "dpg_lora.ui.presets_panel", "dpg_lora.ui.run_panel", "dpg_lora.importers",
                "hashlib", "pydantic")


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in names)]


def test_importing_the_editor_loads_only_what_its_first_frame_needs():
    probe = ("import json, sys; import dpg_lora.cli, dpg_lora.cli._editor, dpg_lora.ui.app; "
             "print(json.dumps(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    modules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "dearpygui.dearpygui" in modules and "dpg_lora.compiler" in modules  # the probe really imported
    assert _loaded(modules, EDITOR_LATER) == []


def test_reading_a_trainer_folder_still_loads_the_script_reader(tmp_path):
    """The lazy import above is taken when a folder is read."""
    (tmp_path / "train_x.py").write_text("import argparse\np = argparse.ArgumentParser()\n"
                                         "p.add_argument('--rank', type=int, default=4)\n", encoding="utf-8")
    probe = ("import json, sys; from dpg_lora.scripts.loader import ProfileLoader; "
             f"p = ProfileLoader().load({str(tmp_path)!r}); "
             "print(json.dumps([sorted(sys.modules), sorted(p.args.get('train_x.py', {}))]))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    modules, args = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "dpg_lora.scripts.argparse_ast" in modules and "rank" in args
