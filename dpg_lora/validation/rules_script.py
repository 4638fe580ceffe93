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
KNOWN_MISTAKES = {"resume_from": "resume_from_checkpoint (the script's name for it)"}


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
                              f"{LC} crashes (AttributeError, processor=None) when a caption's reference_list "
                              f"feeds images; remove the reference list from caption {key!r} or train with "
                              "train_longcat_edit.py")


@rule("ignored_caption_settings")
def check_ignored_caption_settings(config: dict, script: str, profiles):
    prof = profiles.profile(script)
    if prof.schema != "new":
        return
    for i, ds in datasets(config):
        for key, caption in captions(ds):
            path = ds_path(i, "caption_configs", key)
            if "instruction" in caption and not prof.reads_instruction:
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("instruction",),
                              f"{script} ignores instruction (only the qwen scripts read it)")
            if "reference_list" not in caption:
                continue
            if prof.reference_list == "ignored":
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_list",),
                              f"{script} ignores reference_list; the caption is encoded without reference images")
            elif prof.reference_list == "key_only":
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_list",),
                              f"{script} reads only reference_list.reference_config and never feeds its images "
                              "to the text encoder")


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
            yield Finding("NOT_READ_BY_SCRIPT", WARNING, (key,),
                          f"{script} has no {key!r} option and ignores it (read by {users})")
            continue
        spec = ARGS.get(key)
        if spec is not None:
            if script not in spec.scripts and not (script == LC and key in LC_FALLBACKS):
                users = ", ".join(SCRIPTS[s].short for s in spec.scripts)
                # a value left at its default loses nothing; a value the user set is silently dropped
                unset = config[key] in (spec.default, "", False, None)
                yield Finding("NOT_READ_BY_SCRIPT", INFO if unset else WARNING, (key,),
                              f"{script} has no {key!r} option and ignores it (read by {users})")
            continue
        if key in OLD_SCHEMA_KEYS + NEW_SCHEMA_KEYS + FLAT_KEYS:
            if not (new and DATASETS not in config):  # the flat layout is reported by R1
                where = ("inside each dataset_configs entry" if new and key not in OLD_SCHEMA_KEYS
                         else "in the other config layout")
                yield Finding("OTHER_SCHEMA_KEY", INFO, (key,),
                              f"{script} does not read a top-level {key!r}; it belongs {where}")
            continue
        if key in KNOWN_MISTAKES:
            hint = f"; use {KNOWN_MISTAKES[key]}"
        else:
            close = difflib.get_close_matches(key, list(ARGS), n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]!r}?" if close else ""
        yield Finding("UNKNOWN_KEY", WARNING, (key,),
                      f"no trainer script has a {key!r} setting, so it does nothing{hint}")


@rule("script_keys")
def check_script_keys(config: dict, script: str):
    """`config_path` in the JSON replaces the real path and is copied at every save (train_longcat.py:1492)."""
    if "config_path" in config:
        yield Finding("CONFIG_PATH_KEY", WARNING, ("config_path",),
                      f"config_path {short(config['config_path'])} overrides --config_path, and every checkpoint "
                      "save copies that file (FileNotFoundError if it is not there relative to the trainer "
                      "directory); remove the key")
    if "script" in config:
        named = config["script"]
        if not isinstance(named, str) or named not in SCRIPTS:
            close = difflib.get_close_matches(named, list(SCRIPTS), n=1) if isinstance(named, str) else []
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield Finding("SCRIPT_KEY", WARNING, ("script",),
                          f"script {short(named)} is not a trainer script{hint}; the trainer ignores this key, "
                          "but tools and readers take it for the script to run")
        elif named != script:
            yield Finding("SCRIPT_KEY", WARNING, ("script",),
                          f"the config says it is for {named} but it is checked for {script}; the trainer "
                          "ignores the key, so make sure the right script runs it")
