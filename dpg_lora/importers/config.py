"""A T2ITrainer training config (dict) -> a readable graph and a list of notes.

The promise: compiling the imported graph gives back every key and value of the config with
the same JSON types. Keys the config lacked appear only with the script's default. Where that
cannot hold (a null, a dataset key no script reads, a nested value of another type, the
`script` and `config_path` keys that our compiler keeps out of the JSON), a note says so.
"""
from __future__ import annotations

import difflib
from typing import Any

from dpg_lora.builder import GraphBuilder
from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.graph import Graph
from dpg_lora.importers.datasets import DatasetImporter, dataset_list_type, section_keys
from dpg_lora.importers.fields import fits, jpath, json_type, show, stored
from dpg_lora.importers.notes import INFO, NotAnObjectError, NotJSONError, Notes
from dpg_lora.importers.notes import WARNING as WARN
from dpg_lora.importers.refcheck import dangling_references
from dpg_lora.jsonfile import find_problem
from dpg_lora.validation.script_guess import guess_script
from dpg_lora.validation.shape import has_old_layout
from dpg_lora.scripts import ARGS, DEFAULT_SCRIPT, SCRIPTS
from dpg_lora.scripts.profiles import KTX
from dpg_lora.script_fields import field_applies, top_level_fields_for
from dpg_lora.specs import REGISTRY, merged_pins, root_type

OLD_SCHEMA_KEYS = ("image_configs", "caption_configs", "training_set")
LOADER_KEYS = ("script", "config_path")


def detect_schema(config: dict) -> str:
    """"new" (dataset_configs), "flat" (new-schema parts at the top level) or "old" (KTX)."""
    if "dataset_configs" in config:
        return "new"
    if has_old_layout(config):
        return "old"
    if any(k in config for k in section_keys()):
        return "flat"
    return "new"


def choose_script(config: dict, schema: str, explicit: str | None, notes: Notes) -> str:
    """--script, else the file's `script` key, else the schema's usual script; each choice noted."""
    named = config.get("script")
    fallback = KTX if schema == "old" else DEFAULT_SCRIPT
    from_file = None
    if "script" in config:
        if isinstance(named, str) and named in SCRIPTS:
            from_file = named
        elif isinstance(named, str):
            close = difflib.get_close_matches(named, list(SCRIPTS), n=1, cutoff=0.85)
            from_file = close[0] if close else None
            notes.warning("UNKNOWN_SCRIPT", "script",
                          f"{named!r} is not a trainer script (running it fails); "
                          + (f"read as {from_file}" if from_file else f"using {fallback}"))
        elif named is not None:
            notes.error("VALUE_DROPPED", "script", f"expected a script name, got {show(named)}")
    if explicit:
        if explicit not in SCRIPTS:
            notes.error("UNKNOWN_SCRIPT", "--script", f"{explicit!r} is not a trainer script; ignored")
        else:
            if isinstance(named, str) and named != explicit:
                notes.info("SCRIPT_OVERRIDDEN", "script", f"the file names {named!r}; --script {explicit} wins")
            return explicit
    if from_file:
        return from_file
    if "script" not in config:
        guess = guess_script(config)
        if guess.script:
            notes.info("SCRIPT_INFERRED", "script", f"the file names no script; its keys fit only {guess.script}")
            return guess.script
        fits = f"its keys fit {', '.join(guess.candidates)}; " if len(guess.candidates) > 1 else ""
        notes.info("SCRIPT_ASSUMED", "script", f"the file names no script; {fits}assuming {fallback} "
                   "(pick another on the Script Loader; defaults and checks follow it)")
    return fallback


def note_nulls(config: dict, notes: Notes) -> None:
    """A null stops the scripts' config merge: every later key is ignored by the trainer."""
    keys = list(config)
    nulls = [i for i, k in enumerate(keys) if config[k] is None]
    if not nulls:
        return
    first = nulls[0]
    later = [k for k in keys[first + 1:] if k != "dataset_configs"]
    effect = (f"the trainer ignored the {len(later)} later key{'s' if len(later) != 1 else ''} and used its "
              f"own defaults for them: {', '.join(later)}" if later else "no later key was affected")
    notes.warning("NULL_TRUNCATES", keys[first],
                  f"null stops the scripts' config merge (TypeError, printed as 'Could not load config "
                  f"file'); {effect}. Dropped here; the later values are imported as written")
    for i in nulls[1:]:
        notes.warning("NULL_DROPPED", keys[i], "null dropped (it would also stop the merge)")


