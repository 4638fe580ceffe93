"""Safe readers for a config of any shape: rules ask through these and never index blindly.

Every helper returns an empty value instead of raising when the JSON has the wrong shape;
the rule that owns that place reports the shape problem itself.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterator, TypeGuard

from dpg_lora.scripts import profile

DATASETS = "dataset_configs"
DATASET_MAPS = ("image_configs", "target_configs", "reference_configs", "caption_configs")
ENTRY_SECTIONS = ("target_configs", "reference_configs")


def is_new_schema(script: str) -> bool:
    return profile(script).schema == "new"


def obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list:
    return value if isinstance(value, list) else []


def is_int(value: Any) -> TypeGuard[int]:
    """A JSON integer (bools are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> TypeGuard[int | float]:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and not (isinstance(value, float) and not math.isfinite(value)))


def as_float(value: Any) -> float | None:
    """`float(value)` as the trainer would take it, or None when that raises."""
    if isinstance(value, (dict, list)) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def has_old_layout(config: dict) -> bool:
    """The old schema's shape (train_flux_lora_ui_kontext_new.py): a training_set, or top-level
    image_configs and caption_configs without the new schema's target or batch configs."""
    if DATASETS in config:
        return False
    return config.get("training_set") is not None or (
        "image_configs" in config and "caption_configs" in config
        and not any(k in config for k in ("target_configs", "batch_configs")))


def datasets(config: dict) -> Iterator[tuple[int, dict]]:
    """(index, dataset) for every dataset entry that is an object."""
    for i, ds in enumerate(seq(obj(config).get(DATASETS))):
        if isinstance(ds, dict):
            yield i, ds


def ds_path(i: int, *rest: Any) -> tuple:
    return (DATASETS, i) + rest


def entries(ds: dict, section: str) -> Iterator[tuple[str, int, Any]]:
    """(group key, index, entry) of every entry of a target/reference section."""
    for key, items in obj(ds.get(section)).items():
        for j, entry in enumerate(seq(items)):
            yield key, j, entry


def batches(ds: dict) -> Iterator[tuple[int, dict]]:
    for j, batch in enumerate(seq(ds.get("batch_configs"))):
        if isinstance(batch, dict):
            yield j, batch


def captions(ds: dict) -> Iterator[tuple[str, dict]]:
    for key, caption in obj(ds.get("caption_configs")).items():
        if isinstance(caption, dict):
            yield key, caption


def short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_SEPARATORS = re.compile(r"[\\/]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def path_basename(path: str) -> str:
    """The folder name a path ends in, splitting at both separators (what the user means)."""
    return _SEPARATORS.split(path)[-1]


def looks_windows(path: str) -> bool:
    return "\\" in path or bool(_DRIVE.match(path))


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def format_path(path: tuple) -> str:
    """A JSON path for people: dataset_configs[0].batch_configs[2].caption_config."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _IDENT.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out or "config"
