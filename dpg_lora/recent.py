"""The recently opened graph files: `recent.json` in the user folder, newest first.

Pure apart from the file it is given. Reading never raises (a missing or broken file is an empty
list); writing is atomic and a failed write is not an error (the list is a convenience). A file
that is gone stays listed until the user removes it, so the start page can show it as missing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

RECENT_LIMIT = 10
FILE_NAME = "recent.json"


def recent_path(user_dir: Path) -> Path:
    return user_dir / FILE_NAME


def read_recent(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return list(dict.fromkeys(p for p in data if isinstance(p, str) and p))[:RECENT_LIMIT]


def _write(path: Path, files: list[str]) -> None:
    from dpg_lora.fileio import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(files, indent=1, ensure_ascii=False))
    except OSError:
        pass


def remember(path: Path, file: str | os.PathLike) -> list[str]:
    """Put `file` (made absolute) first; returns the new list."""
    name = os.path.abspath(os.fspath(file))
    files = ([name] + [p for p in read_recent(path) if p != name])[:RECENT_LIMIT]
    _write(path, files)
    return files


def forget(path: Path, file: str) -> list[str]:
    """Remove `file` from the list; returns the new list."""
    files = [p for p in read_recent(path) if p != file]
    _write(path, files)
    return files


__all__ = ["RECENT_LIMIT", "forget", "read_recent", "recent_path", "remember"]
