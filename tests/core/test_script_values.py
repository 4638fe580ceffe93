"""Choosing a script offers the values that go with it, never over the user's own."""
from __future__ import annotations

from dpg_lora.document import Document
from dpg_lora.graph import graph_to_text
from dpg_lora.script_values import FAMILY, family_values, offer_command, script_offer
from dpg_lora.scripts.profiles import F2K, LC, LCE, QI, QIE, QEF
from tests.graphs import small_graph


def _offer(graph, old, new):
    return {(c.node_id, c.field): (c.old, c.new) for c in script_offer(graph, old, new)}


def test_a_new_directory_setup_starts_with_its_scripts_names():
    assert family_values("directory_setup", LC) == {"output_dir": "output/longcat_lora", "save_name": "longcat_"}
    assert family_values("lora_config", LC) == {}
    assert family_values("directory_setup", "train_unknown.py") == {}


def test_argparse_defaults_and_other_families_values_are_offered():
    graph = small_graph(LC)  # output_dir and save_name unset: "flux-dreambooth", "flux_"
    assert _offer(graph, LC, QI) == {("dir", "output_dir"): ("flux-dreambooth", "output/qwen_image_lora"),
                                     ("dir", "save_name"): ("flux_", "qwen_image_")}
    graph.node("dir").values.update(family_values("directory_setup", LC))
    assert _offer(graph, LC, F2K) == {("dir", "output_dir"): ("output/longcat_lora", "output/flux2klein_lora"),
                                      ("dir", "save_name"): ("longcat_", "flux2klein_")}


def test_the_users_own_values_are_kept():
    graph = small_graph(LC)
    graph.node("dir").values.update(output_dir="runs/my_cat", save_name="my_cat")
    assert _offer(graph, LC, QI) == {}
    assert _offer(graph, QI, QI) == {}


def test_a_base_model_folder_named_after_the_old_family_follows():
    graph = small_graph(LC)
    graph.node("dir").values.update(output_dir="mine", save_name="mine",
                                    pretrained_model_name_or_path="/models/LongCat-Image/")
    assert _offer(graph, LC, QIE) == {("dir", "pretrained_model_name_or_path"):
                                      ("/models/LongCat-Image/", "/models/Qwen-Image-Edit")}
    graph.node("dir").values["pretrained_model_name_or_path"] = "Qwen-Image-Edit"
    assert _offer(graph, QIE, QEF) == {}  # the same published model
    graph.node("dir").values["pretrained_model_name_or_path"] = "D:\\m\\my-finetune"
    assert _offer(graph, LC, LCE) == {}


def test_accepting_is_one_undoable_edit():
    graph = small_graph(LC)
    doc = Document(graph)
    before = graph_to_text(doc.graph)
    doc.set_value("script", "script", QI)
    changes = script_offer(doc.graph, LC, QI)
    doc.execute(offer_command(doc.graph, changes, QI))
    config = doc.result.config
    assert (config["output_dir"], config["save_name"]) == FAMILY[QI][:2]
    doc.undo()
    assert "output_dir" not in doc.graph.node("dir").values
    doc.undo()
    assert graph_to_text(doc.graph) == before
