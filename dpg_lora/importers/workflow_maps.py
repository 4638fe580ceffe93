"""The original React editor's node types, handles and hidden defaults, as data.

Only the original's vocabulary lives here (its type names, handle ids, default slot ids, what its
compiler wrote for keys the user never set); which of our inputs a node links into is asked of
the registry (`our_pin`). Source: the original editor's frontend (its node components'
`data` defaults and handle ids, its workflow JSON export, and its compile step), as read for
this project.
"""
from __future__ import annotations

from dpg_lora.specs import pin_fed_by

# original type -> our node type (new-schema nodes only; old-schema nodes have no counterpart yet)
NODE_TYPES = {
    "scriptNode": "script_loader",
    "directoryNode": "directory_setup",
    "loraNode": "lora_config",
    "miscNode": "misc_settings",
    "datasetListNode": "dataset_list",
    "datasetConfigNode": "dataset_config",
    "imageListNode": "image_list",
    "imageConfigNode": "image_item",
    "targetListNode": "target_list",
    "targetConfigNode": "target_item",
    "captionListNode": "caption_list",
    "captionConfigNode": "caption_item",
    "batchListNode": "batch_list",
    "batchConfigNode": "batch_item",
    "referenceListNode": "reference_list",
    "referenceConfigNode": "ref_group",
    "referenceEntryNode": "ref_source",
}

OLD_SCHEMA_TYPES = ("oldSchemaRoot", "oldImageListNode", "oldImageItemNode", "oldCaptionListNode",
                    "oldCaptionItemNode", "oldRefImageListNode", "oldRefImageItemNode",
                    "oldTrainingSetListNode", "oldTrainingSetItemNode", "oldLayoutListNode",
                    "oldLayoutItemNode")

# Output handles with fixed ids; list-like nodes use data.slots instead.
FIXED_HANDLES = {
    "scriptNode": ("dir_out", "lora_out", "misc_out", "json_out", "old_out"),
    "datasetConfigNode": ("image_config", "target_config", "reference_config", "caption_config",
                          "batch_config"),
    "oldSchemaRoot": ("image_configs", "caption_configs", "training_set"),
    "oldCaptionItemNode": ("ref_list",),
    "oldTrainingSetItemNode": ("layout_list",),
}

# list-like type -> (default slots when data.slots is missing, child type)
SLOT_PARENTS = {
    "datasetListNode": ("dataset_0", "datasetConfigNode"),
    "imageListNode": ("img_0", "imageConfigNode"),
    "targetListNode": ("tgt_0", "targetConfigNode"),
    "captionListNode": ("cap_0", "captionConfigNode"),
    "batchListNode": ("batch_0", "batchConfigNode"),
    "referenceListNode": ("ref_0", "referenceConfigNode"),
    "referenceConfigNode": ("entry_0", "referenceEntryNode"),
    "oldImageListNode": ("old_img_0", None),
    "oldCaptionListNode": ("old_cap_0", None),
    "oldTrainingSetListNode": ("old_ts_0", None),
    "oldRefImageListNode": ("old_ref_0", None),
    "oldLayoutListNode": ("old_lay_0", None),
}

# Dataset Configuration handle -> expected child type
DATASET_HANDLES = {
    "image_config": "imageListNode",
    "target_config": "targetListNode",
    "reference_config": "referenceListNode",
    "caption_config": "captionListNode",
    "batch_config": "batchListNode",
}

# Script Loader handles the original merged, in its order, and the node type each expects; the
# whitelist follows the target's type.
SCRIPT_ARG_HANDLES = ("dir_out", "lora_out", "misc_out")
ARG_NODE_TYPES = ("directoryNode", "loraNode", "miscNode")


def our_pin(parent: str, child: str) -> str:
    """Our input on the parent (original type) that the child (original type) links into."""
    pin = pin_fed_by(NODE_TYPES[parent], NODE_TYPES[child])
    if pin is None:
        raise KeyError(f"{NODE_TYPES[child]} does not feed {NODE_TYPES[parent]}")
    return pin.name


def loader_pin(child: str) -> str:
    """The Script Loader input an original Directory / LoRA / Misc node links into."""
    return our_pin("scriptNode", child)
FIRST_FRONTEND_SCRIPT = "train_flux_lora_ui_kontext_new.py"  # the original's fallback script

# data keys that are UI state, never values
UI_KEYS = ("label", "pinned", "slots", "onChange")

# What the original's compiler wrote for a top-level key its nodes left undefined (its built-in
# fallback values), and what its widgets showed meanwhile (their initial `data`). Key order is
# the original's output order.
ORIGINAL_WRITES = {
    "pretrained_model_name_or_path": "F:/T2ITrainer_pulic/…/LongCat-Image-Edit (the author's path)",
    "output_dir": "F:/ImageSet/longcat_test_edit_output",
    "logging_dir": "/home/waas/kontext_output/logs",
    "save_name": "test_edit",
    "train_data_dir": "F:/ImageSet/longcat",
    "model_path": "",
    "vae_path": "",
    "rank": 16,
    "rank_alpha": 16,
    "use_lokr": False,
    "lokr_factor": 8,
    "lora_layers": "all",
    "train_batch_size": 1,
    "learning_rate": 0.0001,
    "num_train_epochs": 10,
    "save_model_epochs": 1,
    "resolution": "1024",
    "mixed_precision": "bf16",
    "seed": 4321,
    "gradient_checkpointing": True,
    "optimizer": "adamw",
    "caption_dropout": 0.1,
    "recreate_cache": False,
    "validation_epochs": 1,
    "validation_ratio": 0.1,
    "guidance_scale": 1.0,
    "weighting_scheme": "logit_normal",
    "logit_mean": 0.0,
    "logit_std": 1.0,
    "mode_scale": 1.29,
    "blocks_to_swap": 10,
    "mask_dropout": 0.0,
    "freeze_transformer_layers": "",
    "freeze_single_transformer_layers": "",
}
ORIGINAL_SHOWED = {
    "pretrained_model_name_or_path": "", "output_dir": "", "logging_dir": "logs", "save_name": "",
    "train_data_dir": "", "model_path": "", "vae_path": "", "rank": 16, "rank_alpha": 16,
    "use_lokr": False, "lokr_factor": 4, "lora_layers": "", "resolution": "1024", "train_batch_size": 1,
    "num_train_epochs": 10, "learning_rate": 0.0001, "optimizer": "adamw", "mixed_precision": "bf16",
    "lr_scheduler": "cosine", "seed": 42, "caption_dropout": 0.1, "save_model_epochs": 1,
    "blocks_to_swap": 0, "gradient_checkpointing": False, "recreate_cache": False,
    "validation_epochs": 1, "validation_ratio": 0.1, "weighting_scheme": "logit_normal",
    "logit_mean": 0.0, "logit_std": 1.0, "mode_scale": 1.29, "guidance_scale": 1.0,
    "mask_dropout": 0.01, "freeze_transformer_layers": "", "freeze_single_transformer_layers": "",
    "report_to": "tensorboard", "resume_from": "",
}
# Which original node type held each key (for messages and for the whitelists).
ORIGINAL_NODE_OF_KEY = {
    **{k: "directoryNode" for k in ("pretrained_model_name_or_path", "output_dir", "logging_dir", "save_name",
                                    "train_data_dir", "model_path", "vae_path")},
    **{k: "loraNode" for k in ("rank", "rank_alpha", "use_lokr", "lokr_factor", "lora_layers")},
}
NEVER_COMPILED = ("report_to", "resume_from")  # Misc fields missing from the original's whitelist
