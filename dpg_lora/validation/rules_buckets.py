"""R14: resolution and every resize must be a bucket of the chosen script (the tables at
utils/image_utils_longcat.py:37, utils/image_utils_qwenimage.py:36, utils/image_utils_flux2klein.py:31)."""
from __future__ import annotations

from dpg_lora.scripts import profile
from dpg_lora.validation import ERROR, Finding, rule
from dpg_lora.validation.shape import ENTRY_SECTIONS, captions, datasets, ds_path, entries, is_new_schema


def _bucket_problem(value, buckets) -> tuple[str, dict] | None:
    not_whole = "problem.bucket_not_whole", {"value": repr(value)}
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return not_whole
    if isinstance(value, float) and not value.is_integer():
        return not_whole  # int() would silently truncate it
    try:
        size = int(value)
    except (TypeError, ValueError):
        return not_whole
    if size not in buckets:
        return "problem.bucket_size", {"value": size, "buckets": ", ".join(map(str, buckets))}
    return None


@rule("buckets")
def check_buckets(config: dict, script: str):
    prof = profile(script)
    places = []
    if "resolution" in config and config["resolution"] is not None:
        places.append((("resolution",), config["resolution"]))
    if is_new_schema(script):
        reads_list_resize = prof.reference_list not in ("ignored", "key_only")
        for i, ds in datasets(config):
            if "resolution" in ds:
                places.append((ds_path(i, "resolution"), ds["resolution"]))
            for section in ENTRY_SECTIONS:
                for key, j, entry in entries(ds, section):
                    if isinstance(entry, dict) and "resize" in entry:
                        places.append((ds_path(i, section, key, j, "resize"), entry["resize"]))
            for key, caption in captions(ds):
                ref_list = caption.get("reference_list")
                if reads_list_resize and isinstance(ref_list, dict) and "resize" in ref_list:
                    places.append((ds_path(i, "caption_configs", key, "reference_list", "resize"),
                                   ref_list["resize"]))
    for path, value in places:
        problem = _bucket_problem(value, prof.buckets)
        if problem:
            yield Finding("R14_BUCKET", ERROR, path, *problem)
