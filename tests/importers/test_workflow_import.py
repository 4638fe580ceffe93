"""Original editor workflow -> graph. The workflows here are written for these tests."""
from __future__ import annotations

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.importers import NotAnObjectError, import_workflow
from dpg_lora.scripts.profiles import F2K, LC


def node(node_id, otype, x=0, y=0, **data):
    return {"id": node_id, "type": otype, "position": {"x": x, "y": y}, "data": data, "width": 200}


def edge(eid, src, handle, dst):
    return {"id": eid, "source": src, "sourceHandle": handle, "target": dst, "targetHandle": "in"}


def workflow(extra_nodes=(), extra_edges=(), script="train_longcat_edit.py", misc=None):
    nodes = [
        node("script", "scriptNode", 0, 0, scriptName=script, configPath="cfg.json"),
        node("dir", "directoryNode", 300, 0, pretrained_model_name_or_path="m", output_dir="o", save_name="s",
             logging_dir="logs", model_path="", vae_path=""),
        node("lora", "loraNode", 300, 300, rank=8, rank_alpha=8, use_lokr=False, lokr_factor=4, lora_layers=""),
        node("misc", "miscNode", 300, 600, **(misc if misc is not None else {
            "resolution": "1024", "seed": 42, "gradient_checkpointing": False, "blocks_to_swap": 0,
            "mask_dropout": 0.01, "lr_scheduler": "cosine", "train_batch_size": 1, "num_train_epochs": 10,
            "learning_rate": 0.0001, "optimizer": "adamw", "mixed_precision": "bf16", "caption_dropout": 0.1,
            "save_model_epochs": 1, "recreate_cache": False, "validation_epochs": 1, "validation_ratio": 0.1,
            "weighting_scheme": "logit_normal", "logit_mean": 0.0, "logit_std": 1.0, "mode_scale": 1.29,
            "guidance_scale": 1.0, "freeze_transformer_layers": "1,2", "freeze_single_transformer_layers": ""})),
        node("ds_list", "datasetListNode", 300, 900, slots=["dataset_0"]),
        node("ds", "datasetConfigNode", 600, 900, train_data_dir="data/a", repeats=2),
        node("imgs", "imageListNode", 900, 700, slots=["img_b", "img_a"]),
        node("img_a", "imageConfigNode", 1200, 600, key="train", suffix="_T"),
        node("img_b", "imageConfigNode", 1200, 800, key="ref", suffix="_R"),
        node("tgts", "targetListNode", 900, 1000, slots=["tgt_0"]),
        node("tgt", "targetConfigNode", 1200, 1000, key="train", image="train", from_image=""),
        node("caps", "captionListNode", 900, 1200, slots=["cap_0"]),
        node("cap", "captionConfigNode", 1200, 1200, key="train", ext=".txt", image="train"),
        node("bats", "batchListNode", 900, 1400, slots=["batch_0"]),
        node("bat", "batchConfigNode", 1200, 1400, target_config="train", caption_config="train"),
        *extra_nodes,
    ]
    edges = [
        edge("e1", "script", "dir_out", "dir"), edge("e2", "script", "lora_out", "lora"),
        edge("e3", "script", "misc_out", "misc"), edge("e4", "script", "json_out", "ds_list"),
        edge("e5", "ds_list", "dataset_0", "ds"), edge("e6", "ds", "image_config", "imgs"),
        edge("e7", "ds", "target_config", "tgts"), edge("e8", "ds", "caption_config", "caps"),
        edge("e9", "ds", "batch_config", "bats"),
        edge("e10", "imgs", "img_a", "img_a"), edge("e11", "imgs", "img_b", "img_b"),  # edge order != slot order
        edge("e12", "tgts", "tgt_0", "tgt"), edge("e13", "caps", "cap_0", "cap"), edge("e14", "bats", "batch_0", "bat"),
        *extra_edges,
    ]
    return {"nodes": nodes, "edges": edges, "timestamp": 1767523365640, "version": "1.0"}


def imported(wf, script=None):
    graph, notes = import_workflow(wf, script)
    return graph, notes, compile_graph(graph)


def codes(notes):
    return [n.code for n in notes]


def notes_of(notes, code):
    return [n for n in notes if n.code == code]


def test_ids_types_and_config():
    graph, notes, result = imported(workflow())
    ours = {n.id: n.type for n in graph.nodes}
    assert ours["script"] == "script_loader" and ours["img_a"] == "image_item" and ours["ds_list"] == "dataset_list"
    assert graph.node("script").values == {"script": "train_longcat_edit.py", "config_path": "cfg.json"}
    ds = result.config["dataset_configs"][0]
    assert ds["train_data_dir"] == "data/a" and ds["repeats"] == 2
    assert result.config["rank"] == 8 and result.config["freeze_transformer_layers"] == "1,2"
    assert graph.node("lora").values["freeze_transformer_layers"] == "1,2"  # a Misc field in the original
    assert "2026-01-04" in graph.description  # ms timestamp read as such


