"""Small graphs for core tests, built through the registry (no fixtures from upstream)."""
from __future__ import annotations

from dpg_lora.builder import GraphBuilder


def small_graph(script: str = "train_longcat.py", datasets: int = 1, **misc):
    b = GraphBuilder("small", "a test graph")
    s = b.add("script_loader", "script", script=script)
    b.add_into(s, "directory", "directory_setup", "dir", pretrained_model_name_or_path="models/base")
    b.add_into(s, "lora", "lora_config", "lora", rank=8)
    b.add_into(s, "misc", "misc_settings", "misc", **misc)
    dl = b.add_into(s, "datasets", "dataset_list", "dl")
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
