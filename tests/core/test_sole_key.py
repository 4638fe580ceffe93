"""A KEY field left unset names its dataset's only key of that kind; shown and written alike."""
from __future__ import annotations

from dpg_lora.compiler import compile_graph
from dpg_lora.document import Document
from dpg_lora.field_values import sole_key
from dpg_lora.specs import REGISTRY
from tests.graphs import pairs_builder, small_graph

BATCH = REGISTRY["batch_item"]


def _unset_batch(graph, node_id="bat0"):
    node = graph.node(node_id)
    node.values.pop("target_config", None)
    node.values.pop("caption_config", None)
    return graph


def test_sole_key_only_for_unset_fields_that_must_name_a_key():
    target = BATCH.field("target_config")
    assert sole_key(target, {}, ["train"]) == "train"
    assert sole_key(target, {"target_config": ""}, ["train"]) is None  # kept in the file: theirs
    assert sole_key(target, {"target_config": "other"}, ["train"]) is None  # the user's choice stays
    assert sole_key(target, {}, ["a", "b"]) is None  # a real choice: nobody guesses
    assert sole_key(target, {}, []) is None
    assert sole_key(BATCH.field("reference_config"), {}, ["ref"]) is None  # optional: empty means none


def test_a_batch_with_one_target_and_one_caption_key_writes_them():
    result = compile_graph(_unset_batch(small_graph()))
    batch = result.config["dataset_configs"][0]["batch_configs"][0]
    assert batch["target_config"] == "train" and batch["caption_config"] == "train"
    assert not result.errors, [d.line() for d in result.errors]
    assert result.sole_keys == {("bat0", "target_config"): "train", ("bat0", "caption_config"): "train"}
    assert ("dataset_configs", 0, "batch_configs", 0, "target_config") in result.defaulted


def test_two_keys_of_a_kind_leave_the_choice_to_the_user():
    graph = _unset_batch(small_graph())
    doc = Document(graph)
    doc.add_node("target_item", values={"key": "second", "image": "train"}, link_to=("tl0", "items"))
    result = doc.result
    assert ("bat0", "target_config") not in result.sole_keys
    assert ("bat0", "caption_config") in result.sole_keys
    assert any(d.code == "FIELD_REQUIRED" and d.field == "target_config" for d in result.errors)


def test_the_sole_key_follows_a_rename_and_an_optional_reference_stays_unset():
    b = pairs_builder(references=True)
    graph = b.build()
    graph.node("bat").values.pop("reference_config")
    graph.node("tgt").values.pop("image")  # two image keys (train, ref): no sole image
    graph.node("src").values.pop("image")
    result = compile_graph(graph)
    assert ("tgt", "image") not in result.sole_keys
    batch = result.config["dataset_configs"][0]["batch_configs"][0]
    assert "reference_config" not in batch  # optional: one reference group is not taken for it
    doc = Document(_unset_batch(small_graph()))
    doc.set_value("cap0", "key", "renamed")
    assert doc.result.config["dataset_configs"][0]["batch_configs"][0]["caption_config"] == "renamed"


def test_a_node_outside_every_dataset_takes_nothing():
    graph = _unset_batch(small_graph())
    graph.links = [link for link in graph.links if link.src != "bat0"]
    result = compile_graph(graph)
    assert not any(node == "bat0" for node, _ in result.sole_keys)


def test_user_values_are_not_marked_as_defaults():
    result = compile_graph(small_graph())
    assert ("rank",) not in result.defaulted  # set on the LoRA node
    assert ("learning_rate",) in result.defaulted
    assert ("dataset_configs", 0, "train_data_dir") not in result.defaulted
    assert ("dataset_configs", 0, "repeats") in result.defaulted
