"""The one graph builder for tests: sound training graphs built through the registry (no upstream
fixtures). Tests change nodes on the returned graph or builder before compiling."""
from __future__ import annotations

from dpg_lora.builder import GraphBuilder


def top_nodes(b: GraphBuilder, script: str, **misc) -> str:
    """Script Loader with Directory, LoRA and Misc; returns the (empty) Dataset List's id."""
    s = b.add("script_loader", "script", script=script)
    b.add_into(s, "directory", "directory_setup", "dir", pretrained_model_name_or_path="models/base")
    b.add_into(s, "lora", "lora_config", "lora", rank=8)
    b.add_into(s, "misc", "misc_settings", "misc", **misc)
    return b.add_into(s, "datasets", "dataset_list", "dl")


def small_graph(script: str = "train_longcat.py", datasets: int = 1, **misc):
    """`datasets` single-image datasets (ids suffixed 0, 1, ...): one image, target, caption, batch."""
    b = GraphBuilder("small", "a test graph")
    dl = top_nodes(b, script, **misc)
    for i in range(datasets):
        ds = b.add_into(dl, "datasets", "dataset_config", f"ds{i}", train_data_dir=f"data/set{i}")
        il = b.add_into(ds, "images", "image_list", f"il{i}")
        b.add_into(il, "items", "image_item", f"img{i}", key="train", suffix="_T")
        tl = b.add_into(ds, "targets", "target_list", f"tl{i}")
        b.add_into(tl, "items", "target_item", f"tgt{i}", key="train", image="train")
        cl = b.add_into(ds, "captions", "caption_list", f"cl{i}")
        b.add_into(cl, "items", "caption_item", f"cap{i}", key="train", image="train")
        bl = b.add_into(ds, "batches", "batch_list", f"bl{i}")
        b.add_into(bl, "items", "batch_item", f"bat{i}", target_config="train", caption_config="train")
    return b.build()


def pairs_builder(script: str = "train_longcat_edit.py", references: bool = True, **misc) -> GraphBuilder:
    """One edit-pairs dataset (train/ref images), optionally with a reference group; the builder."""
    b = GraphBuilder("validation", "a validation test graph")
    dl = top_nodes(b, script, **misc)
    ds_id = b.add_into(dl, "datasets", "dataset_config", "ds0", train_data_dir="data/pairs")
    il = b.add_into(ds_id, "images", "image_list", "il")
    b.add_into(il, "items", "image_item", "img_t", key="train", suffix="_T")
    b.add_into(il, "items", "image_item", "img_r", key="ref", suffix="_R")
    tl = b.add_into(ds_id, "targets", "target_list", "tl")
    b.add_into(tl, "items", "target_item", "tgt", key="train", image="train")
    cl = b.add_into(ds_id, "captions", "caption_list", "cl")
    b.add_into(cl, "items", "caption_item", "cap", key="train", image="train")
    bl = b.add_into(ds_id, "batches", "batch_list", "bl")
    batch = {"target_config": "train", "caption_config": "train"}
    if references:
        rl = b.add_into(ds_id, "references", "reference_list", "rl")
        grp = b.add_into(rl, "items", "ref_group", "grp", key="ref")
        b.add_into(grp, "sources", "ref_source", "src", image="ref")
        batch["reference_config"] = "ref"
    b.add_into(bl, "items", "batch_item", "bat", **batch)
    return b
