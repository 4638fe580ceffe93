"""Names that point at other names inside a dataset: R6-R12, R15-R17 and entry shapes (as
utils/training_set/select_training_set.py and the caching loop read them)."""
from __future__ import annotations

from dpg_lora.scripts import profile
from dpg_lora.validation import ERROR, INFO, WARNING, Finding, rule
from dpg_lora.validation.shape import (
    ENTRY_SECTIONS, datasets, ds_path, is_int, is_new_schema, obj, short,
)

SAMPLE_TYPES = ("from_same_name", "from_subdir")


def _names(ds: dict, section: str) -> list[str]:
    return list(obj(ds.get(section)))


def _unknown(name, known: list[str], what: str) -> str:
    choices = ", ".join(repr(k) for k in known) or "none are defined"
    return f"{short(name)} is not a {what} of this dataset ({choices})"


@rule("entry_lists")
def check_entry_lists(config: dict, script: str):
    """Target and reference groups: lists of entry objects; targets never empty (R22)."""
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        for section in ENTRY_SECTIONS:
            for key, items in obj(ds.get(section)).items():
                path = ds_path(i, section, key)
                if not isinstance(items, list):
                    yield Finding("ENTRY_LIST_TYPE", ERROR, path,
                                  f"{section} {key!r} must be a list of entries like [{{\"image\": \"train\"}}], "
                                  f"not {short(items)}")
                elif not items and section == "target_configs":
                    yield Finding("R22_EMPTY_TARGET", ERROR, path,
                                  f"target {key!r} has no entries; stacking an empty target list fails at "
                                  "the first step")
                for j, entry in enumerate(items if isinstance(items, list) else []):
                    if not isinstance(entry, dict):
                        yield Finding("ENTRY_NOT_OBJECT", ERROR, path + (j,),
                                      f"entry {j} of {key!r} must be an object with an image, not {short(entry)}")


@rule("entry_images")
def check_entry_images(config: dict, script: str):
    """R6/R7/R8 and sample_type for every target/reference entry."""
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        images = _names(ds, "image_configs")
        for section in ENTRY_SECTIONS:
            kind = section.split("_")[0]
            for key, items in obj(ds.get(section)).items():
                for j, entry in enumerate(items if isinstance(items, list) else []):
                    if isinstance(entry, dict):
                        yield from _entry(entry, ds_path(i, section, key, j), f"{kind} {key!r}", images)


def _entry(entry: dict, path: tuple, owner: str, images: list[str]):
    if "image" not in entry:
        yield Finding("R6_ENTRY_IMAGE", ERROR, path + ("image",),
                      f"an entry of {owner} has no image (AssertionError while caching); name an image key")
    elif entry["image"] not in images or not isinstance(entry["image"], str):
        yield Finding("R6_ENTRY_IMAGE", ERROR, path + ("image",),
                      _unknown(entry["image"], images, "image key") + " (KeyError while caching)")
    sample_type = entry.get("sample_type", "from_same_name")
    if sample_type not in SAMPLE_TYPES:
        yield Finding("SAMPLE_TYPE", ERROR, path + ("sample_type",),
                      f"sample_type {short(sample_type)} matches no branch, so this entry silently adds no "
                      "image; use from_same_name or from_subdir")
        return
    if "from_image" in entry and sample_type == "from_same_name":
        source = entry["from_image"]
        if not isinstance(source, str) or source not in images:
            yield Finding("R7_FROM_IMAGE", ERROR, path + ("from_image",),
                          _unknown(source, images, "image key") + " (KeyError while caching)")
    if sample_type == "from_subdir":
        if "suffix" not in entry:
            yield Finding("R8_SUBDIR_SUFFIX", ERROR, path + ("suffix",),
                          "from_subdir needs a suffix (a pattern matched in sibling file names); "
                          "AssertionError while caching")
        elif not isinstance(entry["suffix"], str):
            yield Finding("R8_SUBDIR_SUFFIX", ERROR, path + ("suffix",),
                          f"suffix {short(entry['suffix'])} must be a string")
        count = entry.get("count", 1)
        if not is_int(count):
            yield Finding("R8_SUBDIR_COUNT", ERROR, path + ("count",),
                          f"count {short(count)} must be a JSON integer (TypeError while caching)")
        elif count <= 0:
            yield Finding("R8_SUBDIR_COUNT", WARNING, path + ("count",),
                          f"count {count} takes no sibling images; use 1 or more")


