"""The node-spec registry: one declaration per node type, read by widgets, validation, the
compiler and the importers.

Everything below REGISTRY is derived from the declarations (pins say what they write), so a
new node type, field or dataset section is declared once, in a module of this package.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from dpg_lora.specs import core, dataset, items
from dpg_lora.specs.types import FieldSpec, NodeSpec, PinSpec

REGISTRY: dict[str, NodeSpec] = {spec.type: spec for spec in core.NODES + dataset.NODES + items.NODES}

CATEGORIES = ("core", "dataset", "lists", "items", "references")
# The add-node menu's name of each category (English; other languages: i18n/<lang>/node.json).
CATEGORY_TITLES = {"core": "Core", "dataset": "Dataset", "lists": "Lists", "items": "Items",
                   "references": "References"}

T = TypeVar("T")


def derived(fn: Callable[[], T]) -> Callable[[], T]:
    """Cache a registry query until a declaration in REGISTRY is replaced (tests add probe fields)."""
    cache: dict[str, tuple[tuple[int, ...], T]] = {}

    def wrapper() -> T:
        stamp = tuple(map(id, REGISTRY.values()))  # C-level: this runs on every call
        hit = cache.get("value")
        if hit is None or hit[0] != stamp:
            hit = cache["value"] = (stamp, fn())
        return hit[1]

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


def node_types_with_output(pin_type: str) -> list[NodeSpec]:
    """Node types whose output fits an input pin of `pin_type` (for link-drop menus)."""
    return [s for s in REGISTRY.values() if s.output == pin_type]


def node_types_with_input(pin_type: str) -> list[tuple[NodeSpec, PinSpec]]:
    """Node types with an input that accepts an output of `pin_type`."""
    return [(s, p) for s in REGISTRY.values() for p in s.inputs if p.type == pin_type]


def feeder_type(pin: PinSpec) -> str:
    """The node type that feeds an input pin (each pin type is one node type's output)."""
    return node_types_with_output(pin.type)[0].type


def pin_fed_by(parent_type: str, child_type: str) -> PinSpec | None:
    """The input of `parent_type` that a `child_type` node links into."""
    output = REGISTRY[child_type].output
    return next((p for p in REGISTRY[parent_type].inputs if p.type == output), None)


@derived
def root_type() -> str:
    """The output node (the Script Loader): the one type without an output."""
    return next(s.type for s in REGISTRY.values() if s.output is None)


@derived
def merged_pins() -> list[tuple[PinSpec, str]]:
    """The Script Loader inputs whose nodes write top-level keys, with their node type, in order."""
    return [(p, feeder_type(p)) for p in REGISTRY[root_type()].inputs if p.merge]


@derived
def top_level_fields() -> dict[str, tuple[str, FieldSpec]]:
    """Top-level config key -> (node type, field) that writes it."""
    out: dict[str, tuple[str, FieldSpec]] = {}
    for _, node_type in merged_pins():
        for fld in REGISTRY[node_type].fields:
            if len(fld.path) == 1:
                out[fld.path[0]] = (node_type, fld)
    return out


@derived
def list_key_kinds() -> dict[str, str]:
    """List node type -> the key kind its items define."""
    return {p.type: p.key_kind for s in REGISTRY.values() for p in s.inputs if p.key_kind}


def key_kind_of(node_type: str) -> str | None:
    """Which dataset key kind an item type defines ("image", "target", ...), via the list it feeds."""
    spec = REGISTRY[node_type]
    if spec.key_field is None or spec.output is None:
        return None
    for list_type, kind in list_key_kinds().items():
        if REGISTRY[list_type].items_pin.type == spec.output:
            return kind
    return None


__all__ = ["REGISTRY", "CATEGORIES", "CATEGORY_TITLES", "FieldSpec", "NodeSpec", "PinSpec", "derived", "feeder_type",
           "key_kind_of", "list_key_kinds", "merged_pins", "node_types_with_input", "node_types_with_output",
           "pin_fed_by", "root_type", "top_level_fields"]
