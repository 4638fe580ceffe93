"""The Kontext script's old layout: O1-O9 (train_flux_lora_ui_kontext_new.py:688-728)."""
from __future__ import annotations

from dpg_lora.scripts.profiles import KTX
from dpg_lora.validation import ERROR, Finding, rule
from dpg_lora.validation.rules_batches import weight_findings
from dpg_lora.validation.shape import obj, short

_REQUIRED = ("train_data_dir", "image_configs", "caption_configs", "training_set")


@rule("old_schema_structure")
def check_old_structure(config: dict, script: str):
    """O1-O3: the top-level dataset keys, image slots and captions."""
    if script != KTX:
        return
    if "dataset_configs" in config and not any(k in config for k in _REQUIRED[1:]):
        yield Finding("O1_NEW_LAYOUT", ERROR, ("dataset_configs",), "problem.old_new_layout", {"script": KTX})
        return
    for key in _REQUIRED:
        if key not in config:
            yield Finding("O1_MISSING_KEY", ERROR, (key,), "problem.old_missing_key", {"script": KTX, "key": key})
    folder = config.get("train_data_dir")
    if "train_data_dir" in config and (not isinstance(folder, str) or not folder.strip()):
        yield Finding("O1_DATA_DIR", ERROR, ("train_data_dir",), "problem.old_data_dir", {"value": short(folder)})
    images = config.get("image_configs")
    if "image_configs" in config:
        if not isinstance(images, dict) or not images:
            yield Finding("O2_IMAGE_CONFIGS", ERROR, ("image_configs",), "problem.old_image_configs",
                          {"value": short(images)})
        else:
            for key, image in images.items():
                if not isinstance(image, dict) or not isinstance(image.get("suffix"), str):
                    yield Finding("O2_IMAGE_SUFFIX", ERROR, ("image_configs", key, "suffix"), "problem.old_image_suffix",
                                  {"key": repr(key)})
    captions = config.get("caption_configs")
    if "caption_configs" in config and not isinstance(captions, dict):
        yield Finding("O3_CAPTION_CONFIGS", ERROR, ("caption_configs",), "problem.old_caption_configs",
                      {"value": short(captions)})
    for key, caption in obj(captions).items():
        if key not in obj(images):
            names = ", ".join(map(repr, obj(images)))
            yield Finding("O3_CAPTION_KEY", ERROR, ("caption_configs", key),
                          "problem.old_caption_key" if names else "problem.old_caption_key_no_images",
                          {"key": repr(key), "images": names})
        if not isinstance(caption, dict) or not isinstance(caption.get("ext"), str):
            yield Finding("O3_CAPTION_EXT", ERROR, ("caption_configs", key, "ext"), "problem.old_caption_ext",
                          {"key": repr(key)})


@rule("old_schema_training_set")
def check_old_training_set(config: dict, script: str):
    """O4-O6 and O9: each training_set item's layouts and caption selection."""
    if script != KTX or "training_set" not in config:
        return
    items = config["training_set"]
    if not isinstance(items, list) or not items:
        yield Finding("O9_TRAINING_SET", ERROR, ("training_set",), "problem.old_training_set", {"value": short(items)})
        return
    images, captions = list(obj(config.get("image_configs"))), list(obj(config.get("caption_configs")))
    for j, item in enumerate(items):
        path = ("training_set", j)
        if not isinstance(item, dict):
            yield Finding("O4_LAYOUT", ERROR, path, "problem.old_item_not_object", {"index": j, "value": short(item)})
            continue
        for layout_key, selection_key, required in (("training_layout_configs", "captions_selection", True),
                                                    ("val_layout_configs", "val_captions_selection", False)):
            if layout_key not in item and not required:
                continue
            layout = item.get(layout_key)
            yield from _layout(layout, path + (layout_key,), images)
            if selection_key in item or required:
                yield from _selection(item.get(selection_key), path + (selection_key,), obj(layout), captions)
    yield from weight_findings(items, ("training_set",))


def _layout(layout, path: tuple, images: list[str]):
    if not isinstance(layout, dict) or not layout:
        yield Finding("O4_LAYOUT", ERROR, path, "problem.old_layout", {"value": short(layout)})
        return
    noised = 0
    for key, slot in layout.items():
        if key not in images:
            yield Finding("O4_LAYOUT", ERROR, path + (key,), "problem.old_slot_key",
                          {"key": repr(key), "images": ", ".join(map(repr, images))})
        if not isinstance(slot, dict):
            yield Finding("O4_LAYOUT", ERROR, path + (key,), "problem.old_slot_not_object", {"key": repr(key)})
            continue
        if "noised" in slot and not isinstance(slot["noised"], bool):
            yield Finding("O4_LAYOUT", ERROR, path + (key, "noised"), "problem.old_noised_type",
                          {"value": short(slot["noised"])})
        noised += slot.get("noised") is True
        if "target" in slot:
            if not isinstance(slot["target"], str) or slot["target"] not in images:
                yield Finding("O4_LAYOUT_TARGET", ERROR, path + (key, "target"), "problem.old_slot_target",
                              {"value": short(slot["target"])})
        elif slot.get("noised") is not True:
            yield Finding("O4_LAYOUT_TARGET", ERROR, path + (key, "target"), "problem.old_reference_slot",
                          {"key": repr(key)})
    if not noised:
        yield Finding("O5_NO_NOISED", ERROR, path, "problem.old_no_noised")


def _selection(selection, path: tuple, layout: dict, captions: list[str]):
    target = selection.get("target") if isinstance(selection, dict) else None
    if not isinstance(target, str) or target not in layout or target not in captions:
        yield Finding("O6_CAPTION_SELECTION", ERROR, path + ("target",), "problem.old_caption_selection",
                      {"value": short(target)})