@rule("caption_configs")
def check_caption_configs(config: dict, script: str):
    """R10-R12: caption objects name an image and an ext; reference_list names a group."""
    if not is_new_schema(script):
        return
    uses_reference_list = profile(script).reference_list != "ignored"
    for i, ds in datasets(config):
        images = _names(ds, "image_configs")
        groups = _names(ds, "reference_configs")
        for key, caption in obj(ds.get("caption_configs")).items():
            path = ds_path(i, "caption_configs", key)
            if not isinstance(caption, dict):
                yield Finding("R10_CAPTION", ERROR, path,
                              f"caption {key!r} must be an object with image and ext, not {short(caption)}")
                continue
            if "image" not in caption:
                yield Finding("R10_CAPTION_IMAGE", ERROR, path + ("image",),
                              f"caption {key!r} has no image (KeyError while caching); name the image whose "
                              "caption file it reads")
            elif not isinstance(caption["image"], str) or caption["image"] not in images:
                yield Finding("R10_CAPTION_IMAGE", ERROR, path + ("image",),
                              _unknown(caption["image"], images, "image key") + " (KeyError while caching)")
            if "ext" not in caption:
                yield Finding("R10_CAPTION_EXT", ERROR, path + ("ext",),
                              f"caption {key!r} has no ext (KeyError while caching); add \"ext\": \".txt\"")
            elif not isinstance(caption["ext"], str):
                yield Finding("R10_CAPTION_EXT", ERROR, path + ("ext",),
                              f"ext {short(caption['ext'])} must be a string such as \".txt\"")
            elif caption["ext"] and not caption["ext"].startswith("."):
                yield Finding("CAPTION_EXT_NO_DOT", INFO, path + ("ext",),
                              f"ext is appended as it is: {caption['ext']!r} reads <stem>{caption['ext']}; "
                              f"write .{caption['ext']} if you meant the extension")
            if "reference_list" not in caption or not uses_reference_list:
                continue
            ref_list = caption["reference_list"]
            if not isinstance(ref_list, dict):
                yield Finding("R11_REFERENCE_LIST", ERROR, path + ("reference_list",),
                              f"reference_list must be an object with reference_config, not {short(ref_list)}")
            elif "reference_config" not in ref_list:
                yield Finding("R11_REFERENCE_LIST", ERROR, path + ("reference_list", "reference_config"),
                              "reference_list has no reference_config (KeyError while caching); name a "
                              "reference group")
            elif ref_list["reference_config"] not in groups or not isinstance(ref_list["reference_config"], str):
                yield Finding("R12_REFERENCE_LIST_GROUP", WARNING, path + ("reference_list", "reference_config"),
                              _unknown(ref_list["reference_config"], groups, "reference group")
                              + "; the trainer only prints a warning and encodes the caption without images")


@rule("batch_names")
def check_batch_names(config: dict, script: str):
    """R15-R17: each batch names a target, a caption and optionally a reference group."""
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        batches = ds.get("batch_configs")
        for j, batch in enumerate(batches if isinstance(batches, list) else []):
            path = ds_path(i, "batch_configs", j)
            if not isinstance(batch, dict):
                yield Finding("BATCH_NOT_OBJECT", ERROR, path,
                              f"batch {j} must be an object with target_config and caption_config, "
                              f"not {short(batch)}")
                continue
            for field, section, code, what in (
                    ("target_config", "target_configs", "R15_BATCH_TARGET", "target"),
                    ("caption_config", "caption_configs", "R16_BATCH_CAPTION", "caption")):
                known = _names(ds, section)
                if field not in batch:
                    yield Finding(code, ERROR, path + (field,),
                                  f"batch {j} has no {field} (KeyError at the first training step); "
                                  f"name a {what} ({', '.join(map(repr, known)) or 'none are defined'})")
                elif not isinstance(batch[field], str) or batch[field] not in known:
                    yield Finding(code, ERROR, path + (field,),
                                  _unknown(batch[field], known, what) + " (KeyError at the first training step, "
                                  "after all caching)")
            if "reference_config" in batch:
                groups = _names(ds, "reference_configs")
                name = batch["reference_config"]
                if not isinstance(name, str) or name not in groups:
                    yield Finding("R17_BATCH_REFERENCE", ERROR, path + ("reference_config",),
                                  _unknown(name, groups, "reference group") + " (KeyError at the first "
                                  "training step, after all caching)")
