"""The registry's texts in the current language: node titles, help, categories, pin labels, and
field labels, help, placeholders and section names.

The English text is the declaration in this package (one source: adding a field stays one
line); `registry_texts` derives the English catalogue areas `node` and `field` from the registry,
and the other languages translate those keys in dpg_lora/i18n/<language>/node.json and field.json.

Keys, derived from the declarations:
- `node.<type>.title`, `node.<type>.help`, `node.category.<category>`;
- a pin label: `node.pin.<pin>` when every input of that name has the same label, else
  `node.<type>.pin.<pin>`;
- a field's `label`, `help`, `placeholder`: `field.<name>.<part>` when every field of that name
  has the same text for the part (an argument's field, the shared key and image fields), else
  `field.<type>.<name>.<part>`;
- `field.section.<slug>` for a folding section, `field.no_effect` for the note on arguments the
  scripts parse but never read.

Fields that are not in the registry (arguments read from a trainer folder's script, with the
script's own argparse help) have no keys: their texts are shown as they are, in English. A key a
catalogue lacks falls back to the English declaration too (tests/core/test_registry_texts.py
checks that the shipped catalogues lack none and hold no dead ones).

Pure: every lookup takes the catalogue to read.
"""
from __future__ import annotations

import dataclasses
from typing import Mapping, Protocol

from dpg_lora.specs import CATEGORY_TITLES, REGISTRY, derived
from dpg_lora.specs.types import FieldSpec, NodeSpec

# The section of the fields built for arguments a trainer folder's scripts add (script_fields.py).
OTHER_SECTION = "Other arguments"
SECTIONS = (OTHER_SECTION,)
NO_EFFECT_NOTE = "Accepted by the scripts but not used by their code."
# What the editor says of a field built for an argument read from a trainer folder's script
# (script_fields.py), after the script's own help.
NEW_IN_FOLDER = "New in {scripts} (read from the trainer folder)."
NEVER_READ = "The script's code never reads it."
SCRIPT_DEFAULT = "the script's default"
_FOLDER_TEXTS = {"field.folder.new_in": NEW_IN_FOLDER, "field.folder.never_read": NEVER_READ,
                 "field.folder.script_default": SCRIPT_DEFAULT}
FIELD_PARTS = ("label", "help", "placeholder")


class TextSource(Protocol):
    """What the lookups read: a catalogue's key -> text mapping (dpg_lora.i18n.Catalogue)."""
    texts: Mapping[str, str]


def section_key(title: str) -> str:
    return "field.section." + title.lower().replace(" ", "_")


def _part(fld: FieldSpec, part: str) -> str:
    return getattr(fld, part)


@derived
def _field_keys() -> dict[tuple[str, str], tuple[FieldSpec, dict[str, str]]]:
    """(node type, field name) -> (the declared field, part -> key) for every non-empty part."""
    texts: dict[tuple[str, str], set[str]] = {}
    for spec in REGISTRY.values():
        for fld in spec.fields:
            for part in FIELD_PARTS:
                if _part(fld, part):
                    texts.setdefault((fld.name, part), set()).add(_part(fld, part))
    out: dict[tuple[str, str], tuple[FieldSpec, dict[str, str]]] = {}
    for spec in REGISTRY.values():
        for fld in spec.fields:
            keys = {}
            for part in FIELD_PARTS:
                if _part(fld, part):
                    shared = len(texts[(fld.name, part)]) == 1
                    keys[part] = (f"field.{fld.name}.{part}" if shared
                                  else f"field.{spec.type}.{fld.name}.{part}")
            out[(spec.type, fld.name)] = (fld, keys)
    return out


@derived
def _pin_keys() -> dict[tuple[str, str], str]:
    labels: dict[str, set[str]] = {}
    for spec in REGISTRY.values():
        for pin in spec.inputs:
            labels.setdefault(pin.name, set()).add(pin.label)
    return {(spec.type, pin.name): (f"node.pin.{pin.name}" if len(labels[pin.name]) == 1
                                    else f"node.{spec.type}.pin.{pin.name}")
            for spec in REGISTRY.values() for pin in spec.inputs}


def field_key(node_type: str, fld: FieldSpec, part: str) -> str | None:
    """The catalogue key of a field's text, or None (an empty part, a field not in the registry)."""
    hit = _field_keys().get((node_type, fld.name))
    if hit is None or hit[0] is not fld:
        return None
    return hit[1].get(part)


