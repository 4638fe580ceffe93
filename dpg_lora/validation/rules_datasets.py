"""The dataset list and each dataset's own keys: R1-R5, R20, R21, paths (train_longcat.py:805-840)."""
from __future__ import annotations

from dpg_lora.scripts import profile
from dpg_lora.scripts.profiles import LC, QEF, QI, QIE
from dpg_lora.validation import ERROR, WARNING, Finding, rule
from dpg_lora.validation.shape import (
    DATASETS, datasets, ds_path, is_int, is_new_schema, looks_windows, path_basename, short,
)

_FLAT_KEYS = ("image_configs", "target_configs", "caption_configs", "batch_configs")
_MAP_KEYS = ("image_configs", "target_configs", "caption_configs")
RECREATE_FLAGS = ("recreate_cache", "recreate_cache_target", "recreate_cache_reference", "recreate_cache_caption")
TOP_LEVEL_PATHS = ("pretrained_model_name_or_path", "output_dir", "logging_dir", "model_path", "vae_path",
                   "resume_from_checkpoint", "train_data_dir", "config_path")


@rule("dataset_list")
def check_dataset_list(config: dict, script: str):
    if not is_new_schema(script):
        return
    if DATASETS not in config:
        flat = [k for k in _FLAT_KEYS if k in config]
        yield Finding("R1_NO_DATASETS", ERROR, (DATASETS,),
                      "problem.no_datasets_flat" if flat else "problem.no_datasets",
                      {"script": script, "keys": ", ".join(flat)} if flat else {"script": script})
        return
    value = config[DATASETS]
    if not isinstance(value, list) or not value:
        key = ("problem.datasets_null" if value is None else "problem.datasets_empty" if value == []
               else "problem.datasets_type")
        yield Finding("R2_DATASETS_EMPTY", ERROR, (DATASETS,), key, {"type": type(value).__name__})
        return
    for i, ds in enumerate(value):
        if not isinstance(ds, dict):
            yield Finding("R2_DATASET_NOT_OBJECT", ERROR, (DATASETS, i), "problem.dataset_not_object",
                          {"index": i, "value": short(ds)})


@rule("dataset_keys")
def check_dataset_keys(config: dict, script: str):
    if not is_new_schema(script):
        return
    required = profile(script).dataset_required
    for i, ds in datasets(config):
        for key in required:
            if key not in ds:
                yield Finding("R3_DATASET_KEY", ERROR, ds_path(i, key),
                              "problem.dataset_no_recreate_cache" if key == "recreate_cache" else "problem.dataset_key",
                              {"index": i, "key": key})
        for key in _MAP_KEYS:
            if key in ds and not isinstance(ds[key], dict):
                yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, key), "problem.dataset_map_type",
                              {"key": key, "value": short(ds[key])})
        refs = ds.get("reference_configs")
        if refs is not None and not isinstance(refs, dict):
            yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, "reference_configs"), "problem.reference_configs_type",
                          {"value": short(refs)})
        if "batch_configs" in ds and not isinstance(ds["batch_configs"], list):
            yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, "batch_configs"), "problem.batch_configs_type",
                          {"value": short(ds["batch_configs"])})


@rule("dataset_folders")
def check_dataset_folders(config: dict, script: str):
    """R4: a string folder with a non-empty, unique name; no trailing separator."""
    if not is_new_schema(script):
        return
    seen: dict[str, int] = {}
    for i, ds in datasets(config):
        if "train_data_dir" not in ds:
            continue  # reported by dataset_keys
        folder, path = ds["train_data_dir"], ds_path(i, "train_data_dir")
        if not isinstance(folder, str) or not folder.strip():
            yield Finding("R4_DATA_DIR", ERROR, path, "problem.data_dir", {"value": short(folder)})
            continue
        if folder[-1] in "/\\" and folder.rstrip("/\\"):
            yield Finding("R4_TRAILING_SEPARATOR", ERROR, path, "problem.trailing_separator",
                          {"separator": repr(folder[-1])})
            continue
        name = path_basename(folder)
        if name in seen:
            yield Finding("R4_DUPLICATE_NAME", ERROR, path, "problem.duplicate_folder_name",
                          {"name": repr(name), "other": seen[name]})
        else:
            seen[name] = i


def _windows_problem(path: str, dataset: bool) -> str:
    """The problem key of a Windows path (a drive path, a dataset folder, another setting)."""
    if "\\" not in path:
        return "problem.windows_drive_path"
    return "problem.windows_dataset_path" if dataset else "problem.windows_path"


