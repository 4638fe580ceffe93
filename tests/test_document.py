"""Document: every command's do/undo/redo round trip, coalescing, key renames, link refusal."""
from __future__ import annotations

import json

import pytest

from dpg_lora.builder import GraphBuilder
from dpg_lora.document import UNSET, Document, key_kind_of, parse_payload
from dpg_lora.graph import graph_to_text, load_graph
from tests.core.util import small_graph


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def doc_of(graph=None, **kw):
    return Document(graph if graph is not None else small_graph(), clock=kw.pop("clock", Clock()), **kw)


def round_trip(doc, action):
    """Run `action`, then check undo restores the text exactly and redo restores the result."""
    before = graph_to_text(doc.graph)
    rev = doc.revision
    action(doc)
    after = graph_to_text(doc.graph)
    assert after != before, "the action changed nothing"
    assert doc.revision != rev
    doc.undo()
    assert graph_to_text(doc.graph) == before
    doc.redo()
    assert graph_to_text(doc.graph) == after
    doc.undo()
    assert graph_to_text(doc.graph) == before
    return after


def test_set_value_round_trip_and_unset():
    doc = doc_of()
    round_trip(doc, lambda d: d.set_value("lora", "rank", 16))
    round_trip(doc, lambda d: d.set_value("lora", "rank", UNSET))
    round_trip(doc, lambda d: d.set_value("misc", "learning_rate", 0.1))
    doc.set_value("misc", "learning_rate", 0.1)
    assert doc.graph.node("misc").values["learning_rate"] == 0.1
    assert json.loads(doc.result.config_text)["learning_rate"] == 0.1


def test_set_value_rejects_wrong_types_and_ignores_no_ops():
    doc = doc_of()
    with pytest.raises(ValueError):
        doc.set_value("lora", "rank", "lots")
    rev = doc.revision
    assert doc.set_value("lora", "rank", 8) is False  # already 8
    assert doc.revision == rev and not doc.can_undo


def test_consecutive_edits_of_one_field_coalesce():
    clock = Clock()
    doc = doc_of(clock=clock)
    before = graph_to_text(doc.graph)
    for i, text in enumerate(["o", "ou", "out"]):
        clock.now = i * 0.2
        doc.set_value("dir", "output_dir", text)
    assert len(doc._undo) == 1
    doc.undo()
    assert graph_to_text(doc.graph) == before
    doc.redo()
    assert doc.graph.node("dir").values["output_dir"] == "out"


def test_coalescing_stops_at_another_field_a_pause_or_a_seal():
    clock = Clock()
    doc = doc_of(clock=clock)
    doc.set_value("dir", "output_dir", "a")
    doc.set_value("dir", "save_name", "b")
    doc.set_value("dir", "output_dir", "ab")
    assert len(doc._undo) == 3
    clock.now = 10
    doc.set_value("dir", "output_dir", "abc")
    assert len(doc._undo) == 4
    doc.seal()
    doc.set_value("dir", "output_dir", "abcd")
    assert len(doc._undo) == 5


def test_revision_dirty_and_cached_result(tmp_path):
    doc = doc_of()
    assert not doc.dirty
    first = doc.result
    assert doc.result is first  # cached per revision
    doc.set_value("lora", "rank", 32)
    assert doc.dirty and doc.title.startswith("*")
    assert doc.result is not first and json.loads(doc.result.config_text)["rank"] == 32
    path = tmp_path / "g.json"
    doc.save(path)
    assert not doc.dirty and doc.title == "g.json"
    assert load_graph(path).node("lora").values["rank"] == 32
    doc.set_value("lora", "rank", 4)
    assert doc.dirty
    doc.undo()
    assert not doc.dirty  # back at the saved state
    doc.redo()
    assert doc.dirty


def test_save_without_path_needs_save_as(tmp_path):
    doc = Document()
    assert not doc.dirty and doc.name == "untitled"
    with pytest.raises(ValueError):
        doc.save()
    doc.add_node("lora_config")
    doc.save(tmp_path / "new.json")
    reopened = Document.open(tmp_path / "new.json")
    assert graph_to_text(reopened.graph) == graph_to_text(doc.graph)
    assert Document(doc.graph, dirty=True).dirty


def test_add_node_round_trip_and_new_ids():
    doc = doc_of()
    round_trip(doc, lambda d: d.add_node("image_item", (10, 20), {"key": "x"}))
    new = doc.add_node("image_item")
    assert new not in {"img0"} and doc.graph.node(new).type == "image_item"


def test_add_node_linked_into_an_input_and_from_an_output():
    doc = doc_of()
    after = round_trip(doc, lambda d: d.add_node("image_item", link_to=("il0", "items")))
    assert '"dst": "il0", "dst_pin": "items"' in after.split('"src": "image_item_1"', 1)[1].split("\n")[0]
    round_trip(doc, lambda d: d.add_node("image_list", link_from=("img0", "items")))
    with pytest.raises(ValueError):
        doc.add_node("caption_item", link_to=("il0", "items"))


