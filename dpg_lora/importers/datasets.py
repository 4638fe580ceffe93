"""dataset_configs entries -> Dataset Config nodes with their lists and items."""
from __future__ import annotations

from typing import Any

from dpg_lora.builder import GraphBuilder
from dpg_lora.importers.fields import show
from dpg_lora.importers.items import fill_item, note_unwritten, set_value
from dpg_lora.importers.notes import Notes
from dpg_lora.scripts import profile
from dpg_lora.scripts.profiles import F2K
from dpg_lora.specs import REGISTRY

DATASET_FIELDS = tuple(f.name for f in REGISTRY["dataset_config"].fields)
# (config key, Dataset Config input, list node type, item node type)
PARTS = (
    ("image_configs", "images", "image_list", "image_item"),
    ("target_configs", "targets", "target_list", "target_item"),
    ("reference_configs", "references", "reference_list", "ref_group"),
    ("caption_configs", "captions", "caption_list", "caption_item"),
    ("batch_configs", "batches", "batch_list", "batch_item"),
)
PART_KEYS = tuple(p[0] for p in PARTS)
REQUIRED_PARTS = ("image_configs", "target_configs", "caption_configs", "batch_configs")


class DatasetImporter:
    def __init__(self, builder: GraphBuilder, notes: Notes, script: str, top: dict[str, Any]):
        self.b, self.notes, self.script, self.top = builder, notes, script, top

    def add(self, ds: dict[str, Any], list_id: str, where: str) -> str:
        """One dataset object -> a Dataset Config linked into `list_id`."""
        spec = REGISTRY["dataset_config"]
        values: dict[str, Any] = {}
        for key, value in ds.items():
            here = f"{where}.{key}"
            if key in PART_KEYS:
                continue
            if key in DATASET_FIELDS:
                set_value(values, spec.field(key), value, here, self.notes)
            else:
                self.notes.warning("DATASET_KEY_DROPPED", here,
                                   f"{show(value)}: dataset key {key!r} is not read by the scripts; dropped")
        self._fill_gaps(ds, values, where)
        ds_id = self.b.add_into(list_id, "datasets", "dataset_config", **values)
        for key, pin, list_type, item_type in PARTS:
            if key not in ds:
                if key in REQUIRED_PARTS:
                    self.notes.error("MISSING_PART", where, f"{key} is missing (the scripts raise KeyError); "
                                     f"written as empty until you add a {REGISTRY[list_type].title}")
                continue
            part = ds[key]
            here = f"{where}.{key}"
            want = list if key == "batch_configs" else dict
            if not isinstance(part, want):
                self.notes.error("NOT_" + ("A_LIST" if want is list else "AN_OBJECT"), here,
                                 f"expected {'a list' if want is list else 'an object'}, got {show(part)}; "
                                 "its items are dropped")
                part = want()
            lst = self.b.add_into(ds_id, pin, list_type)
            getattr(self, "_" + key)(part, lst, here)
        return ds_id

    def _fill_gaps(self, ds: dict, values: dict, where: str) -> None:
        """Dataset keys the compiler always writes: say what it writes where the file had none."""
        if "train_data_dir" not in values:
            self.notes.error("NO_TRAIN_DATA_DIR", where, "train_data_dir is missing; the scripts need it to "
                             "name the dataset (KeyError at the first step); set it on the Dataset Config")
        if "repeats" not in ds:
            top = self.top.get("repeats")
            if isinstance(top, int) and not isinstance(top, bool):
                values["repeats"] = top
                self.notes.info("REPEATS_FROM_TOP", where, f"repeats was missing, so the scripts used the "
                                f"top-level repeats ({top}); it is now written on the dataset")
        if "recreate_cache" not in ds and "recreate_cache" in profile(self.script).dataset_required:
            self.notes.warning("RECREATE_CACHE_ADDED", where, f"recreate_cache was missing ({self.script} raises "
                               "KeyError); written as false")
        if "recreate_cache_reference" in ds and "recreate_cache_caption" not in ds:
            self.notes.warning("RECREATE_CAPTION_ADDED", where, "recreate_cache_reference without "
                               "recreate_cache_caption raises KeyError in the scripts; both are written now")

    # ------------------------------------------------------------ the five parts
    def _image_configs(self, part: dict, lst: str, where: str) -> None:
        for key, obj in part.items():
            obj = self._object(obj, f"{where}.{key}", "image_item", key)
            if obj is not None:
                self._item(lst, "image_item", key, obj, f"{where}.{key}")

    def _target_configs(self, part: dict, lst: str, where: str) -> None:
        for key, entries in part.items():
            here = f"{where}.{key}"
            if isinstance(entries, dict):
                self.notes.error("NOT_A_LIST", here, "expected a list of entries, got one object (the scripts "
                                 "iterate its keys); imported as a one-entry list")
                entries = [entries]
            if not isinstance(entries, list):
                self.notes.error("NOT_A_LIST", here, f"expected a list of entries, got {show(entries)}; dropped")
                continue
            if not entries:
                self.notes.warning("EMPTY_TARGET", here, f"target {key!r} has no entries and cannot be shown as "
                                   "a node (the training step fails on it); dropped")
            for i, obj in enumerate(entries):
                obj = self._object(obj, f"{here}[{i}]", "target_item", key)
                if obj is None:
                    continue
                self._item(lst, "target_item", key, obj, f"{here}[{i}]")

    def _reference_configs(self, part: dict, lst: str, where: str) -> None:
        for key, entries in part.items():
            here = f"{where}.{key}"
            if not isinstance(entries, list):
                self.notes.error("NOT_A_LIST", here, f"expected a list of sources, got {show(entries)}; "
                                 "the group is kept empty")
                entries = []
            group = self.b.add_into(lst, "items", "ref_group", key=key)
            for i, obj in enumerate(entries):
                obj = self._object(obj, f"{here}[{i}]", "ref_source", None)
                if obj is None:
                    continue
                if "sample_type" not in obj:
                    self.notes.info("SAMPLE_TYPE_WRITTEN", f"{here}[{i}]",
                                    "no sample_type: the scripts default to from_same_name, now written explicitly")
                self._item(group, "ref_source", None, obj, f"{here}[{i}]", pin="sources")

    def _caption_configs(self, part: dict, lst: str, where: str) -> None:
        for key, obj in part.items():
            here = f"{where}.{key}"
            obj = self._object(obj, here, "caption_item", key)
            if obj is None:
                continue
            if "ext" not in obj:
                self.notes.warning("EXT_ADDED", here, "ext is missing (the scripts raise KeyError); "
                                   "the Caption Item writes its default \".txt\"")
            extra = {"use_reference_list": True} if isinstance(obj.get("reference_list"), dict) else {}
            self._item(lst, "caption_item", key, obj, here, extra=extra)

    def _batch_configs(self, part: list, lst: str, where: str) -> None:
        for i, obj in enumerate(part):
            here = f"{where}[{i}]"
            obj = self._object(obj, here, "batch_item", None)
            if obj is None:
                continue
            if (self.script == F2K and obj.get("reference_config")
                    and not isinstance(obj.get("reference_config_extra"), dict)):
                self.notes.warning("EXTRA_ADDED", here, "reference_config without reference_config_extra "
                                   "raises TypeError in train_flux2klein.py; written as {dropout: 0.0, min: 0}")
            self._item(lst, "batch_item", None, obj, here)

    # ------------------------------------------------------------ helpers
    def _object(self, obj: Any, where: str, node_type: str, key: str | None) -> dict | None:
        if isinstance(obj, dict):
            return obj
        title = REGISTRY[node_type].title
        if key is None:
            self.notes.error("NOT_AN_OBJECT", where, f"expected an object, got {show(obj)}; dropped")
            return None
        self.notes.error("NOT_AN_OBJECT", where, f"expected an object, got {show(obj)}; imported as an "
                         f"empty {title} with key {key!r}")
        return {}

    def _item(self, parent: str, node_type: str, key: str | None, obj: dict, where: str,
              ignore: tuple[str, ...] = (), extra: dict | None = None, pin: str = "items") -> str:
        values = dict(extra or {})
        values.update(fill_item(node_type, obj, where, self.notes, ignore))
        note_unwritten(node_type, values, self.script, where, self.notes)
        if key is not None:
            if key.strip() == "":
                self.notes.warning("EMPTY_KEY", where, "an empty key is skipped by the compiler; "
                                   "give the item a name")
            values = {"key": key, **values}
        return self.b.add_into(parent, pin, node_type, **values)

