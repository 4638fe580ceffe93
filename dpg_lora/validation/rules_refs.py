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


# What a name must be, -> the problem's text key when some are defined and when none are.
_UNKNOWN = {
    "image_key": ("problem.unknown_image_key", "problem.unknown_image_key_none"),
    "target": ("problem.unknown_target", "problem.unknown_target_none"),
    "caption": ("problem.unknown_caption", "problem.unknown_caption_none"),
    "reference_group": ("problem.unknown_reference_group", "problem.unknown_reference_group_none"),
    "reference_list_group": ("problem.unknown_reference_list_group", "problem.unknown_reference_list_group_none"),
}
_NO_ENTRY_IMAGE = {"target_configs": "problem.entry_no_image_target",
                   "reference_configs": "problem.entry_no_image_reference"}


def _unknown(name, known: list[str], what: str) -> tuple[str, dict[str, str]]:
    """`name` is not one of `known` (a `what` of _UNKNOWN): the problem's text key and params."""
    some, none = _UNKNOWN[what]
    return some if known else none, {"value": short(name), "choices": ", ".join(repr(k) for k in known)}


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
                    yield Finding("ENTRY_LIST_TYPE", ERROR, path, "problem.entry_list_type",
                                  {"section": section, "key": repr(key), "value": short(items)})
                elif not items and section == "target_configs":
                    yield Finding("R22_EMPTY_TARGET", ERROR, path, "problem.empty_target", {"key": repr(key)})
                for j, entry in enumerate(items if isinstance(items, list) else []):
                    if not isinstance(entry, dict):
                        yield Finding("ENTRY_NOT_OBJECT", ERROR, path + (j,), "problem.entry_not_object",
                                      {"index": j, "key": repr(key), "value": short(entry)})


@rule("entry_images")
def check_entry_images(config: dict, script: str):
    """R6/R7/R8 and sample_type for every target/reference entry."""
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        images = _names(ds, "image_configs")
        for section in ENTRY_SECTIONS:
            owner = _NO_ENTRY_IMAGE[section]
            for key, items in obj(ds.get(section)).items():
                for j, entry in enumerate(items if isinstance(items, list) else []):
                    if isinstance(entry, dict):
                        yield from _entry(entry, ds_path(i, section, key, j), owner, repr(key), images)


def _entry(entry: dict, path: tuple, no_image_key: str, group: str, images: list[str]):
    if "image" not in entry:
        yield Finding("R6_ENTRY_IMAGE", ERROR, path + ("image",), no_image_key, {"group": group})
    elif entry["image"] not in images or not isinstance(entry["image"], str):
        yield Finding("R6_ENTRY_IMAGE", ERROR, path + ("image",), *_unknown(entry["image"], images, "image_key"))
    sample_type = entry.get("sample_type", "from_same_name")
    if sample_type not in SAMPLE_TYPES:
        yield Finding("SAMPLE_TYPE", ERROR, path + ("sample_type",), "problem.sample_type",
                      {"value": short(sample_type)})
        return
    if "from_image" in entry and sample_type == "from_same_name":
        source = entry["from_image"]
        if not isinstance(source, str) or source not in images:
            yield Finding("R7_FROM_IMAGE", ERROR, path + ("from_image",), *_unknown(source, images, "image_key"))
    if sample_type == "from_subdir":
        if "suffix" not in entry:
            yield Finding("R8_SUBDIR_SUFFIX", ERROR, path + ("suffix",), "problem.subdir_no_suffix")
        elif not isinstance(entry["suffix"], str):
            yield Finding("R8_SUBDIR_SUFFIX", ERROR, path + ("suffix",), "problem.subdir_suffix_type",
                          {"value": short(entry["suffix"])})
        count = entry.get("count", 1)
        if not is_int(count):
            yield Finding("R8_SUBDIR_COUNT", ERROR, path + ("count",), "problem.subdir_count_type",
                          {"value": short(count)})
        elif count <= 0:
            yield Finding("R8_SUBDIR_COUNT", WARNING, path + ("count",), "problem.subdir_count_low", {"value": count})


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
                yield Finding("R10_CAPTION", ERROR, path, "problem.caption_not_object",
                              {"key": repr(key), "value": short(caption)})
                continue
            if "image" not in caption:
                yield Finding("R10_CAPTION_IMAGE", ERROR, path + ("image",), "problem.caption_no_image",
                              {"key": repr(key)})
            elif not isinstance(caption["image"], str) or caption["image"] not in images:
                yield Finding("R10_CAPTION_IMAGE", ERROR, path + ("image",),
                              *_unknown(caption["image"], images, "image_key"))
            if "ext" not in caption:
                yield Finding("R10_CAPTION_EXT", ERROR, path + ("ext",), "problem.caption_no_ext", {"key": repr(key)})
            elif not isinstance(caption["ext"], str):
                yield Finding("R10_CAPTION_EXT", ERROR, path + ("ext",), "problem.caption_ext_type",
                              {"value": short(caption["ext"])})
            elif caption["ext"] and not caption["ext"].startswith("."):
                yield Finding("CAPTION_EXT_NO_DOT", INFO, path + ("ext",), "problem.caption_ext_no_dot",
                              {"quoted": repr(caption["ext"]), "ext": caption["ext"]})
            if "reference_list" not in caption or not uses_reference_list:
                continue
            ref_list = caption["reference_list"]
            if not isinstance(ref_list, dict):
                yield Finding("R11_REFERENCE_LIST", ERROR, path + ("reference_list",), "problem.reference_list_type",
                              {"value": short(ref_list)})
            elif "reference_config" not in ref_list:
                yield Finding("R11_REFERENCE_LIST", ERROR, path + ("reference_list", "reference_config"),
                              "problem.reference_list_no_group")
            elif ref_list["reference_config"] not in groups or not isinstance(ref_list["reference_config"], str):
                yield Finding("R12_REFERENCE_LIST_GROUP", WARNING, path + ("reference_list", "reference_config"),
                              *_unknown(ref_list["reference_config"], groups, "reference_list_group"))


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
                yield Finding("BATCH_NOT_OBJECT", ERROR, path, "problem.batch_not_object",
                              {"index": j, "value": short(batch)})
                continue
            for field, section, code, what, missing in (
                    ("target_config", "target_configs", "R15_BATCH_TARGET", "target",
                     ("problem.batch_no_target", "problem.batch_no_target_none")),
                    ("caption_config", "caption_configs", "R16_BATCH_CAPTION", "caption",
                     ("problem.batch_no_caption", "problem.batch_no_caption_none"))):
                known = _names(ds, section)
                if field not in batch:
                    yield Finding(code, ERROR, path + (field,), missing[0] if known else missing[1],
                                  {"index": j, "choices": ", ".join(map(repr, known))})
                elif not isinstance(batch[field], str) or batch[field] not in known:
                    yield Finding(code, ERROR, path + (field,), *_unknown(batch[field], known, what))
            if "reference_config" in batch:
                groups = _names(ds, "reference_configs")
                name = batch["reference_config"]
                if not isinstance(name, str) or name not in groups:
                    yield Finding("R17_BATCH_REFERENCE", ERROR, path + ("reference_config",),
                                  *_unknown(name, groups, "reference_group"))