def test_slot_order_not_edge_order_decides_item_order():
    graph, _, result = imported(workflow())
    assert list(result.config["dataset_configs"][0]["image_configs"]) == ["ref", "train"]
    assert [lk.src for lk in graph.links if lk.dst == "imgs"] == ["img_b", "img_a"]
    # elsewhere the original edge order is kept
    assert [lk.src for lk in graph.links][:4] == ["dir", "lora", "misc", "ds_list"]


def test_x_is_mirrored_so_the_flow_reads_towards_the_script_loader():
    graph, _, _ = imported(workflow())
    x = {n.id: n.pos[0] for n in graph.nodes}
    y = {n.id: n.pos[1] for n in graph.nodes}
    assert x["img_a"] == 0 and x["script"] == 1200 and y["bat"] == 1400
    assert all(x[lk.src] < x[lk.dst] for lk in graph.links)


def test_hidden_defaults_are_listed():
    graph, notes, result = imported(workflow(misc={"resolution": "1024"}), LC)
    hidden = {n.where.split(".")[-1]: n.message for n in notes_of(notes, "HIDDEN_DEFAULT")}
    assert "4321" in hidden["seed"] and "we write 42" in hidden["seed"]
    assert "true" in hidden["gradient_checkpointing"]
    assert "0.01" in hidden["mask_dropout"]
    assert "blocks_to_swap" not in hidden  # the original's hidden 10 is train_longcat.py's default too
    assert "lr_scheduler" in hidden
    assert result.config["seed"] == 42  # our script default, not the original's hidden 4321
    _, notes, _ = imported(workflow(misc={"resolution": "1024"}), "train_qwen_image_edit_new.py")
    assert any(n.where == "misc.blocks_to_swap" and "we write 0" in n.message
               for n in notes_of(notes, "HIDDEN_DEFAULT"))


def test_report_to_and_resume_from_are_reported():
    wf = workflow(misc={"report_to": "wandb", "resume_from": "out/ckpt-100"})
    graph, notes, result = imported(wf)
    assert result.config["report_to"] == "wandb"
    assert result.config["resume_from_checkpoint"] == "out/ckpt-100"
    assert graph.node("dir").values["resume_from_checkpoint"] == "out/ckpt-100"
    assert "tensorboard" in notes_of(notes, "NEVER_COMPILED")[0].message
    assert "resume_from_checkpoint" in notes_of(notes, "RESUME_FROM")[0].message


def test_orphan_fan_out_multiple_parents_and_dangling_edges():
    extra_nodes = [node("img_c", "imageConfigNode", key="grey", suffix="_G"),
                   node("cap2", "captionConfigNode", key="other", ext=".txt", image="train")]
    extra_edges = [edge("o1", "imgs", "img_gone", "img_c"),       # slot removed: orphan
                   edge("f1", "caps", "cap_0", "cap2"),           # second edge from one slot
                   edge("m1", "imgs", "img_b", "img_b"),          # same slot again: fan-out, not a parent
                   edge("d1", "imgs", "img_a", "nowhere"),        # dangling
                   edge("p1", "tgts", "tgt_0", "img_a")]          # fan-out too
    graph, notes, result = imported(workflow(extra_nodes, extra_edges))
    assert notes_of(notes, "ORPHAN_EDGE")[0].where == "o1"
    assert [n.where for n in notes_of(notes, "FAN_OUT")] == ["f1", "m1", "p1"]
    assert notes_of(notes, "DANGLING_EDGE")[0].where == "d1"
    assert list(result.config["dataset_configs"][0]["caption_configs"]) == ["train"]
    assert "img_c" in {n.id for n in graph.nodes}  # kept, unconnected


def test_multiple_parents_after_a_clone():
    extra = [node("tgts2", "targetListNode", slots=["tgt_0"]), node("ds2", "datasetConfigNode",
                                                                     train_data_dir="data/b")]
    extra_edges = [edge("c1", "ds_list", "dataset_0", "ds2"), edge("c2", "tgts2", "tgt_0", "tgt")]
    _, notes, _ = imported(workflow(extra, extra_edges))
    assert notes_of(notes, "MULTIPLE_PARENTS")[0].where == "tgt"


def test_unknown_and_old_schema_nodes_are_reported_per_node():
    extra = [node("old", "oldSchemaRoot"), node("tpl", "configTemplateNode", templateJson="{}"),
             node("weird", "somethingNode")]
    graph, notes, _ = imported(workflow(extra, [edge("x1", "script", "old_out", "old")]))
    assert {n.where for n in notes_of(notes, "UNSUPPORTED_NODE")} == {"old", "tpl", "weird"}
    assert {"old", "tpl", "weird"}.isdisjoint(n.id for n in graph.nodes)


