"""The node-spec registry: one declaration per node type, read by widgets, validation and compiler."""
from __future__ import annotations

from dpg_lora.specs import core, dataset, items
from dpg_lora.specs.types import FieldSpec, NodeSpec, PinSpec

REGISTRY: dict[str, NodeSpec] = {spec.type: spec for spec in core.NODES + dataset.NODES + items.NODES}

CATEGORIES = ("core", "dataset", "lists", "items", "references")


def get_spec(node_type: str) -> NodeSpec:
    return REGISTRY[node_type]


def node_types_with_output(pin_type: str) -> list[NodeSpec]:
    """Node types whose output fits an input pin of `pin_type` (for link-drop menus)."""
    return [s for s in REGISTRY.values() if s.output == pin_type]


def node_types_with_input(pin_type: str) -> list[tuple[NodeSpec, PinSpec]]:
    """Node types with an input that accepts an output of `pin_type`."""
    return [(s, p) for s in REGISTRY.values() for p in s.inputs if p.type == pin_type]


__all__ = ["REGISTRY", "CATEGORIES", "FieldSpec", "NodeSpec", "PinSpec", "get_spec",
           "node_types_with_output", "node_types_with_input"]
