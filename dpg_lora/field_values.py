"""What a field shows and writes: the user's value or its default, converted as the config holds it.

One source of defaults for the compiler, the editor's widgets and the importers.
"""
from __future__ import annotations

from typing import Any

from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.types import BOOL, FLOAT, INT, KEY, RESOLUTION, FieldSpec, NodeSpec


def effective_value(fld: FieldSpec, values: dict[str, Any], script: str,
                    context: CompileContext = EMPTY_CONTEXT) -> Any:
    """The value a field shows and writes: the user's, or the default for `script` on this machine."""
    if fld.name in values:
        return values[fld.name]
    return fld.default_for(script, context)


def sole_key(fld: FieldSpec, values: dict[str, Any], keys: list[str]) -> str | None:
    """The key an unset KEY field names when its dataset defines exactly one key of its kind.

    Only for fields that must name a key (not `optional` ones, whose empty value means "none")
    and that the user has not set (a value kept in the file, even "", is theirs):
    a Batch Item in a dataset with one target and one caption key needs no choice. The compiler
    decides it (CompileResult.sole_keys) and the editor shows that decision.
    """
    if fld.kind != KEY or fld.optional or fld.name in values or len(keys) != 1:
        return None
    return keys[0]


def node_defaults(node_type: str, script: str, context: CompileContext = EMPTY_CONTEXT) -> dict[str, Any]:
    """Every field's default of a node type for `script`. Do not mutate the returned dict."""
    spec = REGISTRY[node_type]
    if context.profiles.from_folder(script):  # the folder's script: its own defaults and new fields
        base = _folder_defaults(node_type, script, context.profiles)
    else:
        hit = _SCRIPT_DEFAULTS.get((node_type, script))
        if hit is None or hit[0] is not spec:  # a declaration replaced at run time is not served stale
            hit = _SCRIPT_DEFAULTS[(node_type, script)] = (spec, {f.name: f.default_for(script) for f in spec.fields})
        base = hit[1]
    machine = {f.name: value for f in spec.fields
               if f.machine and (value := context.machine_default(f.name)) is not None}
    return {**base, **machine} if machine else base


_SCRIPT_DEFAULTS: dict[tuple[str, str], tuple[NodeSpec, dict[str, Any]]] = {}


def _folder_defaults(node_type: str, script: str, profiles) -> dict[str, Any]:
    from dpg_lora.script_fields import fields_of

    memo = profiles.memo.setdefault("defaults", {})
    if (node_type, script) not in memo:
        only = CompileContext(profiles=profiles)
        memo[(node_type, script)] = {f.name: f.default_for(script, only)
                                     for f in fields_of(REGISTRY[node_type], only)}
    return memo[(node_type, script)]


def emit(fld: FieldSpec, value: Any) -> Any:
    """The JSON value written for a stored field value."""
    if fld.kind == INT:
        return int(value)
    if fld.kind == FLOAT:
        return float(value)
    if fld.kind == BOOL:
        return bool(value)
    if fld.kind == RESOLUTION:
        return str(value)
    return value


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")
