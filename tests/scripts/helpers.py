"""Trainer scripts generated from the built-in table (not copied from upstream), for the profile tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dpg_lora.scripts.profiles import ARGS, arg_default

_TYPES = {"int": "int", "float": "float", "str": "str"}


def argument_line(name: str, type_: str, default: Any, help_: str = "") -> str:
    if type_ == "bool" and default is False:
        return f"    parser.add_argument('--{name}', action='store_true', help={help_!r})"
    type_part = "bool" if type_ == "bool" else _TYPES[type_]
    return f"    parser.add_argument('--{name}', type={type_part}, default={default!r}, help={help_!r})"


def script_text(script: str, *, changed: dict[str, Any] | None = None, added: list[str] = (),
                removed: tuple[str, ...] = (), reads_datasets: bool = True) -> str:
    """A script whose argparse block is the built-in table's for `script`, edited as asked."""
    changed = changed or {}
    lines = ["import argparse", "", "", "def parse_args():", "    parser = argparse.ArgumentParser()"]
    for name, spec in ARGS.items():
        if script in spec.scripts and name not in removed:
            lines.append(argument_line(name, spec.type, changed.get(name, arg_default(name, script))))
    lines += list(added)
    lines += ["    return parser.parse_args()", "", "", "def main(args, config_args):"]
    if reads_datasets:
        lines.append("    datasets = config_args['dataset_configs']")
    lines += ["    print(args.learning_rate)", ""]
    return "\n".join(lines)


def write_script(folder: Path, script: str, **edits) -> Path:
    path = folder / script
    path.write_text(script_text(script, **edits), encoding="utf-8")
    return path
