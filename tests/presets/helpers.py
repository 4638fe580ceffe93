"""Shared bits for the preset/watch/autosave tests."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, TypeVar

from dpg_lora.settings import Settings

T = TypeVar("T")


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


def wait_for(check: Callable[[], T], timeout: float = 10.0, step: float = 0.02) -> T:
    """Poll until `check()` is truthy; generous timeout, no speed assertion."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {check}")
        time.sleep(step)
