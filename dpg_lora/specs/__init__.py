"""The node-spec registry: one declaration per node type, read by widgets, validation and compiler."""
from __future__ import annotations

from dpg_lora.specs import core, dataset, items
from dpg_lora.specs.types import FieldSpec, NodeSpec, PinSpec

REGISTRY: dict[str, NodeSpec] = {spec.type: spec for spec in core.NODES + dataset.NODES + items.NODES}

CATEGORIES = ("core", "dataset", "lists", "items", "references")


LIST_KEY_KINDS = {"image_list": "image", "target_list": "target", "caption_list": "caption",
                  "reference_list": "reference"}


def key_kind_of(node_type: str) -> str | None:
    """Which dataset key kind an item type defines ("image", "target", ...), via the list it feeds."""
    spec = REGISTRY[node_type]
    if spec.key_field is None or spec.output is None:
        return None
    for list_type, kind in LIST_KEY_KINDS.items():
        if any(p.type == spec.output for p in REGISTRY[list_type].inputs):
            return kind
    return None


def node_types_with_output(pin_type: str) -> list[NodeSpec]:
    """Node types whose output fits an input pin of `pin_type` (for link-drop menus)."""
    return [s for s in REGISTRY.values() if s.output == pin_type]


def node_types_with_input(pin_type: str) -> list[tuple[NodeSpec, PinSpec]]:
    """Node types with an input that accepts an output of `pin_type`."""
    return [(s, p) for s in REGISTRY.values() for p in s.inputs if p.type == pin_type]


__all__ = ["REGISTRY", "CATEGORIES", "FieldSpec", "NodeSpec", "PinSpec", "key_kind_of",
           "node_types_with_output", "node_types_with_input"]
