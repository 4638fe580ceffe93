"""The original React editor's node types, handles and hidden defaults, as data.

Source: reference/original-editor.md §1 (node catalogue), §2.1 and §2.5 (what its compiler wrote
for fields the user never touched), §3 (workflow file format).
"""
from __future__ import annotations

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

# list-like type -> (default slots when data.slots is missing, child type, our input pin on the list)
SLOT_PARENTS = {
    "datasetListNode": ("dataset_0", "datasetConfigNode", "datasets"),
    "imageListNode": ("img_0", "imageConfigNode", "items"),
    "targetListNode": ("tgt_0", "targetConfigNode", "items"),
    "captionListNode": ("cap_0", "captionConfigNode", "items"),
    "batchListNode": ("batch_0", "batchConfigNode", "items"),
    "referenceListNode": ("ref_0", "referenceConfigNode", "items"),
    "referenceConfigNode": ("entry_0", "referenceEntryNode", "sources"),
    "oldImageListNode": ("old_img_0", None, None),
    "oldCaptionListNode": ("old_cap_0", None, None),
    "oldTrainingSetListNode": ("old_ts_0", None, None),
    "oldRefImageListNode": ("old_ref_0", None, None),
    "oldLayoutListNode": ("old_lay_0", None, None),
}

# Dataset Configuration handle -> (expected child type, our Dataset Config input)
DATASET_HANDLES = {
    "image_config": ("imageListNode", "images"),
    "target_config": ("targetListNode", "targets"),
    "reference_config": ("referenceListNode", "references"),
    "caption_config": ("captionListNode", "captions"),
    "batch_config": ("batchListNode", "batches"),
}

# Script Loader handles the original merged, in its order; the whitelist follows the target's type.
SCRIPT_ARG_HANDLES = ("dir_out", "lora_out", "misc_out")
LOADER_PIN_OF_TYPE = {"directoryNode": "directory", "loraNode": "lora", "miscNode": "misc"}
FIRST_FRONTEND_SCRIPT = "train_flux_lora_ui_kontext_new.py"  # the original's fallback script

# data keys that are UI state, never values
UI_KEYS = ("label", "pinned", "slots", "onChange")

# What the original's compiler wrote for a top-level key its nodes left undefined (§2.5), and
# what its widgets showed meanwhile (§1.2). Key order is the original's output order.
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
