"""Names that point at keys their dataset does not define (keys are per dataset)."""
from __future__ import annotations

from typing import Any, Iterator

from dpg_lora.importers.fields import jpath


def _keys(ds: dict, part: str) -> set[str]:
    value = ds.get(part)
    return set(value) if isinstance(value, dict) else set()


def _objects(value: Any) -> Iterator[tuple[Any, dict]]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, obj in items:
        if isinstance(obj, dict):
            yield key, obj


def dangling_references(datasets: Any) -> list[tuple[str, str]]:
    """(JSON path, message) for each reference to an undefined key."""
    if not isinstance(datasets, list):
        return []
    found: list[tuple[str, str]] = []
    known = [{part: _keys(ds, part) for part in ("image_configs", "target_configs", "reference_configs",
                                                   "caption_configs")} if isinstance(ds, dict) else {}
             for ds in datasets]

    def check(i: int, path: tuple, name: Any, part: str, what: str) -> None:
        if not isinstance(name, str) or name in known[i].get(part, ()):
            return
        elsewhere = [j for j, k in enumerate(known) if j != i and name in k.get(part, ())]
        hint = (f"; only dataset {', '.join(map(str, elsewhere))} defines it, and keys do not cross datasets"
                if elsewhere else "")
        found.append((jpath("dataset_configs", i, *path), f"{what} {name!r} is not defined in this dataset's "
                                                          f"{part}{hint}"))

    for i, ds in enumerate(datasets):
        if not isinstance(ds, dict):
            continue
        for part in ("target_configs", "reference_configs"):
            part_value = ds.get(part)
            for key, entries in part_value.items() if isinstance(part_value, dict) else ():
                for j, entry in _objects(entries):
                    for ref in ("image", "from_image"):
                        if ref in entry:
                            check(i, (part, key, j, ref), entry[ref], "image_configs", "image")
        for key, cap in _objects(ds.get("caption_configs")):
            check(i, ("caption_configs", key, "image"), cap.get("image"), "image_configs", "image")
            ref_list = cap.get("reference_list")
            if isinstance(ref_list, dict):
                check(i, ("caption_configs", key, "reference_list", "reference_config"),
                      ref_list.get("reference_config"), "reference_configs", "reference group")
        for j, batch in _objects(ds.get("batch_configs")):
            check(i, ("batch_configs", j, "target_config"), batch.get("target_config"), "target_configs", "target")
            check(i, ("batch_configs", j, "caption_config"), batch.get("caption_config"), "caption_configs",
                  "caption")
            if "reference_config" in batch:
                check(i, ("batch_configs", j, "reference_config"), batch.get("reference_config"),
                      "reference_configs", "reference group")
    return found
