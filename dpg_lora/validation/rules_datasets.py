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
        hint = (f"; this looks like the flat layout ({', '.join(flat)} at the top level): move them into "
                "one entry of a dataset_configs list") if flat else ""
        yield Finding("R1_NO_DATASETS", ERROR, (DATASETS,),
                      f"{script} reads dataset_configs directly and stops with KeyError without it{hint}")
        return
    value = config[DATASETS]
    if not isinstance(value, list) or not value:
        what = "null" if value is None else "empty" if value == [] else f"a {type(value).__name__}"
        yield Finding("R2_DATASETS_EMPTY", ERROR, (DATASETS,),
                      f"dataset_configs is {what}: caching is skipped and the trainer reuses a previous "
                      "run's dataset file or fails with FileNotFoundError; add at least one dataset object")
        return
    for i, ds in enumerate(value):
        if not isinstance(ds, dict):
            yield Finding("R2_DATASET_NOT_OBJECT", ERROR, (DATASETS, i),
                          f"dataset {i} is {short(ds)}, not an object with train_data_dir, image_configs, ...")


@rule("dataset_keys")
def check_dataset_keys(config: dict, script: str):
    if not is_new_schema(script):
        return
    required = profile(script).dataset_required
    for i, ds in datasets(config):
        for key in required:
            if key not in ds:
                why = (" (the qwen scripts read it directly; false keeps the cache)"
                       if key == "recreate_cache" else "")
                yield Finding("R3_DATASET_KEY", ERROR, ds_path(i, key),
                              f"dataset {i} has no {key!r}: KeyError{why}; add it")
        for key in _MAP_KEYS:
            if key in ds and not isinstance(ds[key], dict):
                yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, key),
                              f"{key} must be an object of named entries, not {short(ds[key])}")
        refs = ds.get("reference_configs")
        if refs is not None and not isinstance(refs, dict):
            yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, "reference_configs"),
                          f"reference_configs must be an object of named groups, not {short(refs)}")
        if "batch_configs" in ds and not isinstance(ds["batch_configs"], list):
            yield Finding("R3_DATASET_TYPE", ERROR, ds_path(i, "batch_configs"),
                          f"batch_configs must be a list of batch objects, not {short(ds['batch_configs'])}")


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
            yield Finding("R4_DATA_DIR", ERROR, path,
                          f"train_data_dir {short(folder)} is not a folder path; the dataset has no name "
                          "and the batch lookup fails")
            continue
        if folder[-1] in "/\\" and folder.rstrip("/\\"):
            yield Finding("R4_TRAILING_SEPARATOR", ERROR, path,
                          f"remove the trailing {folder[-1]!r}: the dataset name becomes empty and the cache "
                          "folder is created inside the dataset, whose cached images the next run trains on")
            continue
        name = path_basename(folder)
        if name in seen:
            yield Finding("R4_DUPLICATE_NAME", ERROR, path,
                          f"folder name {name!r} is also dataset {seen[name]}'s; training looks batch configs "
                          f"up by folder name, so this dataset silently uses dataset {seen[name]}'s; "
                          "rename one folder")
        else:
            seen[name] = i


def _windows_problem(path: str, dataset: bool) -> str:
    if "\\" not in path:
        return f"{short(path)} is a Windows drive path; it exists only on that machine"
    if dataset:
        return (f"{short(path)} is a Windows path; on Linux basename/dirname do not split at backslashes, so "
                "the dataset name is the whole path and the cache lands in the working directory")
    return f"{short(path)} is a Windows path; on Linux backslashes are part of the name"


