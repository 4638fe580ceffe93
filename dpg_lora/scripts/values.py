"""Values the trainer and its libraries accept for the named arguments (what the scripts check,
or fall back on, at T2ITrainer 08ec6a9).

One list per argument, read by the node specs (choices) and the validator (what is rejected).
"""
from __future__ import annotations

from dpg_lora.scripts.profiles import ARGS

PRECISIONS = ("no", "fp16", "bf16", "fp8")  # accelerate's mixed_precision
TRACKERS = ("all", "tensorboard", "wandb", "comet_ml", "aim", "mlflow", "clearml", "dvclive",
            "swanlab", "trackio")  # accelerate's log_with names; "none" is rejected
OPTIMIZERS = ("AdamW", "Prodigy")  # matched case-insensitively; anything else falls back to AdamW
SCHEDULERS = ("linear", "cosine", "cosine_with_restarts", "polynomial", "constant",
              "constant_with_warmup", "piecewise_constant")  # diffusers names, case-sensitive
WEIGHTING_SCHEMES = ARGS["weighting_scheme"].choices
NLN_METHODS = ("nln_directional", "nln", "default")  # any other string acts as nln_directional