def test_reference_nodes_and_sample_types():
    extra = [node("refs", "referenceListNode", slots=["ref_0"]),
             node("grp", "referenceConfigNode", key="grp", slots=["entry_0", "entry_1"]),
             node("src1", "referenceEntryNode", sample_type="from_same_name", image="ref", resize="512"),
             node("src2", "referenceEntryNode", image="ref"),
             node("src3", "referenceEntryNode", sample_type="from_subdir", image="train", suffix="_x", count=2)]
    edges = [edge("r1", "ds", "reference_config", "refs"), edge("r2", "refs", "ref_0", "grp"),
             edge("r3", "grp", "entry_0", "src1"), edge("r4", "grp", "entry_1", "src2"),
             edge("r5", "grp", "entry_2", "src3")]  # entry_2 is not in slots: orphan
    wf = workflow(extra, edges)
    wf["nodes"][12]["data"]["reference_list"] = {"reference_config": "train", "resize": "384", "dropout": 0.1,
                                                 "min_length": 2}
    graph, notes, result = imported(wf)
    ds = result.config["dataset_configs"][0]
    assert ds["reference_configs"] == {"grp": [{"sample_type": "from_same_name", "image": "ref"},
                                               {"sample_type": "from_same_name", "image": "ref"}]}
    assert ds["caption_configs"]["train"]["reference_list"] == {"reference_config": "train", "resize": "384",
                                                                "dropout": 0.1, "min_length": 2}
    assert notes_of(notes, "MISSING_SAMPLE_TYPE")[0].where == "src2"
    assert notes_of(notes, "HIDDEN_FIELD_DROPPED")[0].where == "src1"
    dangling = notes_of(notes, "DANGLING_REFERENCE")[0]
    assert "reference_list.reference_config" in dangling.where and "'train'" in dangling.message


def test_unset_fields_the_original_left_out():
    extra = [node("img_new", "imageConfigNode", key="grey"), node("cap_new", "captionConfigNode", key="c2",
                                                                   image="train")]
    wf = workflow(extra, [edge("n1", "imgs", "img_c", "img_new"), edge("n2", "caps", "cap_1", "cap_new")])
    wf["nodes"][6]["data"]["slots"].append("img_c")
    wf["nodes"][11]["data"]["slots"].append("cap_1")
    _, notes, result = imported(wf)
    assert notes_of(notes, "ITEM_DROPPED_BY_ORIGINAL")[0].where == "img_new"
    assert any(n.where == "cap_new" and "ext" in n.message for n in notes_of(notes, "UNSET_FIELD"))
    assert result.config["dataset_configs"][0]["caption_configs"]["c2"]["ext"] == ".txt"


def test_json_out_straight_to_a_dataset_and_fallbacks():
    wf = workflow()
    wf["edges"] = [e for e in wf["edges"] if e["id"] not in ("e1", "e4", "e5")]
    wf["edges"].append(edge("j1", "script", "json_out", "ds"))
    graph, notes, result = imported(wf)
    assert "DATASET_LIST_ADDED" in codes(notes)
    assert notes_of(notes, "FALLBACK_USED")[0].where == "dir"  # first Directory anywhere, as the original did
    assert result.config["dataset_configs"][0]["train_data_dir"] == "data/a"
    assert result.config["output_dir"] == "o"


def test_no_script_node_and_missing_slots():
    wf = {"nodes": [node("imgs", "imageListNode"), node("a", "imageConfigNode", key="k", suffix="")],
          "edges": [edge("e", "imgs", "img_0", "a")], "timestamp": 1.5e9, "version": "1.0"}
    graph, notes, result = imported(wf)
    assert {"NO_SCRIPT_LOADER", "NO_SLOTS"} <= set(codes(notes))
    assert len(graph.find("script_loader")) == 1
    assert [lk.src for lk in graph.links] == ["a"]


def test_script_choice_and_f2k_reference_extra():
    extra = [node("refs", "referenceListNode", slots=["ref_0"]),
             node("grp", "referenceConfigNode", key="grp", slots=["entry_0"]),
             node("src", "referenceEntryNode", sample_type="from_same_name", image="ref")]
    edges = [edge("r1", "ds", "reference_config", "refs"), edge("r2", "refs", "ref_0", "grp"),
             edge("r3", "grp", "entry_0", "src")]
    wf = workflow(extra, edges, script=F2K)
    wf["nodes"][14]["data"]["reference_config"] = "grp"
    _, notes, result = imported(wf)
    assert result.script == F2K and "EXTRA_ADDED" in codes(notes)
    del wf["nodes"][0]["data"]["scriptName"]
    graph, notes, _ = imported(wf)
    assert "train_flux_lora_ui_kontext_new.py" in notes_of(notes, "SCRIPT_ASSUMED")[0].message
    graph, _, _ = imported(wf, F2K)
    assert graph.script() == F2K


def test_cleared_number_null_and_windows_paths():
    wf = workflow()
    wf["nodes"][2]["data"]["rank"] = None
    wf["nodes"][5]["data"]["train_data_dir"] = "E:\\data\\set\\"
    _, notes, result = imported(wf)
    assert notes_of(notes, "NULL_TRUNCATES")[0].where == "lora.rank"
    assert any(n.where == "ds" for n in notes_of(notes, "WINDOWS_PATH"))


@pytest.mark.parametrize("value", [[], {"nodes": []}, {"nodes": {}, "edges": []}, "x"])
def test_non_workflows_raise_the_typed_error(value):
    with pytest.raises(NotAnObjectError):
        import_workflow(value)