class ConfigImporter:
    def __init__(self, config: dict, script: str | None, name: str, context: CompileContext = EMPTY_CONTEXT):
        self.config, self.notes, self.context = config, Notes(), context
        self.fields = top_level_fields_for(context)  # a trainer folder's new arguments have fields too
        self.schema = detect_schema(config)
        self.script = choose_script(config, self.schema, script, self.notes)
        self.b = GraphBuilder(name, "Imported training config")
        self.extra: dict[str, Any] = {}
        self.node_of_type: dict[str, str] = {}

    def run(self) -> tuple[Graph, Notes]:
        config, b = self.config, self.b
        note_nulls(config, self.notes)
        loader = {"script": self.script}
        path = config.get("config_path")
        if isinstance(path, str):
            loader["config_path"] = path
            self.notes.info("CONFIG_PATH", "config_path", f"{path!r} is now the Script Loader's config path; "
                            "it is not written into the JSON (inside it, it overrides --config_path and is "
                            "copied at every checkpoint save)")
        elif "config_path" in config and path is not None:
            self.notes.error("VALUE_DROPPED", "config_path", f"expected a path, got {show(path)}")
        if "script" in config and isinstance(config["script"], str):
            self.notes.info("SCRIPT_KEY", "script", f"sets the Script Loader ({self.script}); not written into "
                            "the JSON (no script reads it)")
        self.loader = b.add(root_type(), root_type(), **loader)
        for pin, node_type in merged_pins():
            if not REGISTRY[node_type].freeform:
                self.node_of_type[node_type] = b.add_into(self.loader, pin.name, node_type)
        for key, value in config.items():
            self.top_key(key, value)
        self.datasets()
        if self.extra:
            pin, node_type = next((p, t) for p, t in merged_pins() if REGISTRY[t].freeform)
            b.add_into(self.loader, pin.name, node_type, node_type, **self.extra)
        for where, message in dangling_references(self.dataset_list_for_check()):
            self.notes.warning("DANGLING_REFERENCE", where, message)
        return b.build(), self.notes

    # ------------------------------------------------------------ top level
    def top_key(self, key: str, value: Any) -> None:
        if key in LOADER_KEYS or value is None or key == "dataset_configs":
            return
        if self.schema == "flat" and key in section_keys():
            return
        if self.schema == "old" and key in OLD_SCHEMA_KEYS:
            self.keep(key, value, "OLD_SCHEMA_KEY", WARN, "old-schema key (train_flux_lora_ui_kontext_new.py) "
                      "with no nodes yet; kept as it is in Extra settings")
            return
        owner = self.fields.get(key)
        if owner is None:
            if key in ARGS or self.context.profiles.has(self.script, key):
                self.keep(key, value, "NO_FIELD", INFO, "a trainer argument with no field on any node; kept "
                          "in Extra settings")
            elif key in OLD_SCHEMA_KEYS:
                self.keep(key, value, "OLD_SCHEMA_KEY", WARN, "old-schema key, ignored by dataset_configs "
                          "scripts; kept in Extra settings")
            else:
                self.keep(key, value, "UNKNOWN_KEY", WARN, "no trainer script defines this argument (a typo?); "
                          "kept in Extra settings, the scripts copy it onto args unread")
            return
        node_type, fld = owner
        if not field_applies(fld, self.script, self.context):
            self.keep(key, value, "NOT_FOR_SCRIPT", INFO, f"{self.script} has no --{key}; kept in Extra "
                      "settings (the scripts copy JSON keys onto args anyway)")
            return
        if not fits(fld, value):
            expected = {"int": "integer", "float": "number with a decimal point", "bool": "boolean"}.get(
                fld.kind, "string")
            harmless = fld.kind == "float" and json_type(value) == "integer"
            self.keep(key, value, "TYPE_MISMATCH", INFO if harmless else WARN,
                      f"{show(value)} is a JSON {json_type(value)} but "
                      f"{fld.label} holds a {expected}; the scripts keep the JSON type ({_effect(fld.kind, value)}). "
                      "Kept as it is in Extra settings, which overrides the field")
            return
        self.b.graph.node(self.node_of_type[node_type]).values[fld.name] = stored(fld, value)[0]

    def keep(self, key: str, value: Any, code: str, severity: str, message: str) -> None:
        self.extra[key] = value
        self.notes.add(severity, code, key, message)

    # ------------------------------------------------------------ datasets
    def datasets(self) -> None:
        if self.schema == "old":
            self.notes.warning("OLD_SCHEMA", "", "old-schema config (image_configs + caption_configs + "
                               "training_set, for train_flux_lora_ui_kontext_new.py): its arguments are on the "
                               "nodes, its dataset keys in Extra settings; the compiler also writes an empty "
                               "dataset_configs")
            return
        importer = DatasetImporter(self.b, self.notes, self.script, self.config)
        ds_pin = next(p for p in REGISTRY[root_type()].inputs if p.writes == "dataset_configs")
        ds_list = self.b.add_into(self.loader, ds_pin.name, dataset_list_type())
        if self.schema == "flat":
            self.notes.warning("FLAT_LAYOUT", "", "no dataset_configs (the scripts raise KeyError): the "
                               "top-level " + ", ".join(k for k in section_keys() if k in self.config)
                               + " became one dataset, its train_data_dir taken from the top level")
            importer.add(self.flat_dataset(), ds_list, "dataset_configs[0]")
            return
        datasets = self.config.get("dataset_configs")
        if "dataset_configs" not in self.config:
            self.notes.error("NO_DATASETS", "dataset_configs", "missing (the scripts raise KeyError); "
                             "add a Dataset Config")
            return
        if not isinstance(datasets, list):
            self.notes.error("NOT_A_LIST", "dataset_configs", f"expected a list of datasets, got "
                             f"{show(datasets)}; dropped")
            return
        if not datasets:
            self.notes.warning("NO_DATASETS", "dataset_configs", "empty: the scripts skip caching and reuse "
                               "a previous run's dataset file (or fail)")
        for i, ds in enumerate(datasets):
            where = jpath("dataset_configs", i)
            if not isinstance(ds, dict):
                self.notes.error("NOT_AN_OBJECT", where, f"expected a dataset object, got {show(ds)}; dropped")
                continue
            importer.add(ds, ds_list, where)  # Windows paths and the like: the validator flags them

    def flat_dataset(self) -> dict[str, Any]:
        ds: dict[str, Any] = {}
        if isinstance(self.config.get("train_data_dir"), str):
            ds["train_data_dir"] = self.config["train_data_dir"]
        ds.update({k: self.config[k] for k in section_keys() if k in self.config})
        return ds

    def dataset_list_for_check(self) -> Any:
        if self.schema == "flat":
            return [self.flat_dataset()]
        return self.config.get("dataset_configs") if self.schema == "new" else None



def _effect(kind: str, value: Any) -> str:
    if kind == "bool" and isinstance(value, str):
        return "a non-empty string is true, even \"false\"" if value else "an empty string is false"
    if kind == "int" and isinstance(value, float):
        return "a float breaks range() and slicing"
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return "harmless: Python takes an int where a float is expected"
    if kind == "resolution":
        return "int() reads it the same"
    return "it reaches the trainer unconverted"


def import_config(config: Any, script: str | None = None, name: str = "",
                  context: CompileContext = EMPTY_CONTEXT) -> tuple[Graph, Notes]:
    """Graph and notes for a parsed training config, its keys placed on the fields `context`'s
    scripts give (a trainer folder's new arguments too); raises NotAnObjectError for a non-object."""
    if not isinstance(config, dict):
        raise NotAnObjectError(f"a training config is a JSON object, not {json_type(config)}")
    problem = find_problem(config)  # a file's are refused on reading; this is data from memory
    if problem:
        raise NotJSONError(": ".join(p for p in (name, *problem) if p))
    return ConfigImporter(config, script, name, context).run()
