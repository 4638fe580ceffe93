"""Round-trip comparison: every key and value of the original, same JSON types; extra keys only
with the script's default."""
from __future__ import annotations

from typing import Any

from dpg_lora.field_values import emit
from dpg_lora.importers.fields import json_type, same_json
from dpg_lora.specs import top_level_fields
from dpg_lora.layout import COLUMN_WIDTH, node_height

LOADER_KEYS = ("script", "config_path")
DATASET_DEFAULTS = {"recreate_cache": False, "recreate_cache_target": False,
                    "recreate_cache_reference": False, "recreate_cache_caption": False}
# Defaults of nested keys the compiler writes explicitly (the scripts' own defaults).
NESTED_DEFAULTS = {
    "image_configs": {"suffix": ""},
    "target_configs": {"count": 1},  # count is written for from_subdir entries
    "reference_configs": {"sample_type": "from_same_name", "count": 1},
    "reference_list": {"dropout": 0.0, "min_length": 0},
    "reference_config_extra": {"dropout": 0.0, "min": 0},
}


def top_default(key: str, script: str) -> Any:
    owner = top_level_fields().get(key)
    if owner is None:
        return KeyError
    fld = owner[1]
    return emit(fld, fld.default_for(script)) if fld.applies_to(script) else KeyError


def differences(original: dict, compiled: dict, script: str) -> list[str]:
    """Human-readable differences; empty when the round trip is exact."""
    out: list[str] = []
    for key, value in original.items():
        if key in LOADER_KEYS:
            continue
        if key not in compiled:
            out.append(f"{key}: missing")
        elif key == "dataset_configs" and isinstance(value, list):
            out += _datasets(value, compiled[key], original, compiled)
        elif not same_json(value, compiled[key]):
            out.append(f"{key}: {value!r} became {compiled[key]!r}")
    for key in compiled:
        if key not in original and key != "dataset_configs" and not _is(compiled[key], top_default(key, script)):
            out.append(f"{key}: added with {compiled[key]!r}, not the default {top_default(key, script)!r}")
    return out


def _is(value: Any, default: Any) -> bool:
    return default is not KeyError and same_json(value, default)


def _datasets(orig: list, comp: list, top: dict, comp_top: dict) -> list[str]:
    if len(orig) != len(comp):
        return [f"dataset_configs: {len(orig)} datasets became {len(comp)}"]
    out = []
    for i, (a, b) in enumerate(zip(orig, comp)):
        repeats = top.get("repeats") if json_type(top.get("repeats")) == "integer" else 1
        defaults = dict(DATASET_DEFAULTS, resolution=str(comp_top.get("resolution", "512")), repeats=repeats)
        for key in b:
            if key not in a and not (key in defaults and same_json(b[key], defaults[key])):
                out.append(f"dataset_configs[{i}].{key}: added with {b[key]!r}")
        for key, value in a.items():
            where = f"dataset_configs[{i}].{key}"
            if key not in b:
                out.append(f"{where}: missing")
            else:
                out += _nested(value, b[key], where, key)
        if isinstance(a.get("image_configs"), dict) and list(a["image_configs"]) != list(b["image_configs"]):
            out.append(f"dataset_configs[{i}].image_configs: key order changed")
    return out


def _nested(a: Any, b: Any, where: str, part: str) -> list[str]:
    """Compare below a dataset part; `part` names the defaults table that applies to objects."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        defaults = NESTED_DEFAULTS.get(part, {})
        for key in b:
            if key not in a and not (key in defaults and same_json(b[key], defaults[key])):
                if not (key == "reference_config_extra" and _all_defaults(b[key])):
                    out.append(f"{where}.{key}: added with {b[key]!r}")
        for key, value in a.items():
            if key not in b:
                out.append(f"{where}.{key}: missing")
            else:
                sub = key if key in NESTED_DEFAULTS else part
                out += _nested(value, b[key], f"{where}.{key}", sub)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} entries became {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _nested(x, y, f"{where}[{i}]", part)]
    return [] if same_json(a, b) else [f"{where}: {a!r} became {b!r}"]


def _all_defaults(extra: Any) -> bool:
    return isinstance(extra, dict) and all(
        same_json(v, NESTED_DEFAULTS["reference_config_extra"].get(k)) for k, v in extra.items())


def overlaps(graph) -> list[tuple[str, str]]:
    """Pairs of nodes whose on-screen rectangles (layout.node_height, one column wide) overlap."""
    boxes = [(n.id, n.pos[0], n.pos[1], n.pos[0] + COLUMN_WIDTH - 20, n.pos[1] + node_height(n.type, n.values))
             for n in graph.nodes]
    hits = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                hits.append((a, b))
    return hits
