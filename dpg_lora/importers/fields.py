"""Which node field holds a value, and whether it can hold it without changing its JSON type."""
from __future__ import annotations

import json
from typing import Any

from dpg_lora.field_values import emit  # the exact conversion the compiler applies on write
from dpg_lora.graph import check_value
from dpg_lora.specs.types import FieldSpec

def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def same_json(a: Any, b: Any) -> bool:
    """Equal values of the same JSON type, recursively (1 and 1.0 and True differ)."""
    if json_type(a) != json_type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return a == b


def stored(fld: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """The value as the field stores it (as graph files check it), or an error message."""
    return check_value(fld, value)


def fits(fld: FieldSpec, value: Any) -> bool:
    """The field can hold `value` and the compiler writes back exactly the same JSON."""
    value_stored, error = stored(fld, value)
    if error:
        return False
    try:
        return same_json(emit(fld, value_stored), value)
    except (TypeError, ValueError, OverflowError):
        return False


def show(value: Any) -> str:
    """A short JSON rendering for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def jpath(*parts: Any) -> str:
    """("dataset_configs", 0, "image_configs", "train") -> dataset_configs[0].image_configs.train"""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
