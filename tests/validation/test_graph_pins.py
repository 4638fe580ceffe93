"""Findings on compiled graphs land on the node and field that wrote the broken value."""
from __future__ import annotations

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.scripts import SCRIPTS
from dpg_lora.scripts.profiles import F2K, LC
from tests.validation.helpers import graph, node


def pinned(builder, code):
    result = compile_graph(builder.build())
    return {(d.node_id, d.field) for d in result.diagnostics if d.code == code}


def set_values(builder, node_id, **values):
    node(builder, node_id).values.update(values)
    return builder


@pytest.mark.parametrize("script", [s for s in SCRIPTS if SCRIPTS[s].schema == "new"])
def test_sound_graph_has_no_error_or_warning(script):
    result = compile_graph(graph(script).build())
    assert [d.line() for d in result.diagnostics if d.severity != "info"] == []


CASES = [
    ("R17_BATCH_REFERENCE", "bat", {"reference_config": "target_train"}, ("bat", "reference_config")),
    ("R16_BATCH_CAPTION", "bat", {"caption_config": "edit"}, ("bat", "caption_config")),
    ("R15_BATCH_TARGET", "bat", {"target_config": "edit"}, ("bat", "target_config")),
    ("R6_ENTRY_IMAGE", "tgt", {"image": "mask"}, ("tgt", "image")),
    ("R7_FROM_IMAGE", "tgt", {"from_image": "mask"}, ("tgt", "from_image")),
    ("R6_ENTRY_IMAGE", "src", {"image": "mask"}, ("src", "image")),
    ("R8_SUBDIR_COUNT", "src", {"sample_type": "from_subdir", "suffix": "_R", "count": 0}, ("src", "count")),
    ("R10_CAPTION_IMAGE", "cap", {"image": "mask"}, ("cap", "image")),
    ("R12_REFERENCE_LIST_GROUP", "cap", {"use_reference_list": True, "reference_config": "nope"},
     ("cap", "reference_config")),
    ("R14_BUCKET", "ds0", {"resolution": "1000"}, ("ds0", "resolution")),
    ("R14_BUCKET", "tgt", {"resize": "999"}, ("tgt", "resize")),
    # R21_REPEATS says what the field's bound says, so the list shows the bound once
    ("OUT_OF_BOUNDS", "ds0", {"repeats": 0}, ("ds0", "repeats")),
    ("R4_TRAILING_SEPARATOR", "ds0", {"train_data_dir": "data/pairs/"}, ("ds0", "train_data_dir")),
    ("WINDOWS_PATH", "ds0", {"train_data_dir": "C:\\data\\pairs"}, ("ds0", "train_data_dir")),
    ("DUPLICATE_SUFFIX", "img_r", {"suffix": "_T"}, ("img_r", "suffix")),
    ("MIXED_PRECISION", "misc", {"mixed_precision": "fp32"}, ("misc", "mixed_precision")),
    ("REPORT_TO", "misc", {"report_to": "none"}, ("misc", "report_to")),
    ("ZERO_DIVISOR", "misc", {"save_model_epochs": 0}, ("misc", "save_model_epochs")),
    ("VALIDATION_RATIO", "misc", {"validation_ratio": 1.0}, ("misc", "validation_ratio")),
    ("OPTIMIZER", "misc", {"optimizer": "lion"}, ("misc", "optimizer")),
    ("RESUME_CHECKPOINT", "dir", {"resume_from_checkpoint": "output/ckpt"}, ("dir", "resume_from_checkpoint")),
]


@pytest.mark.parametrize("code, node_id, values, place", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_finding_is_pinned_to_the_field(code, node_id, values, place):
    assert place in pinned(set_values(graph(), node_id, **values), code)


def test_r19_weights_pin_the_last_weighted_batch():
    b = graph()
    node(b, "bat").values["weight"] = 0.7
    b.add_into("bl", "items", "batch_item", "bat2", target_config="train", caption_config="train", weight=0.6)
    assert ("bat2", "weight") in pinned(b, "R19_WEIGHT_SUM")


def test_duplicate_dataset_names_pin_the_second_dataset():
    b = graph(references=False)
    ds1 = b.add_into("dl", "datasets", "dataset_config", "ds1", train_data_dir="elsewhere/pairs")
    for pin, kind, item, values in (("images", "image_list", "image_item", {"key": "train", "suffix": "_T"}),
                                    ("targets", "target_list", "target_item", {"key": "train", "image": "train"}),
                                    ("captions", "caption_list", "caption_item", {"key": "train", "image": "train"}),
                                    ("batches", "batch_list", "batch_item",
                                     {"target_config": "train", "caption_config": "train"})):
        lst = b.add_into(ds1, pin, kind, f"{kind}1")
        b.add_into(lst, "items", item, f"{item}1", **values)
    assert pinned(b, "R4_DUPLICATE_NAME") == {("ds1", "train_data_dir")}


def test_longcat_reference_list_pins_the_caption():
    b = set_values(graph(LC), "cap", use_reference_list=True, reference_config="ref")
    assert {n for n, _ in pinned(b, "R13_LONGCAT_REFERENCE_LIST")} == {"cap"}


def test_extra_settings_types_and_nulls_pin_the_extra_node():
    b = graph()
    b.add_into("script", "extra", "extra_settings", "extra", gradient_checkpointing="false", odd=None)
    result = compile_graph(b.build())
    places = {(d.code, d.node_id, d.field) for d in result.diagnostics}
    assert ("ARG_TYPE", "extra", "gradient_checkpointing") in places
    assert ("NULL_TRUNCATES", "extra", "odd") in places


def test_flux2klein_graph_writes_reference_config_extra():
    assert pinned(graph(F2K), "R18_REFERENCE_CONFIG_EXTRA") == set()
