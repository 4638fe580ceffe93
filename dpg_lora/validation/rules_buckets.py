"""R14: resolution and every resize must be a bucket of the chosen script (§2.8)."""
from __future__ import annotations

from dpg_lora.scripts import profile
from dpg_lora.validation import ERROR, Finding, rule


def _bucket_problem(value, buckets) -> str | None:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a whole number"
    if size not in buckets:
        return f"{size} is not a bucket size of this script ({', '.join(map(str, buckets))})"
    return None


@rule("buckets")
def check_buckets(config: dict, script: str):
    buckets = profile(script).buckets
    places = []
    if "resolution" in config:
        places.append((("resolution",), config["resolution"]))
    for i, ds in enumerate(config.get("dataset_configs") or []):
        if not isinstance(ds, dict):
            continue
        if "resolution" in ds:
            places.append((("dataset_configs", i, "resolution"), ds["resolution"]))
        for section in ("target_configs", "reference_configs"):
            for key, entries in (ds.get(section) or {}).items():
                for j, entry in enumerate(entries if isinstance(entries, list) else []):
                    if isinstance(entry, dict) and "resize" in entry:
                        places.append((("dataset_configs", i, section, key, j, "resize"), entry["resize"]))
        for key, caption in (ds.get("caption_configs") or {}).items():
            ref_list = caption.get("reference_list") if isinstance(caption, dict) else None
            if isinstance(ref_list, dict) and "resize" in ref_list:
                places.append((("dataset_configs", i, "caption_configs", key, "reference_list", "resize"),
                               ref_list["resize"]))
    for path, value in places:
        problem = _bucket_problem(value, buckets)
        if problem:
            yield Finding("R14_BUCKET", ERROR, path, f"{problem}; the trainer fails while caching")
