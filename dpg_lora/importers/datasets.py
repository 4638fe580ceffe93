"""dataset_configs entries -> Dataset Config nodes with their lists and items.

The sections of a dataset (image_configs, ...) and their shapes come from the registry: each
Dataset Config input that `writes` a key is a section, the list node it takes says how its
items fold (`collect`), the list's input says the item type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from dpg_lora.builder import GraphBuilder
from dpg_lora.importers.fields import show
from dpg_lora.importers.items import fill_item, note_unwritten, set_value
from dpg_lora.importers.notes import Notes
from dpg_lora.scripts import profile
from dpg_lora.scripts.profiles import F2K
from dpg_lora.specs import REGISTRY, derived, feeder_type, root_type


@dataclass(frozen=True)
class Section:
    key: str  # the dataset key it fills ("image_configs")
    pin: str  # the Dataset Config input
    list_type: str
    item_type: str
    collect: str  # the list's fold: "map", "map_append" or "list"
    required: bool


@derived
def dataset_list_type() -> str:
    """The node type that writes dataset_configs into the Script Loader (the Dataset List)."""
    root = REGISTRY[root_type()]
    return feeder_type(next(p for p in root.inputs if p.writes == "dataset_configs"))


@derived
def dataset_type() -> str:
    """The node type of one dataset_configs entry."""
    return feeder_type(REGISTRY[dataset_list_type()].items_pin)


def items_pin(list_type: str) -> str:
    return REGISTRY[list_type].items_pin.name


@derived
def sections() -> tuple[Section, ...]:
    out = []
    for pin in REGISTRY[dataset_type()].inputs:
        if pin.writes:
            lst = REGISTRY[feeder_type(pin)]
            out.append(Section(pin.writes, pin.name, lst.type, feeder_type(lst.items_pin), lst.collect or "map",
                               pin.required))
    return tuple(out)


def section_keys() -> tuple[str, ...]:
    return tuple(s.key for s in sections())


def _caption_checks(imp: "DatasetImporter", obj: dict, where: str) -> None:
    if "ext" not in obj:
        imp.notes.warning("EXT_ADDED", where, "ext is missing (the scripts raise KeyError); "
                          "the Caption Item writes its default \".txt\"")


def _batch_checks(imp: "DatasetImporter", obj: dict, where: str) -> None:
    if imp.script == F2K and obj.get("reference_config") and not isinstance(obj.get("reference_config_extra"), dict):
        imp.notes.warning("EXTRA_ADDED", where, "reference_config without reference_config_extra "
                          "raises TypeError in train_flux2klein.py; written as {dropout: 0.0, min: 0}")


def _source_checks(imp: "DatasetImporter", obj: dict, where: str) -> None:
    if "sample_type" not in obj:
        imp.notes.info("SAMPLE_TYPE_WRITTEN", where,
                       "no sample_type: the scripts default to from_same_name, now written explicitly")


# What the scripts do with a particular item object that the graph now writes differently.
ITEM_CHECKS: dict[str, Callable[["DatasetImporter", dict, str], None]] = {
    "caption_item": _caption_checks, "batch_item": _batch_checks, "ref_source": _source_checks,
}


class DatasetImporter:
    def __init__(self, builder: GraphBuilder, notes: Notes, script: str, top: dict[str, Any]):
        self.b, self.notes, self.script, self.top = builder, notes, script, top

    def add(self, ds: dict[str, Any], list_id: str, where: str) -> str:
        """One dataset object -> a Dataset Config linked into `list_id`."""
        node_type = dataset_type()
        spec = REGISTRY[node_type]
        by_key = {f.path[0]: f for f in spec.fields if len(f.path) == 1}
        keys = section_keys()
        values: dict[str, Any] = {}
        for key, value in ds.items():
            here = f"{where}.{key}"
            if key in keys:
                continue
            if key in by_key:
                set_value(values, by_key[key], value, here, self.notes)
            else:
                self.notes.warning("DATASET_KEY_DROPPED", here,
                                   f"{show(value)}: dataset key {key!r} is not read by the scripts; dropped")
        self._fill_gaps(ds, values, where)
        ds_id = self.b.add_into(list_id, items_pin(dataset_list_type()), node_type, **values)
        for section in sections():
            if section.key not in ds:
                if section.required:
                    self.notes.error("MISSING_PART", where, f"{section.key} is missing (the scripts raise "
                                     f"KeyError); written as empty until you add a "
                                     f"{REGISTRY[section.list_type].title}")
                continue
            part = ds[section.key]
            here = f"{where}.{section.key}"
            want = list if section.collect == "list" else dict
            if not isinstance(part, want):
                self.notes.error("NOT_" + ("A_LIST" if want is list else "AN_OBJECT"), here,
                                 f"expected {'a list' if want is list else 'an object'}, got {show(part)}; "
                                 "its items are dropped")
                part = want()
            lst = self.b.add_into(ds_id, section.pin, section.list_type)
            self.section(section, part, lst, here)
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

    # ------------------------------------------------------------ one section, by its fold
    def section(self, section: Section, part: Any, lst: str, where: str) -> None:
        item_type = section.item_type
        if section.collect == "list":
            for i, obj in enumerate(part):
                here = f"{where}[{i}]"
                obj = self._object(obj, here, item_type, None)
                if obj is not None:
                    self._item(lst, item_type, None, obj, here, items_pin(section.list_type))
            return
        for key, value in part.items():
            here = f"{where}.{key}"
            if REGISTRY[item_type].collect == "list":  # a Ref Group: its sources, in order
                self._group(section, lst, key, value, here)
            elif section.collect == "map_append":
                self._stack(section, lst, key, value, here)
            else:
                obj = self._object(value, here, item_type, key)
                if obj is not None:
                    self._item(lst, item_type, key, obj, here, items_pin(section.list_type))

    def _stack(self, section: Section, lst: str, key: str, entries: Any, where: str) -> None:
        """{key: [entry, ...]}: one item per entry, all with the same key."""
        item_type = section.item_type
        if isinstance(entries, dict):
            self.notes.error("NOT_A_LIST", where, "expected a list of entries, got one object (the scripts "
                             "iterate its keys); imported as a one-entry list")
            entries = [entries]
        if not isinstance(entries, list):
            self.notes.error("NOT_A_LIST", where, f"expected a list of entries, got {show(entries)}; dropped")
            return
        if not entries:
            self.notes.warning("EMPTY_TARGET", where, f"{REGISTRY[item_type].title.split()[0].lower()} {key!r} "
                               "has no entries and cannot be shown as a node (the training step fails on it); "
                               "dropped")
        for i, obj in enumerate(entries):
            obj = self._object(obj, f"{where}[{i}]", item_type, key)
            if obj is not None:
                self._item(lst, item_type, key, obj, f"{where}[{i}]", items_pin(section.list_type))

    def _group(self, section: Section, lst: str, key: str, entries: Any, where: str) -> None:
        """{key: [source, ...]}: one group node with a key, its sources linked in order."""
        if not isinstance(entries, list):
            self.notes.error("NOT_A_LIST", where, f"expected a list of sources, got {show(entries)}; "
                             "the group is kept empty")
            entries = []
        group_spec = REGISTRY[section.item_type]
        group = self.b.add_into(lst, items_pin(section.list_type), section.item_type, key=key)
        source_type = feeder_type(group_spec.items_pin)
        for i, obj in enumerate(entries):
            obj = self._object(obj, f"{where}[{i}]", source_type, None)
            if obj is not None:
                self._item(group, source_type, None, obj, f"{where}[{i}]", pin=group_spec.items_pin.name)

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

    def _item(self, parent: str, node_type: str, key: str | None, obj: dict, where: str, pin: str) -> str:
        check = ITEM_CHECKS.get(node_type)
        if check is not None:
            check(self, obj, where)
        values = fill_item(node_type, obj, where, self.notes)
        note_unwritten(node_type, values, self.script, where, self.notes)
        if key is not None:
            if key.strip() == "":
                self.notes.warning("EMPTY_KEY", where, "an empty key is skipped by the compiler; "
                                   "give the item a name")
            values = {"key": key, **values}
        return self.b.add_into(parent, pin, node_type, **values)