def test_add_node_into_a_single_input_replaces_its_link_in_one_step():
    doc = doc_of()
    after = round_trip(doc, lambda d: d.add_node("lora_config", link_to=("script", "lora")))
    lora_links = [l for l in doc.graph.links if l.dst == "script" and l.dst_pin == "lora"]
    assert len(lora_links) == 1 and lora_links[0].src == "lora"  # undone
    assert '"src": "lora_config_1", "src_pin": "out", "dst": "script", "dst_pin": "lora"' in after


def test_remove_nodes_restores_links_in_their_places():
    doc = doc_of(small_graph(datasets=2))
    round_trip(doc, lambda d: d.remove_nodes(["ds0", "img1", "bat0"]))
    doc.remove_nodes(["ds0"])
    assert not any("ds0" in (l.src, l.dst) for l in doc.graph.links)


def test_add_link_round_trip_and_order():
    doc = doc_of()
    doc.add_node("image_item", values={"key": "b"})
    round_trip(doc, lambda d: d.add_link("image_item_1", "il0", "items"))
    doc.add_link("image_item_1", "il0", "items")
    assert [l.src for l in doc.input_links("il0", "items")] == ["img0", "image_item_1"]


def test_second_link_into_a_single_input_replaces_the_first_in_one_step():
    doc = doc_of()
    doc.add_node("misc_settings")
    before = graph_to_text(doc.graph)
    index = next(i for i, l in enumerate(doc.graph.links) if l.dst_pin == "misc")
    assert doc.add_link("misc_settings_1", "script", "misc") is None
    links = doc.input_links("script", "misc")
    assert [l.src for l in links] == ["misc_settings_1"]
    assert doc.graph.links[index].src == "misc_settings_1"  # same slot in the file
    doc.undo()
    assert graph_to_text(doc.graph) == before


@pytest.mark.parametrize("src,dst,pin,words", [
    ("img0", "tl0", "items", "takes a"),          # image into a target list
    ("cap0", "script", "lora", "takes a"),
    ("il0", "il0", "items", "itself"),
    ("img0", "il0", "items", "already linked"),
    ("img0", "il0", "nope", "no input"),
    ("script", "il0", "items", "no output"),
])
def test_incompatible_links_are_refused_with_a_reason(src, dst, pin, words):
    doc = doc_of()
    before = graph_to_text(doc.graph)
    reason = doc.add_link(src, dst, pin)
    assert reason and words in reason
    assert graph_to_text(doc.graph) == before and not doc.can_undo


def test_remove_link_round_trip_keeps_position():
    doc = doc_of()
    link = doc.graph.links[3]
    round_trip(doc, lambda d: d.remove_link(link))


def test_move_nodes_and_arrange_round_trip():
    doc = doc_of()
    round_trip(doc, lambda d: d.move_nodes({"img0": (123, 456), "cap0": (1, 2)}))
    for node in doc.graph.nodes:
        node.pos = (0.0, 0.0)  # scramble outside the history, as a fresh import would be
    round_trip(doc, lambda d: d.arrange())
    assert doc.move_nodes({"img0": doc.graph.node("img0").pos}) is False


def test_reorder_link_within_an_ordered_input():
    doc = doc_of()
    for key in ("b", "c"):
        doc.add_node("image_item", values={"key": key}, link_to=("il0", "items"))
    order = lambda: [l.src for l in doc.input_links("il0", "items")]  # noqa: E731
    assert order() == ["img0", "image_item_1", "image_item_2"]
    round_trip(doc, lambda d: d.reorder_link("il0", "items", 2, 0))
    doc.reorder_link("il0", "items", 2, 0)
    assert order() == ["image_item_2", "img0", "image_item_1"]
    assert list(doc.result.config["dataset_configs"][0]["image_configs"]) == ["c", "train", "b"]
    assert doc.reorder_link("il0", "items", 0, 5) is False


def test_rename_image_key_updates_every_key_field_of_its_dataset_only():
    doc = doc_of(small_graph(datasets=2))
    after = round_trip(doc, lambda d: d.rename_key("img0", "main"))
    doc.redo()
    g = doc.graph
    assert g.node("img0").values["key"] == "main"
    assert g.node("tgt0").values["image"] == "main" and g.node("cap0").values["image"] == "main"
    assert g.node("tgt1").values["image"] == "train"  # the other dataset keeps its own key
    assert doc.result.errors == []
    assert len(doc._undo) == 1
    assert graph_to_text(g) == after


def test_rename_via_set_value_on_the_key_field_and_batch_keys():
    doc = doc_of()
    doc.set_value("tgt0", "key", "edit")
    doc.set_value("cap0", "key", "words")
    assert doc.graph.node("bat0").values == {"target_config": "edit", "caption_config": "words"}
    assert doc.result.errors == []
    doc.undo()
    doc.undo()
    assert doc.graph.node("bat0").values == {"target_config": "train", "caption_config": "train"}