def registry_texts() -> dict[str, dict[str, str]]:
    """The English `node.json` and `field.json` areas, derived from the registry."""
    node: dict[str, str] = {}
    field: dict[str, str] = {}
    for category in CATEGORY_TITLES:
        node[f"node.category.{category}"] = CATEGORY_TITLES[category]
    pins = _pin_keys()
    for spec in REGISTRY.values():
        node[f"node.{spec.type}.title"] = spec.title
        if spec.help:
            node[f"node.{spec.type}.help"] = spec.help
        for pin in spec.inputs:
            node[pins[(spec.type, pin.name)]] = pin.label
    for (_, _), (fld, keys) in _field_keys().items():
        for part, key in keys.items():
            field[key] = _part(fld, part)
    sections = dict.fromkeys(SECTIONS + tuple(f.section for s in REGISTRY.values() for f in s.fields if f.section))
    for title in sections:
        field[section_key(title)] = title
    field["field.no_effect"] = NO_EFFECT_NOTE
    field.update(_FOLDER_TEXTS)
    return {"node.json": node, "field.json": field}


def _get(catalogue: TextSource, key: str | None, english: str) -> str:
    if key is None:
        return english
    return catalogue.texts.get(key) or english


def node_title(node_type: str, catalogue: TextSource) -> str:
    spec = REGISTRY[node_type]
    return _get(catalogue, f"node.{spec.type}.title", spec.title)


def node_help(node_type: str, catalogue: TextSource) -> str:
    spec = REGISTRY[node_type]
    return _get(catalogue, f"node.{spec.type}.help", spec.help) if spec.help else ""


def category_title(category: str, catalogue: TextSource) -> str:
    return _get(catalogue, f"node.category.{category}", CATEGORY_TITLES.get(category, category))


def pin_label(spec: NodeSpec, pin_name: str, catalogue: TextSource) -> str:
    pin = spec.input(pin_name)
    return _get(catalogue, _pin_keys().get((spec.type, pin_name)), pin.label)


def field_label(node_type: str, fld: FieldSpec, catalogue: TextSource) -> str:
    return _get(catalogue, field_key(node_type, fld, "label"), fld.label)


def field_placeholder(node_type: str, fld: FieldSpec, catalogue: TextSource) -> str:
    if fld.placeholder == SCRIPT_DEFAULT and field_key(node_type, fld, "placeholder") is None:
        return _get(catalogue, "field.folder.script_default", SCRIPT_DEFAULT)
    return _get(catalogue, field_key(node_type, fld, "placeholder"), fld.placeholder)


def field_help(node_type: str, fld: FieldSpec, catalogue: TextSource) -> str:
    """The help, with the note for an argument the scripts never read. A field read from a
    trainer folder's script keeps the script's own help as it is and gets where it comes from."""
    hit = _field_keys().get((node_type, fld.name))
    if hit is not None and hit[0] is fld:
        words = [_get(catalogue, hit[1].get("help"), fld.help)]
        if fld.no_effect:
            words.append(_get(catalogue, "field.no_effect", NO_EFFECT_NOTE))
    else:
        words = [fld.help]
        if fld.section == OTHER_SECTION:
            new_in = _get(catalogue, "field.folder.new_in", NEW_IN_FOLDER)
            words.append(new_in.format(scripts=", ".join(fld.scripts)))
            if fld.no_effect:
                words.append(_get(catalogue, "field.folder.never_read", NEVER_READ))
    return " ".join(w for w in words if w)


def section_title(title: str, catalogue: TextSource) -> str:
    return _get(catalogue, section_key(title), title)


def localised_field(node_type: str, fld: FieldSpec, catalogue: TextSource) -> FieldSpec:
    """The field as a node view shows it: label, help (with the no-effect note) and placeholder
    in the catalogue's language; everything else as declared."""
    return dataclasses.replace(fld, label=field_label(node_type, fld, catalogue),
                               help=field_help(node_type, fld, catalogue),
                               placeholder=field_placeholder(node_type, fld, catalogue))


__all__ = ["FIELD_PARTS", "NEVER_READ", "NEW_IN_FOLDER", "NO_EFFECT_NOTE", "OTHER_SECTION", "SCRIPT_DEFAULT",
           "category_title", "field_help", "field_key", "field_label", "field_placeholder", "localised_field",
           "node_help", "node_title", "pin_label", "registry_texts", "section_key", "section_title"]
