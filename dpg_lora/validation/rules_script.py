"""What one script does differently with the same config: R13, ignored settings, unknown keys,
and the `script`/`config_path` keys (the JSON merge: train_longcat.py:606-639)."""
from __future__ import annotations

import difflib

from dpg_lora.scripts import ARGS, SCRIPTS
from dpg_lora.scripts.profiles import LC
from dpg_lora.validation import ERROR, INFO, WARNING, Finding, rule
from dpg_lora.validation.shape import DATASETS, captions, datasets, ds_path, obj, short

# Keys that belong to the other schema; harmless where they are not read, except as null.
NEW_SCHEMA_KEYS = (DATASETS,)
OLD_SCHEMA_KEYS = ("image_configs", "caption_configs", "training_set")
FLAT_KEYS = ("target_configs", "reference_configs", "batch_configs")
# Top-level keys LC reads through args.<name> fallbacks although it has no such option.
LC_FALLBACKS = ("train_data_dir", "repeats")
# Keys other tools write that no script reads, with what to use instead.
KNOWN_MISTAKES = {"resume_from": "resume_from_checkpoint"}  # the key -> the script's name for it


@rule("longcat_reference_list")
def check_longcat_reference_list(config: dict, script: str, profiles):
    """R13: LC passes processor=None to the encoder, which crashes as soon as an image is fed."""
    if profiles.profile(script).reference_list != "crashes":
        return
    for i, ds in datasets(config):
        groups = obj(ds.get("reference_configs"))
        for key, caption in captions(ds):
            ref_list = caption.get("reference_list")
            if not isinstance(ref_list, dict):
                continue
            name = ref_list.get("reference_config")
            if isinstance(name, str) and groups.get(name):  # the group exists and has entries
                yield Finding("R13_LONGCAT_REFERENCE_LIST", ERROR, ds_path(i, "caption_configs", key, "reference_list"),
                              "problem.longcat_reference_list", {"script": LC, "key": repr(key)})


@rule("ignored_caption_settings")
def check_ignored_caption_settings(config: dict, script: str, profiles):
    prof = profiles.profile(script)
    if prof.schema != "new":
        return
    for i, ds in datasets(config):
        for key, caption in captions(ds):
            path = ds_path(i, "caption_configs", key)
            if "instruction" in caption and not prof.reads_instruction:
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("instruction",), "problem.ignored_instruction",
                              {"script": script})
            if "reference_list" not in caption:
                continue
            if prof.reference_list == "ignored":
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_list",), "problem.ignored_reference_list",
                              {"script": script})
            elif prof.reference_list == "key_only":
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_list",), "problem.reference_list_key_only",
                              {"script": script})


@rule("unknown_keys")
def check_unknown_keys(config: dict, script: str, profiles):
    new = profiles.profile(script).schema == "new"
    own = set(NEW_SCHEMA_KEYS if new else OLD_SCHEMA_KEYS)
    from_folder = profiles.from_folder(script)
    for key in config:
        if key in own or key in ("script", "config_path") or not isinstance(key, str):
            continue
        if from_folder and profiles.has(script, key):
            continue  # the script in the trainer folder has this option
        if any(key in args for args in profiles.args.values()) and key not in ARGS:
            users = ", ".join(s for s in profiles.order if profiles.has(s, key))
            yield Finding("NOT_READ_BY_SCRIPT", WARNING, (key,), "problem.not_read_by_script",
                          {"script": script, "key": repr(key), "users": users})
            continue
        spec = ARGS.get(key)
        if spec is not None:
            if script not in spec.scripts and not (script == LC and key in LC_FALLBACKS):
                users = ", ".join(SCRIPTS[s].short for s in spec.scripts)
                # a value left at its default loses nothing; a value the user set is silently dropped
                unset = config[key] in (spec.default, "", False, None)
                yield Finding("NOT_READ_BY_SCRIPT", INFO if unset else WARNING, (key,), "problem.not_read_by_script",
                              {"script": script, "key": repr(key), "users": users})
            continue
        if key in OLD_SCHEMA_KEYS + NEW_SCHEMA_KEYS + FLAT_KEYS:
            if not (new and DATASETS not in config):  # the flat layout is reported by R1
                inside = new and key not in OLD_SCHEMA_KEYS
                yield Finding("OTHER_SCHEMA_KEY", INFO, (key,),
                              "problem.key_inside_datasets" if inside else "problem.key_other_layout",
                              {"script": script, "key": repr(key)})
            continue
        if key in KNOWN_MISTAKES:
            yield Finding("UNKNOWN_KEY", WARNING, (key,), "problem.unknown_key_use",
                          {"key": repr(key), "name": KNOWN_MISTAKES[key]})
            continue
        close = difflib.get_close_matches(key, list(ARGS), n=1, cutoff=0.8)
        yield Finding("UNKNOWN_KEY", WARNING, (key,), "problem.unknown_key_close" if close else "problem.unknown_key",
                      {"key": repr(key), "name": repr(close[0]) if close else ""})


@rule("script_keys")
def check_script_keys(config: dict, script: str):
    """`config_path` in the JSON replaces the real path and is copied at every save (train_longcat.py:1492)."""
    if "config_path" in config:
        yield Finding("CONFIG_PATH_KEY", WARNING, ("config_path",), "problem.config_path_key",
                      {"value": short(config["config_path"])})
    if "script" in config:
        named = config["script"]
        if not isinstance(named, str) or named not in SCRIPTS:
            close = difflib.get_close_matches(named, list(SCRIPTS), n=1) if isinstance(named, str) else []
            yield Finding("SCRIPT_KEY", WARNING, ("script",),
                          "problem.script_key_close" if close else "problem.script_key_unknown",
                          {"value": short(named), "name": close[0] if close else ""})
        elif named != script:
            yield Finding("SCRIPT_KEY", WARNING, ("script",), "problem.script_key_other",
                          {"named": named, "script": script})
