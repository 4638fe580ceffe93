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
