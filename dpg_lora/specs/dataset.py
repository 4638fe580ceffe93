"""Dataset List, Dataset Config and the five ordered lists that feed a dataset."""
from __future__ import annotations

from dpg_lora.specs.types import BOOL, INT, PATH, RESOLUTION, FieldSpec, NodeSpec, PinSpec

DATASET_LIST = NodeSpec(
    type="dataset_list",
    title="Dataset List",
    category="dataset",
    output="dataset_list",
    inputs=(PinSpec("datasets", "dataset", "Datasets", multi=True, required=True),),
    collect="list",
    help="dataset_configs, in link order.",
)

DATASET_CONFIG = NodeSpec(
    type="dataset_config",
    title="Dataset Config",
    category="dataset",
    output="dataset",
    fields=(
        FieldSpec("train_data_dir", PATH, "Data directory", "", required=True, folder=True,
                  path=("train_data_dir",),
                  help="Scanned recursively for images; its folder name names the dataset, so it must be "
                       "unique and must not end in a path separator."),
        FieldSpec("resolution", RESOLUTION, "Resolution", "", placeholder="global", path=("resolution",),
                  inherits="resolution",
                  help="The bucket size of this dataset and the default resize of its targets and "
                       "references; empty = the Misc resolution."),
        FieldSpec("repeats", INT, "Repeats", 1, min=1, path=("repeats",),
                  help="Each sample of this dataset is used this many times per epoch (the qwen scripts "
                       "multiply it by Misc's global repeats)."),
        FieldSpec("recreate_cache", BOOL, "Recreate cache", False, path=("recreate_cache",),
                  help="Rebuild this dataset's cache, per-sample JSON included: needed after any change to "
                       "its images, targets, references or captions. The qwen scripts read only this flag."),
        # All three part flags are always written (none is optional): the dataset_configs scripts
        # read recreate_cache_caption only when recreate_cache_reference is present
        # (train_longcat.py:840), so one written alone raises KeyError or is ignored.
        FieldSpec("recreate_cache_target", BOOL, "Recreate targets", False, path=("recreate_cache_target",),
                  help="Re-encode the target latents; the per-sample JSON is kept unless Recreate cache is "
                       "on."),
        FieldSpec("recreate_cache_reference", BOOL, "Recreate references", False,
                  path=("recreate_cache_reference",),
                  help="Re-encode the reference latents; the per-sample JSON is kept unless Recreate cache "
                       "is on."),
        FieldSpec("recreate_cache_caption", BOOL, "Recreate captions", False, path=("recreate_cache_caption",),
                  help="Re-encode the caption embeddings of the samples whose JSON is rebuilt."),
    ),
    inputs=(
        PinSpec("images", "image_list", "Image List", required=True, writes="image_configs", key_kind="image"),
        PinSpec("targets", "target_list", "Target List", required=True, writes="target_configs",
                key_kind="target"),
        PinSpec("references", "reference_list", "Reference List", writes="reference_configs",
                key_kind="reference"),
        PinSpec("captions", "caption_list", "Caption List", required=True, writes="caption_configs",
                key_kind="caption"),
        PinSpec("batches", "batch_list", "Batch List", required=True, writes="batch_configs"),
    ),
    key_order=("train_data_dir", "resolution", "recreate_cache", "repeats"),
)


def _list(type_: str, title: str, item: str, item_label: str, collect: str, help: str,
          items_required: bool = True) -> NodeSpec:
    return NodeSpec(type=type_, title=title, category="lists", output=type_, collect=collect, help=help,
                    inputs=(PinSpec("items", item, item_label, multi=True, required=items_required),))


IMAGE_LIST = _list("image_list", "Image List", "image", "Images", "map",
                   "image_configs; the first image is the base image.")
TARGET_LIST = _list("target_list", "Target List", "target", "Targets", "map_append",
                    "target_configs; items with the same key stack into one list, so their images "
                    "must have the same size.")
CAPTION_LIST = _list("caption_list", "Caption List", "caption", "Captions", "map", "caption_configs")
BATCH_LIST = _list("batch_list", "Batch List", "batch", "Batches", "list",
                   "batch_configs; one is drawn per step, by weight.")
# An empty Reference List writes "reference_configs": {}, which the scripts accept (several of
# the trainer's own configs have it); the other lists empty are errors the rules name.
REFERENCE_LIST = _list("reference_list", "Reference List", "ref_group", "Groups", "map",
                       "reference_configs (may be empty)", items_required=False)

NODES = (DATASET_LIST, DATASET_CONFIG, IMAGE_LIST, TARGET_LIST, CAPTION_LIST, BATCH_LIST, REFERENCE_LIST)
