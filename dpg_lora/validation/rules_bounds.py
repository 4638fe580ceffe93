"""Field bounds from the registry (FieldSpec.min / max) on every value a config holds.

The scripts take any number: `rank: -5` or `caption_dropout: 5.0` pass argparse and the config
merge, and fail (or silently train nonsense) much later. Each config place is matched to the
node field that writes it: top-level arguments through `FieldSpec.arg`, dataset and item keys
through the item sections below and each field's `path` inside its item.
"""
from __future__ import annotations

import functools
from typing import Any, Iterator

from dpg_lora.i18n import Catalogue
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import INT, FieldSpec
from dpg_lora.validation import ERROR, Finding, rule
from dpg_lora.validation.messages import english
from dpg_lora.validation.shape import datasets, ds_path, is_number, obj, seq

# The largest whole number the trainer's libraries take (a C int: torch sizes, peft's rank).
INT_CEILING = 2**31 - 1

# Where each item node type writes inside a dataset: (section, "map" {key: item} or
# "map_list" {key: [item, ...]} or "list" [item, ...], node type).
ITEM_SECTIONS = (
    ("image_configs", "map", "image_item"),
    ("target_configs", "map_list", "target_item"),
    ("reference_configs", "map_list", "ref_source"),
    ("caption_configs", "map", "caption_item"),
    ("batch_configs", "list", "batch_item"),
)
DATASET_NODE = "dataset_config"


def bounds_text(fld: FieldSpec, value: Any) -> tuple[str, dict[str, str | int]] | None:
    """Why `value` is outside `fld`'s bounds, as a problem key and params, or None (non-numbers
    are the type rules' job)."""
    if not is_number(value):
        return None
    shown = f"{value:g}" if isinstance(value, float) else (str(value) if abs(value) < 10**15 else f"{value:.3g}")
    if fld.min is not None and value < fld.min:
        return "problem.below_min", {"label": fld.label, "bound": f"{fld.min:g}", "value": shown}
    if fld.max is not None and value > fld.max:
        return "problem.above_max", {"label": fld.label, "bound": f"{fld.max:g}", "value": shown}
    if fld.kind == INT and abs(value) > INT_CEILING:
        return "problem.too_large", {"label": fld.label, "bound": INT_CEILING, "value": shown}
    return None


def bounds_problem(fld: FieldSpec, value: Any, catalogue: Catalogue | None = None) -> str | None:
    """`bounds_text` in `catalogue`'s language (English by default), or None."""
    found = bounds_text(fld, value)
    return (catalogue or english()).text(found[0], **found[1]) if found else None


def _bounded(node_type: str) -> tuple[FieldSpec, ...]:
    return tuple(f for f in REGISTRY[node_type].fields if f.min is not None or f.max is not None or f.kind == INT)


@functools.lru_cache(maxsize=1)
def _top_level() -> dict[str, FieldSpec]:
    return {f.arg: f for spec in REGISTRY.values() for f in spec.fields
            if f.arg and (f.min is not None or f.max is not None or f.kind == INT)}


def _items(section: Any, shape: str) -> Iterator[tuple[tuple, Any]]:
    if shape == "list":
        yield from (((j,), item) for j, item in enumerate(seq(section)))
    elif shape == "map":
        yield from (((key,), item) for key, item in obj(section).items())
    else:
        for key, items in obj(section).items():
            yield from (((key, j), item) for j, item in enumerate(seq(items)))


def _at(item: Any, path: tuple) -> Any:
    for part in path:
        item = obj(item).get(part)
    return item


@rule("field_bounds")
def check_field_bounds(config: dict, script: str):
    for key, fld in _top_level().items():
        if key in config and fld.applies_to(script):
            problem = bounds_text(fld, config[key])
            if problem:
                yield Finding("OUT_OF_BOUNDS", ERROR, (key,), *problem)
    for i, ds in datasets(config):
        for fld in _bounded(DATASET_NODE):
            problem = bounds_text(fld, ds.get(fld.path[-1] if fld.path else fld.name))
            if problem and fld.applies_to(script):
                yield Finding("OUT_OF_BOUNDS", ERROR, ds_path(i, fld.path[-1] if fld.path else fld.name), *problem)
        for section, shape, node_type in ITEM_SECTIONS:
            fields = [f for f in _bounded(node_type) if f.path and f.applies_to(script)]
            for where, item in _items(ds.get(section), shape):
                for fld in fields:
                    problem = bounds_text(fld, _at(item, fld.path))
                    if problem:
                        yield Finding("OUT_OF_BOUNDS", ERROR, ds_path(i, section, *where, *fld.path), *problem)
