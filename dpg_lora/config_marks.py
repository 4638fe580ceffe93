"""Which lines of the written config hold a value nobody set (the preview can mark them).

The config text is `json.dumps(config, indent=2)`: every scalar (and empty container) sits on a
line of its own, in document order. `value_lines` walks the config the same way and names the
line of each value's path, so the compile's `defaulted` paths map to lines without parsing text.
"""
from __future__ import annotations

from typing import Any, Iterable


def value_lines(config: Any) -> dict[tuple, int]:
    """JSON path -> 0-based line of its value in `json.dumps(config, indent=2)`."""
    lines: dict[tuple, int] = {}
    row = 0

    def walk(value: Any, path: tuple) -> None:
        nonlocal row
        if isinstance(value, dict) and value:
            lines[path] = row
            row += 1  # "{" (or "key": {)
            for key, item in value.items():
                walk(item, path + (key,))
            row += 1  # "}"
        elif isinstance(value, list) and value:
            lines[path] = row
            row += 1
            for index, item in enumerate(value):
                walk(item, path + (index,))
            row += 1
        else:
            lines[path] = row
            row += 1

    walk(config, ())
    return lines


def mark_lines(text: str, config: Any, paths: Iterable[tuple], marker: str) -> str:
    """`text` with `marker` after the line of every path in `paths` that holds a plain value."""
    where = value_lines(config)
    rows = text.split("\n")
    for path in paths:
        row = where.get(tuple(path))
        if row is not None and row < len(rows):
            rows[row] += marker
    return "\n".join(rows)
