"""Shared bits for the preset/watch/autosave tests."""
from __future__ import annotations

import json
from pathlib import Path

from dpg_lora.settings import Settings


def graph_text(name: str = "g", script: str = "train_longcat.py", description: str = "") -> str:
    return json.dumps({"format": "dpg-lora-graph", "version": 1, "name": name, "description": description,
                       "nodes": [{"id": "script", "type": "script_loader", "pos": [0, 0],
                                  "values": {"script": script}}],
                       "links": []}, ensure_ascii=False, indent=2)


def write_graph(path: Path, name: str = "g", **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(graph_text(name, **kw), encoding="utf-8")
    return path


def make_settings(tmp: Path) -> Settings:
    builtin = tmp / "builtin"
    builtin.mkdir(exist_ok=True)
    return Settings(presets_dir=builtin, user_dir=tmp / "user ü")
