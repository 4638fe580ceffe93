"""Whether a graph names its trainer folder, and what a chosen folder holds.

Pure (no Dear PyGui): the editor's start page, Script Loader note and Write config ask these.
A Script Loader whose Trainer directory is empty or "." with no DPG_LORA_TRAINER_DIR runs in, and
writes its relative Config path into, whatever folder the program was started from: that is
"no trainer folder set".
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Where a checkout's own environment usually keeps its interpreter (first found wins).
VENV_PYTHONS = ("venv/bin/python", ".venv/bin/python", "venv/Scripts/python.exe", ".venv/Scripts/python.exe")


def folder_is_set(trainer_dir: Any) -> bool:
    """A trainer folder other than empty or "." (however spelled: "./", " . ")."""
    text = str(trainer_dir or "").strip()
    return bool(text) and os.path.normpath(text) != "."


def config_lands_in_start_folder(trainer_dir: Any, config_path: Any) -> bool:
    """The config would be written relative to the folder the program was started from."""
    return not folder_is_set(trainer_dir) and not os.path.isabs(str(config_path or "config.json"))


def chosen_folder(path: str | os.PathLike) -> str:
    """The folder a folder picker's answer names: absolute; a path inside one (some dialogs
    return the folder with a file name or "." after it) gives its folder."""
    folder = os.path.abspath(path)
    return folder if os.path.isdir(folder) else os.path.dirname(folder)


def train_scripts(folder: str | os.PathLike) -> list[str]:
    """The `train_*.py` file names in `folder` (none when it is not a readable folder)."""
    try:
        return sorted(p.name for p in Path(folder).glob("train_*.py") if p.is_file())
    except OSError:
        return []


def venv_python(folder: str | os.PathLike) -> str | None:
    """The interpreter of a virtual environment inside `folder`, if there is one."""
    for relative in VENV_PYTHONS:
        candidate = Path(folder) / relative
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def loader_id(graph: Any) -> str | None:
    """The first Script Loader's node id (the one the compiler uses), or None."""
    return next((n.id for n in graph.nodes if n.type == "script_loader"), None)


def unset_machine_fields(graph: Any, folder: str, python: str | None) -> dict[str, str]:
    """The Script Loader values a chosen trainer folder (and its venv's Python) would fill: only
    fields the graph leaves unset, and only when the graph runs on this machine."""
    node_id = loader_id(graph)
    if node_id is None:
        return {}
    values = graph.node(node_id).values
    if str(values.get("host") or "").strip():
        return {}  # the paths are on another machine
    fill = {}
    if not folder_is_set(values.get("trainer_dir")):
        fill["trainer_dir"] = folder
    if python and not str(values.get("python") or "").strip():
        fill["python"] = python
    return fill


__all__ = ["chosen_folder", "config_lands_in_start_folder", "folder_is_set", "loader_id", "train_scripts",
           "unset_machine_fields", "venv_python"]