@rule("windows_paths")
def check_windows_paths(config: dict, script: str):
    """A config written on Windows, trained on Linux: backslash and drive paths do not resolve."""
    advice = "; use the path on the training machine, with forward slashes"
    for key in TOP_LEVEL_PATHS:
        value = config.get(key)
        if isinstance(value, str) and looks_windows(value):
            yield Finding("WINDOWS_PATH", WARNING, (key,), _windows_problem(value, False) + advice)
    for i, ds in datasets(config):
        folder = ds.get("train_data_dir")
        if isinstance(folder, str) and looks_windows(folder):
            yield Finding("WINDOWS_PATH", WARNING, ds_path(i, "train_data_dir"),
                          _windows_problem(folder, True) + advice)


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
            yield Finding("CACHE_IN_PLACE", WARNING, ("train_data_dir",),
                          f"the top-level train_data_dir is dataset {i}'s folder: {script} writes cache "
                          "images next to images directly in it and trains on them next run; clear the "
                          "top-level train_data_dir or keep images in sub-folders")


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
            yield Finding("R5_NO_IMAGES", ERROR, ds_path(i, "image_configs"),
                          "image_configs is empty: there is no base image (KeyError); add at least one image key")
        by_suffix: dict[str, str] = {}
        for key, image in images.items():
            path = ds_path(i, "image_configs", key)
            if not isinstance(image, dict):
                yield Finding("R5_IMAGE_NOT_OBJECT", ERROR, path,
                              f"image {key!r} must be an object like {{\"suffix\": \"_T\"}}, not {short(image)}")
                continue
            for part in ("suffix", "prefix"):
                if part in image and not isinstance(image[part], str):
                    yield Finding("R5_SUFFIX_TYPE", ERROR, path + (part,),
                                  f"{part} {short(image[part])} must be a string (TypeError while scanning)")
            suffix = image.get("suffix")
            if isinstance(suffix, str) and suffix:
                if suffix in by_suffix:
                    yield Finding("DUPLICATE_SUFFIX", WARNING, path + ("suffix",),
                                  f"image {key!r} has the same suffix {suffix!r} as {by_suffix[suffix]!r}, so "
                                  "both read the same files; give each image its own suffix")
                else:
                    by_suffix[suffix] = key


@rule("dataset_values")
def check_dataset_values(config: dict, script: str):
    """Types of the dataset's own flags and repeats (R20, R21)."""
    if not is_new_schema(script):
        return
    top_repeats = config.get("repeats")
    if script in (QI, QIE, QEF) and is_int(top_repeats) and top_repeats <= 0:
        yield Finding("R21_REPEATS", ERROR, ("repeats",),
                      f"{script} multiplies every dataset by the top-level repeats {top_repeats}, leaving "
                      "nothing to train on; use 1 or more")
    for i, ds in datasets(config):
        for flag in RECREATE_FLAGS:
            if flag not in ds or isinstance(ds[flag], bool):
                continue
            value, path = ds[flag], ds_path(i, flag)
            if is_int(value) and value in (0, 1):
                yield Finding("DATASET_TYPE", WARNING, path,
                              f"{value} works only by truthiness; write {str(bool(value)).lower()}")
            else:
                yield Finding("DATASET_TYPE", ERROR, path,
                              f"{short(value)} must be true or false; a string or other value counts as "
                              f"{'true' if value else 'false'}")
        if "recreate_cache_reference" in ds and "recreate_cache_caption" not in ds:
            yield Finding("R20_RECREATE_FLAGS", ERROR, ds_path(i, "recreate_cache_reference"),
                          "with recreate_cache_reference present the trainer also reads recreate_cache_caption "
                          "and fails with KeyError; add \"recreate_cache_caption\": false")
        elif "recreate_cache_caption" in ds and "recreate_cache_reference" not in ds and ds["recreate_cache_caption"]:
            yield Finding("R20_RECREATE_FLAGS", WARNING, ds_path(i, "recreate_cache_caption"),
                          "recreate_cache_caption is read only when recreate_cache_reference is present, so it "
                          "is ignored; add \"recreate_cache_reference\": false")
        if "repeats" in ds:
            repeats = ds["repeats"]
            if not is_int(repeats):
                yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"),
                              f"repeats {short(repeats)} must be a JSON integer (the sample list is multiplied "
                              "by it: TypeError)")
            elif repeats < 1:
                yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"),
                              f"repeats {repeats} empties this dataset; use 1 or more")
        elif script == LC and "repeats" not in config:
            yield Finding("R21_REPEATS", ERROR, ds_path(i, "repeats"),
                          f"{LC} has no --repeats option, so a dataset without repeats fails with "
                          "AttributeError; add \"repeats\": 1")
