"""What changed between two training configs, key path by key path (pure; no I/O).

`diff_configs(old, new)` walks both JSON values together: objects key by key (in the order of
`old`, then keys only `new` has), lists index by index (a config's dataset lists are ordered:
the trainer reads them by position), anything else compared as a value with its JSON type
(the trainer takes each value's type from the JSON, so 1 -> 1.0 and 1 -> "1" are changes). A
value whose type changed (an object that became a list) is one change at that path.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
Path = tuple["str | int", ...]
_MISSING = object()


@dataclass(frozen=True)
class Change:
    path: Path
    kind: str  # ADDED (only in new), REMOVED (only in old) or CHANGED
    old: Any = None  # None for ADDED
    new: Any = None  # None for REMOVED


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def diff_configs(old: Any, new: Any) -> list[Change]:
    """Every difference from `old` to `new`, in document order."""
    changes: list[Change] = []
    _walk(old, new, (), changes)
    return changes


def _walk(old: Any, new: Any, path: Path, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            if key in new:
                _walk(value, new[key], (*path, key), out)
            else:
                out.append(Change((*path, key), REMOVED, old=value))
        for key, value in new.items():
            if key not in old:
                out.append(Change((*path, key), ADDED, new=value))
        return
    if isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            if i >= len(new):
                out.append(Change((*path, i), REMOVED, old=old[i]))
            elif i >= len(old):
                out.append(Change((*path, i), ADDED, new=new[i]))
            else:
                _walk(old[i], new[i], (*path, i), out)
        return
    if not _same(old, new):
        out.append(Change(path, CHANGED, old=old, new=new))


def format_path(path: Path) -> str:
    """`image_configs.train.target_config[0].resize`; the whole config is `(root)`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


def format_value(value: Any, limit: int = 80) -> str:
    """A value as it is written in the JSON file, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def format_change(change: Change, limit: int = 80) -> str:
    """One plain line: `+ key: value`, `- key: value` or `~ key: old -> new`."""
    path = format_path(change.path)
    if change.kind == ADDED:
        return f"+ {path}: {format_value(change.new, limit)}"
    if change.kind == REMOVED:
        return f"- {path}: {format_value(change.old, limit)}"
    return f"~ {path}: {format_value(change.old, limit)} -> {format_value(change.new, limit)}"