def test_rename_ref_group_key_updates_reference_fields():
    b = GraphBuilder()
    s = b.add("script_loader", "script", script="train_longcat_edit.py")
    b.add_into(s, "directory", "directory_setup", "dir", pretrained_model_name_or_path="m")
    b.add_into(s, "lora", "lora_config", "lora")
    b.add_into(s, "misc", "misc_settings", "misc")
    dl = b.add_into(s, "datasets", "dataset_list", "dl")
    ds = b.add_into(dl, "datasets", "dataset_config", "ds", train_data_dir="d")
    il = b.add_into(ds, "images", "image_list", "il")
    b.add_into(il, "items", "image_item", "img", key="train")
    b.add_into(il, "items", "image_item", "imgr", key="ref_img", suffix="_R")
    rl = b.add_into(ds, "references", "reference_list", "rl")
    rg = b.add_into(rl, "items", "ref_group", "rg", key="ref")
    b.add_into(rg, "sources", "ref_source", "rs", image="ref_img")
    cl = b.add_into(ds, "captions", "caption_list", "cl")
    b.add_into(cl, "items", "caption_item", "cap", key="train", image="train",
               use_reference_list=True, reference_config="ref")
    bl = b.add_into(ds, "batches", "batch_list", "bl")
    b.add_into(bl, "items", "batch_item", "bat", target_config="train", caption_config="train",
               reference_config="ref")
    tl = b.add_into(ds, "targets", "target_list", "tl")
    b.add_into(tl, "items", "target_item", "tgt", key="train", image="train")
    doc = doc_of(b.build())
    assert key_kind_of("ref_group") == "reference"
    round_trip(doc, lambda d: d.rename_key("rg", "refs"))
    doc.redo()
    assert doc.graph.node("cap").values["reference_config"] == "refs"
    assert doc.graph.node("bat").values["reference_config"] == "refs"
    doc.rename_key("imgr", "side")
    assert doc.graph.node("rs").values["image"] == "side"


def test_rename_keeps_references_while_another_item_still_defines_the_key():
    doc = doc_of()
    doc.add_node("target_item", values={"key": "train", "image": "train"}, link_to=("tl0", "items"))
    doc.rename_key("tgt0", "other")
    assert doc.graph.node("bat0").values["target_config"] == "train"


def test_rename_key_coalesces_while_typing_with_the_same_dependents():
    clock = Clock()
    doc = doc_of(clock=clock)
    doc.rename_key("img0", "m", coalesce=True)
    doc.rename_key("img0", "ma", coalesce=True)
    doc.rename_key("img0", "main", coalesce=True)
    assert len(doc._undo) == 1 and doc.graph.node("cap0").values["image"] == "main"
    doc.undo()
    assert doc.graph.node("cap0").values["image"] == "train"


def test_paste_and_duplicate_keep_internal_links_with_new_ids():
    doc = doc_of()
    payload = doc.copy(["cl0", "cap0", "ds0"])
    assert len(payload["links"]) == 2  # cap0 -> cl0, cl0 -> ds0
    assert parse_payload(json.dumps(payload)) == payload and parse_payload("hello") is None
    after = round_trip(doc, lambda d: d.paste(payload, (100, 0)))
    new_ids = doc.redo() and [n.id for n in doc.graph.nodes[-3:]]
    assert set(new_ids).isdisjoint({"cl0", "cap0", "ds0"})
    new_links = [l for l in doc.graph.links if l.src in new_ids or l.dst in new_ids]
    assert len(new_links) == 2 and all(l.src in new_ids and l.dst in new_ids for l in new_links)
    assert doc.graph.node(new_ids[0]).pos[0] == doc.graph.node("ds0").pos[0] + 100
    assert graph_to_text(doc.graph) == after
    round_trip(doc, lambda d: d.duplicate(["img0"]))


def test_delete_selection_of_nodes_and_links_is_one_step():
    doc = doc_of()
    link = doc.input_links("tl0", "items")[0]
    round_trip(doc, lambda d: d.delete(["cap0"], [link]))
    assert doc.delete([], []) is False


def test_replace_values_for_free_form_nodes():
    doc = doc_of()
    doc.add_node("extra_settings", link_to=("script", "extra"))
    round_trip(doc, lambda d: d.replace_values("extra_settings_1", {"my_flag": True}))
    doc.replace_values("extra_settings_1", {"my_flag": True})
    assert doc.result.config["my_flag"] is True


def test_undo_redo_on_empty_history():
    doc = doc_of()
    assert doc.undo() is None and doc.redo() is None
    doc.set_value("lora", "rank", 2)
    doc.undo()
    doc.set_value("lora", "rank", 3)
    assert not doc.can_redo  # a new change clears redo
