"""Fill one node's values from a JSON object through its spec's field paths, noting what is lost.

Shared by the config importer (item objects of dataset_configs) and the workflow importer.
"""
from __future__ import annotations

from typing import Any

from dpg_lora.field_values import emit, is_empty, node_defaults
from dpg_lora.importers.fields import same_json, show, stored
from dpg_lora.importers.notes import Notes
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import FieldSpec


def _by_path(node_type: str) -> dict[tuple, FieldSpec]:
    return {f.path: f for f in REGISTRY[node_type].fields if f.path and not f.is_key}


def set_value(values: dict, fld: FieldSpec, value: Any, where: str, notes: Notes,
              changed: list[str] | None = None) -> bool:
    """Store `value` in `fld` if it has the right kind; note a type change (or collect it in
    `changed`) or a rejection."""
    if value is None:
        notes.warning("NULL_DROPPED", where, f"null dropped; {fld.label} keeps its default")
        return False
    value_stored, error = stored(fld, value)
    if error:
        notes.warning("VALUE_DROPPED", where, f"{error}; {fld.label} keeps its default")
        return False
    if not same_json(emit(fld, value_stored), value) and changed is not None:
        changed.append(f"{fld.name} {show(value)} -> {show(emit(fld, value_stored))}")
    elif not same_json(emit(fld, value_stored), value):
        notes.info("TYPE_CHANGED", where,
                   f"{show(value)} is written back as {show(emit(fld, value_stored))} ({fld.label} "
                   f"holds a {fld.kind}); the scripts read both the same way")
    values[fld.name] = value_stored
    return True


def fill_item(node_type: str, obj: dict, where: str, notes: Notes,
              ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    """Values of a `node_type` node from `obj` (an item object of a config)."""
    spec = REGISTRY[node_type]
    by_path = _by_path(node_type)
    nested = {p[0] for p in by_path if len(p) > 1}
    values: dict[str, Any] = {}
    for key, value in obj.items():
        if key in nested and key not in ignore and isinstance(value, dict):
            values.update(_gates(spec, key))
    for key, value in obj.items():
        here = f"{where}.{key}"
        if key in ignore:
            continue
        if (key,) in by_path:
            set_value(values, by_path[(key,)], value, here, notes)
        elif key in nested and isinstance(value, dict):
            for sub, sub_value in value.items():
                fld = by_path.get((key, sub))
                if fld is None:
                    notes.warning("KEY_DROPPED", f"{here}.{sub}",
                                  f"{show(sub_value)} has no place in a {spec.title}; dropped")
                else:
                    set_value(values, fld, sub_value, f"{here}.{sub}", notes)
        elif key in nested:
            notes.error("NOT_AN_OBJECT", here, f"expected an object, got {show(value)}; dropped")
        else:
            notes.warning("KEY_DROPPED", here, f"{show(value)} has no place in a {spec.title}; dropped")
    return values


def _gates(spec, key: str) -> dict[str, Any]:
    """A nested object present in the file switches on the unwritten field its fields require
    (a caption's reference_list object -> use_reference_list = True)."""
    gates: dict[str, Any] = {}
    for fld in spec.fields:
        if fld.path[:1] == (key,) and fld.requires is not None and fld.requires[1] is not None:
            other = spec.field(fld.requires[0])
            if not other.path:
                gates[other.name] = fld.requires[1]
    return gates


def unwritten(node_type: str, values: dict[str, Any], script: str) -> list[FieldSpec]:
    """Fields set in `values` that the compiler will not write (wrong script, inactive, empty)."""
    spec = REGISTRY[node_type]
    defaults = node_defaults(node_type, script)
    out = []
    for fld in spec.fields:
        if fld.name not in values or fld.is_key or not fld.path:
            continue
        if (not fld.applies_to(script) or not fld.is_active(values, defaults)
                or (fld.optional and is_empty(values[fld.name]))):
            out.append(fld)
    return out


def note_unwritten(node_type: str, values: dict[str, Any], script: str, where: str, notes: Notes,
                   note_empty: bool = True) -> None:
    """Say which set values will not reach the config, and why (empty optional values only if
    `note_empty`: in a config they were keys, in a workflow they were blank fields)."""
    defaults = node_defaults(node_type, script)
    for fld in unwritten(node_type, values, script):
        if not note_empty and fld.applies_to(script) and fld.is_active(values, defaults):
            continue
        here = f"{where}.{'.'.join(fld.path)}"
        if not fld.applies_to(script):
            why = f"only {', '.join(fld.scripts)} read{'s' if len(fld.scripts) == 1 else ''} it"
        elif not fld.is_active(values, defaults) and fld.requires is not None:
            other, wanted = fld.requires
            why = (f"it applies only when {other} is set" if wanted is None
                   else f"it applies only when {other} is {wanted!r}")
        else:
            why = "an empty value means the script's default"
        notes.warning("VALUE_NOT_WRITTEN", here, f"{show(values[fld.name])} is kept on the node but not "
                      f"written: {why}")
