"""What the compiler and importers derive from the registry matches the declarations."""
from __future__ import annotations

from dpg_lora.importers.datasets import dataset_type, sections
from dpg_lora.specs import REGISTRY, key_kind_of, list_key_kinds, merged_pins, root_type, top_level_fields
from dpg_lora.specs.types import KEY_KINDS


def test_key_kinds_are_the_ones_dataset_inputs_declare():
    assert set(list_key_kinds().values()) == set(KEY_KINDS)
    assert {t: key_kind_of(t) for t in ("image_item", "target_item", "caption_item", "ref_group", "batch_item")} == {
        "image_item": "image", "target_item": "target", "caption_item": "caption", "ref_group": "reference",
        "batch_item": None}


def test_dataset_sections_come_from_the_dataset_config_inputs():
    assert root_type() == "script_loader" and dataset_type() == "dataset_config"
    assert [(s.key, s.list_type, s.item_type, s.collect, s.required) for s in sections()] == [
        ("image_configs", "image_list", "image_item", "map", True),
        ("target_configs", "target_list", "target_item", "map_append", True),
        ("reference_configs", "reference_list", "ref_group", "map", False),
        ("caption_configs", "caption_list", "caption_item", "map", True),
        ("batch_configs", "batch_list", "batch_item", "list", True),
    ]


def test_every_top_level_argument_field_is_found_by_the_key_it_writes():
    assert [t for _, t in merged_pins()] == ["directory_setup", "lora_config", "misc_settings", "extra_settings"]
    arg_fields = {f.arg: (t, f) for _, t in merged_pins() for f in REGISTRY[t].fields if f.arg}
    assert top_level_fields() == arg_fields
