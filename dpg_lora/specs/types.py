"""Field, pin and node declarations: the vocabulary of the node-spec registry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.scripts.profiles import ALL, ARGS

# Field kinds. Widgets, value checks and the compiler dispatch on these.
INT, FLOAT, BOOL, STR, TEXT, CHOICE, PATH, RESOLUTION, KEY = (
    "int", "float", "bool", "str", "text", "choice", "path", "resolution", "key")

# What a KEY field names, inside the same dataset.
KEY_KINDS = ("image", "target", "caption", "reference")


@dataclass(frozen=True)
class FieldSpec:
    """One editable value on a node.

    `name` is the key in the node's stored values; `path` is where the compiler writes it, inside
    the object the node writes (for the nodes merged into the top level, that is the config
    itself); an empty path means the field steers the node but is not written (e.g. the Script
    Loader's interpreter). `arg` names the trainer argument whose type, default and scripts the
    field takes from the profile table (`arg_field`).
    """

    name: str
    kind: str
    label: str
    default: Any = None
    help: str = ""
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    advanced: bool = False
    scripts: tuple[str, ...] = ALL
    arg: str | None = None  # top-level trainer argument this field writes
    path: tuple[str, ...] = ()
    optional: bool = False  # written only when set (non-empty); the script has a derived default
    required: bool = False  # must be non-empty
    requires: tuple[str, Any] | None = None  # written/shown only when field == value (None: truthy)
    key_kind: str | None = None  # for KEY fields: which dataset keys it names
    is_key: bool = False  # this field is the item's own key (image_configs key, ...)
    placeholder: str = ""
    no_effect: bool = False  # accepted by the scripts but never read (e.g. mask_dropout, vae_path)
    machine: bool = False  # the default may come from this machine's settings (CompileContext)
    inherits: str | None = None  # when empty, written as this top-level argument's value
    folder: bool = False  # a PATH field that names a folder (the editor offers a folder picker)
    section: str = ""  # shown in a folding section of this name (the arguments read from a script)
    choices_from: str = ""  # "scripts": the choices are the context's script names

    def default_for(self, script: str, context: CompileContext = EMPTY_CONTEXT) -> Any:
        """The value shown and written when the user has not set one."""
        if self.machine:
            value = context.machine_default(self.name)
            if value is not None:
                return value
        if self.arg is not None:
            value = context.profiles.default(self.arg, script)
            if self.default is not None:
                return self.default
            if value is None:
                return "" if self.kind in (STR, TEXT, PATH, CHOICE) else value
            if self.kind == FLOAT:
                return float(value)
            return value
        return self.default

    def applies_to(self, script: str) -> bool:
        return script in self.scripts

    def is_active(self, values: dict[str, Any], defaults: dict[str, Any]) -> bool:
        """Whether a `requires` condition on a sibling field holds."""
        if self.requires is None:
            return True
        other, wanted = self.requires
        current = values.get(other, defaults.get(other))
        return bool(current) if wanted is None else current == wanted


@dataclass(frozen=True)
class PinSpec:
    """An input pin. `type` must equal the linked node's output type; `multi` inputs keep order.

    What the linked nodes write: with `writes`, their value goes under that key of this node's
    object (a required pin always writes it, empty when unlinked; an optional one only when
    linked); with `merge`, their objects are merged into this node's (the top-level settings
    nodes into the config). `key_kind` names the dataset keys that the items of the linked list
    define ("image", ...): KEY fields of that kind in the same dataset choose among them.
    """

    name: str
    type: str
    label: str
    multi: bool = False
    required: bool = False
    writes: str | None = None
    merge: bool = False
    key_kind: str | None = None


@dataclass(frozen=True)
class NodeSpec:
    type: str
    title: str
    category: str  # "core", "dataset", "lists", "items", "references"
    fields: tuple[FieldSpec, ...] = ()
    inputs: tuple[PinSpec, ...] = ()
    output: str | None = None  # output pin type; None for the Script Loader
    help: str = ""
    # How the compiler folds this node's linked items into its parent's value:
    #   "map": {key: item}, "map_append": {key: [item, ...]}, "list": [item, ...]
    collect: str | None = None
    freeform: bool = False  # values are arbitrary top-level keys (Extra settings)
    # Written keys in this order, where it differs from the fields' (a Dataset Config writes
    # recreate_cache before repeats, as configs always had it; fields keep the editor's order).
    key_order: tuple[str, ...] = ()
    # Arguments a trainer folder's script has and the built-in table does not get a field on the
    # first node (in registry order) with a name pattern (fnmatch) that fits.
    new_args: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.type} has no field {name!r}")

    def input(self, name: str) -> PinSpec:
        for p in self.inputs:
            if p.name == name:
                return p
        raise KeyError(f"{self.type} has no input {name!r}")

    @property
    def key_field(self) -> FieldSpec | None:
        return next((f for f in self.fields if f.is_key), None)

    @property
    def key_scope(self) -> bool:
        """The items linked into this node define keys that its other items name (a dataset)."""
        return any(p.key_kind for p in self.inputs)

    @property
    def items_pin(self) -> PinSpec:
        """The input a collecting node (list, Ref Group) folds into its value."""
        return self.inputs[0]


_KIND_OF_ARG_TYPE = {"int": INT, "float": FLOAT, "bool": BOOL, "str": STR}


def arg_field(name: str, label: str, help: str = "", *, kind: str | None = None, **extra) -> FieldSpec:
    """A field that writes the trainer argument `name`; type, default and scripts come from the profile."""
    spec = ARGS[name]
    extra.setdefault("scripts", spec.scripts)
    if not spec.read:  # the tooltip says so (specs.texts.field_help adds the note)
        extra.setdefault("no_effect", True)
    return FieldSpec(name=name, kind=kind or _KIND_OF_ARG_TYPE[spec.type], label=label, help=help,
                     arg=name, path=(name,), **extra)
