"""Hand-written configs and graphs for the validation tests (no upstream fixtures copied)."""
from __future__ import annotations

import copy

from dpg_lora.builder import GraphBuilder
from dpg_lora.scripts.profiles import F2K, KTX, QEF, QI, QIE
from tests.graphs import pairs_builder

SOUND_NEW = {
    "pretrained_model_name_or_path": "models/base",
    "output_dir": "output/run",
    "save_name": "run",
    "resume_from_checkpoint": "",
    "rank": 16,
    "learning_rate": 0.0001,
    "train_batch_size": 1,
    "num_train_epochs": 10,
    "gradient_checkpointing": True,
    "mixed_precision": "bf16",
    "optimizer": "AdamW",
    "lr_scheduler": "cosine",
    "report_to": "tensorboard",
    "resolution": "1024",
    "save_model_epochs": 1,
    "save_model_steps": -1,
    "validation_epochs": 1,
    "validation_ratio": 0.1,
    "dataset_configs": [{
        "train_data_dir": "datasets/pairs",
        "resolution": "1024",
        "recreate_cache": False,
        "repeats": 1,
        "recreate_cache_target": False,
        "recreate_cache_reference": False,
        "recreate_cache_caption": False,
        "image_configs": {"train": {"suffix": "_T"}, "ref": {"suffix": "_R"}},
        "target_configs": {"train": [{"image": "train"}]},
        "reference_configs": {"ref": [{"sample_type": "from_same_name", "image": "ref"}]},
        "caption_configs": {"train": {"image": "train", "ext": ".txt"}},
        "batch_configs": [{"target_config": "train", "caption_config": "train", "reference_config": "ref"}],
    }],
}

SOUND_KTX = {
    "pretrained_model_name_or_path": "models/kontext",
    "train_data_dir": "datasets/pairs",
    "resolution": "1024",
    "mixed_precision": "bf16",
    "image_configs": {"train": {"suffix": "_T"}, "ref": {"suffix": "_R"}},
    "caption_configs": {"train": {"ext": ".txt"}},
    "training_set": [{
        "training_layout_configs": {"train": {"target": "train", "noised": True},
                                    "ref": {"target": "ref"}},
        "captions_selection": {"target": "train"},
    }],
}


def sound(script: str) -> dict:
    """A config with no error and no warning for `script`."""
    if script == KTX:
        return copy.deepcopy(SOUND_KTX)
    config = copy.deepcopy(SOUND_NEW)
    if script == F2K:
        ds = config["dataset_configs"][0]
        ds["batch_configs"][0]["reference_config_extra"] = {"dropout": 0.0, "min": 0}
    return config


def ds(config: dict, i: int = 0) -> dict:
    return config["dataset_configs"][i]


def codes(findings, severity: str | None = None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity == severity}


def by_code(findings, code: str):
    return [f for f in findings if f.code == code]


def graph(script: str = "train_longcat_edit.py", references: bool = True, **misc):
    """A small sound graph; returns the builder so tests can add or change nodes before compiling."""
    return pairs_builder(script, references, **misc)


def node(builder: GraphBuilder, node_id: str):
    return next(n for n in builder.graph.nodes if n.id == node_id)


REQUIRES_RECREATE = (QI, QIE, QEF)