@rule("windows_paths")
def check_windows_paths(config: dict, script: str):
    """A config written on Windows, trained on Linux: backslash and drive paths do not resolve."""
    for key in TOP_LEVEL_PATHS:
        value = config.get(key)
        if isinstance(value, str) and looks_windows(value):
            yield Finding("WINDOWS_PATH", WARNING, (key,), _windows_problem(value, False), {"path": short(value)})
    for i, ds in datasets(config):
        folder = ds.get("train_data_dir")
        if isinstance(folder, str) and looks_windows(folder):
            yield Finding("WINDOWS_PATH", WARNING, ds_path(i, "train_data_dir"),
                          _windows_problem(folder, True), {"path": short(folder)})


@rule("cache_in_place")
def check_cache_in_place(config: dict, script: str):
    """The qwen/klein scripts cache images in place in the top-level train_data_dir."""
    if script == LC or not is_new_schema(script):
        return
    top = config.get("train_data_dir")
    if not isinstance(top, str) or not top.strip():
        return
    def norm(p: str) -> str:
        return p.replace("\\", "/").rstrip("/")
    for i, ds in datasets(config):
        folder = ds.get("train_data_dir")
        if isinstance(folder, str) and folder.strip() and norm(folder) == norm(top):
            yield Finding("CACHE_IN_PLACE", WARNING, ("train_data_dir",), "problem.cache_in_place",
                          {"index": i, "script": script})


@rule("image_configs")
def check_image_configs(config: dict, script: str):
    """R5: named image slots, each an object with string suffix/prefix; suffixes distinct."""
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        images = ds.get("image_configs")
        if not isinstance(images, dict):
            continue  # missing or wrong type: dataset_keys
        if not images:
            yield Finding("R5_NO_IMAGES", ERROR, ds_path(i, "image_configs"), "problem.no_images")
        by_suffix: dict[str, str] = {}
        for key, image in images.items():
            path = ds_path(i, "image_configs", key)
            if not isinstance(image, dict):
                yield Finding("R5_IMAGE_NOT_OBJECT", ERROR, path, "problem.image_not_object",
                              {"key": repr(key), "value": short(image)})
                continue
            for part in ("suffix", "prefix"):
                if part in image and not isinstance(image[part], str):
                    yield Finding("R5_SUFFIX_TYPE", ERROR, path + (part,), "problem.suffix_type",
                                  {"part": part, "value": short(image[part])})
            suffix = image.get("suffix")
            if isinstance(suffix, str) and suffix:
                if suffix in by_suffix:
                    yield Finding("DUPLICATE_SUFFIX", WARNING, path + ("suffix",), "problem.duplicate_suffix",
                                  {"key": repr(key), "suffix": repr(suffix), "other": repr(by_suffix[suffix])})
                else:
                    by_suffix[suffix] = key


@rule("dataset_values")
def check_dataset_values(config: dict, script: str):
    """Types of the dataset's own flags and repeats (R20, R21)."""
    if not is_new_schema(script):
        return
    top_repeats = config.get("repeats")
    if script in (QI, QIE, QEF) and is_int(top_repeats) and top_repeats <= 0:
        yield Finding("R21_REPEATS", ERROR, ("repeats",), "problem.top_repeats",
                      {"script": script, "value": top_repeats})
    for i, ds in datasets(config):
        for flag in RECREATE_FLAGS:
            if flag not in ds or isinstance(ds[flag], bool):
                continue
            value, path = ds[flag], ds_path(i, flag)
            if is_int(value) and value in (0, 1):
                yield Finding("DATASET_TYPE", WARNING, path, "problem.bool_as_int",
                              {"value": value, "written": str(bool(value)).lower()})
            else:
                yield Finding("DATASET_TYPE", ERROR, path, "problem.flag_type",
                              {"value": short(value), "counts_as": "true" if value else "false"})
        if "recreate_cache_reference" in ds and "recreate_cache_caption" not in ds:
            yield Finding("R20_RECREATE_FLAGS", ERROR, ds_path(i, "recreate_cache_reference"),
                          "problem.recreate_caption_missing")
        elif "recreate_cache_caption" in ds and "recreate_cache_reference" not in ds and ds["recreate_cache_caption"]:
            yield Finding("R20_RECREATE_FLAGS", WARNING, ds_path(i, "recreate_cache_caption"),
                          "problem.recreate_caption_ignored")
        if "repeats" in ds:
            repeats = ds["repeats"]
            if not is_int(repeats):
                yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"), "problem.repeats_type",
                              {"value": short(repeats)})
            elif repeats < 1:
                yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"), "problem.repeats_low", {"value": repeats})
        elif script == LC and "repeats" not in config:
            yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"), "problem.longcat_repeats", {"script": LC})
