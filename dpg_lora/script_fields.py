"""Fields for the arguments a trainer folder's scripts have and the built-in table does not.

The registry declares where new arguments go (`NodeSpec.new_args` name patterns); this module
turns a ProfileSet's extra arguments into FieldSpecs written like the declared ones, and answers,
for any field, whether the chosen script has it and which choices it offers. Built once per
ProfileSet (which is immutable) and kept in its memo.
"""
from __future__ import annotations

import fnmatch
from typing import Any

from dpg_lora.compile_context import CompileContext
from dpg_lora.scripts.layered import ProfileSet, ScriptArg
from dpg_lora.scripts.profiles import NEW_SCHEMA, SCRIPTS
from dpg_lora.specs import REGISTRY, top_level_fields
from dpg_lora.specs.texts import OTHER_SECTION, SCRIPT_DEFAULT
from dpg_lora.specs.types import BOOL, CHOICE, FLOAT, INT, STR, FieldSpec, NodeSpec

__all__ = ["OTHER_SECTION", "dynamic_fields", "field_applies", "field_choices", "field_named", "fields_of",
           "removed_from_script", "top_level_fields_for", "unfielded"]
_KINDS = {"int": INT, "float": FLOAT, "bool": BOOL, "str": STR}


def fields_of(spec: NodeSpec, context: CompileContext) -> tuple[FieldSpec, ...]:
    """The node type's declared fields, then the fields of the folder's new arguments it hosts."""
    extra = dynamic_fields(context.profiles).get(spec.type)
    return spec.fields + extra if extra else spec.fields


def top_level_fields_for(context: CompileContext) -> dict[str, tuple[str, FieldSpec]]:
    """Top-level config key -> (node type, field) that writes it: the declared fields, then the
    fields of the folder's new arguments (what an importer places a config's keys on)."""
    out = dict(top_level_fields())
    for node_type, fields in dynamic_fields(context.profiles).items():
        for fld in fields:
            if len(fld.path) == 1:
                out.setdefault(fld.path[0], (node_type, fld))
    return out


def field_named(spec: NodeSpec, name: str, context: CompileContext) -> FieldSpec:
    """A declared or folder-built field of the node type; KeyError when neither has `name`."""
    for fld in fields_of(spec, context):
        if fld.name == name:
            return fld
    raise KeyError(f"{spec.title} has no field {name!r}")


def field_applies(fld: FieldSpec, script: str, context: CompileContext) -> bool:
    """Whether `script` accepts the field: a read script's own argument list decides for arguments."""
    if fld.arg is not None and context.profiles.from_folder(script):
        return context.profiles.has(script, fld.arg)
    if script not in SCRIPTS and context.profiles.knows(script):
        # a script read from the folder: the dataset keys every new-schema script reads apply
        return set(NEW_SCHEMA) <= set(fld.scripts)
    return fld.applies_to(script)


def field_choices(fld: FieldSpec, context: CompileContext) -> tuple[Any, ...]:
    if fld.choices_from == "scripts":
        return context.profiles.order
    return fld.choices


def removed_from_script(fld: FieldSpec, script: str, context: CompileContext) -> bool:
    """A built-in argument of `script` that the folder's copy of the script no longer has."""
    return (fld.arg is not None and fld.applies_to(script) and context.profiles.from_folder(script)
            and not context.profiles.has(script, fld.arg))


def dynamic_fields(profiles: ProfileSet) -> dict[str, tuple[FieldSpec, ...]]:
    """Node type -> the fields of new arguments it hosts (empty for the built-in table)."""
    memo = profiles.memo
    if "fields" not in memo:
        memo["fields"] = _build(profiles)
    return memo["fields"]


def _host(name: str) -> NodeSpec | None:
    for spec in REGISTRY.values():
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in spec.new_args):
            return spec
    return None


def _build(profiles: ProfileSet) -> dict[str, tuple[FieldSpec, ...]]:
    out: dict[str, list[FieldSpec]] = {}
    for name, scripts in profiles.extra_args.items():
        first = profiles.arg(scripts[0], name)
        host = _host(name)
        if first is None or host is None:
            continue
        fld = _field(first, scripts)
        if fld is None or any(f.name == name for f in host.fields):
            continue
        out.setdefault(host.type, []).append(fld)
    return {node_type: tuple(fields) for node_type, fields in out.items()}


def unfielded(profiles: ProfileSet, script: str) -> list[tuple[str, str]]:
    """New arguments of `script` that get no field, with why (set them with Extra Settings)."""
    made = {f.arg for fields in dynamic_fields(profiles).values() for f in fields}
    out = []
    for name, scripts in profiles.extra_args.items():
        arg = profiles.arg(script, name)
        if script in scripts and name not in made and arg is not None:  # listed for `script`: it has it
            out.append((name, _why_no_field(arg)))
    return out


def _why_no_field(arg: ScriptArg) -> str:
    if arg.type == "list":
        return "it takes several values"
    if not arg.default_known:
        return "its default is computed at run time"
    return "it fits no node"


def _field(arg: ScriptArg, scripts: tuple[str, ...]) -> FieldSpec | None:
    if arg.type not in _KINDS or any(n.startswith("positional") for n in arg.notes):
        return None
    kind = CHOICE if arg.choices and arg.type == "str" else _KINDS[arg.type]
    unknown = not arg.default_known or arg.default is None
    if unknown and kind not in (STR, INT, FLOAT):
        return None
    # the script's own help and the reader's notes, as they are; specs.texts.field_help adds where
    # the argument comes from and whether it is read, in the editor's language
    words = [arg.help] if arg.help else []
    words += [n[0].upper() + n[1:] + "." for n in arg.notes]
    return FieldSpec(name=arg.name, kind=kind, label=arg.name.replace("_", " ").capitalize(),
                     help=" ".join(words), choices=tuple(arg.choices), scripts=scripts, arg=arg.name,
                     path=(arg.name,), optional=unknown, no_effect=arg.read is False,
                     placeholder=SCRIPT_DEFAULT if unknown else "", section=OTHER_SECTION)
