"""Values of top-level arguments that the trainer or its libraries reject or quietly replace
(train_longcat.py:644-664 and 1645-1650: hard-coded optimizer settings and the optimizer
fallback; accelerate 1.15 and diffusers name lists)."""
from __future__ import annotations

import re

from dpg_lora.scripts.profiles import KTX
from dpg_lora.scripts.values import NLN_METHODS, PRECISIONS, SCHEDULERS, TRACKERS, WEIGHTING_SCHEMES
from dpg_lora.scripts.values import OPTIMIZERS as OPTIMIZER_NAMES
from dpg_lora.validation import ERROR, WARNING, Finding, rule
from dpg_lora.validation.shape import is_int, is_number, path_basename, short

OPTIMIZERS = tuple(name.lower() for name in OPTIMIZER_NAMES)
MODULO_DIVISORS = ("save_model_steps", "save_model_epochs", "validation_epochs")
_CHECKPOINT_STEP = re.compile(r"-\d+$")


def _text(config: dict, key: str) -> str | None:
    value = config.get(key)
    return value if isinstance(value, str) else None


@rule("mixed_precision")
def check_mixed_precision(config: dict, script: str):
    value = _text(config, "mixed_precision")
    if value is None:
        return
    if value not in PRECISIONS:
        yield Finding("MIXED_PRECISION", ERROR, ("mixed_precision",),
                      f"accelerate rejects {short(value)}; use one of {', '.join(PRECISIONS)}")
    elif value == "fp8":
        yield Finding("MIXED_PRECISION_FP8", WARNING, ("mixed_precision",),
                      "fp8 needs torchao, transformer-engine or MS-AMP installed (ImportError otherwise); "
                      "bf16 works everywhere")


@rule("report_to")
def check_report_to(config: dict, script: str):
    value = _text(config, "report_to")
    if value is None or value.lower() in TRACKERS:
        return
    hint = "; to log nowhere use tensorboard (it only writes local files)" if value.lower() == "none" else ""
    yield Finding("REPORT_TO", ERROR, ("report_to",),
                  f"accelerate rejects tracker {short(value)} (ValueError at start){hint}; "
                  f"use one of {', '.join(TRACKERS)}")


@rule("optimizer")
def check_optimizer(config: dict, script: str):
    value = _text(config, "optimizer")
    if value is None or value.lower() in OPTIMIZERS:
        return
    yield Finding("OPTIMIZER", WARNING, ("optimizer",),
                  f"{short(value)} is not AdamW or Prodigy; the trainer logs a warning and uses AdamW "
                  "(always 8-bit); write AdamW or Prodigy")


# Names checked against a fixed list: (key, accepted names, code, severity, what happens otherwise,
# scripts that do not read the key). Messages end with the accepted names.
NAME_LISTS = (
    ("lr_scheduler", SCHEDULERS, "LR_SCHEDULER", ERROR,
     "diffusers has no scheduler {value} (names are case-sensitive)", ()),
    ("weighting_scheme", WEIGHTING_SCHEMES, "WEIGHTING_SCHEME", ERROR,
     "{value} is not a weighting scheme, so timesteps are silently sampled uniformly", ()),
    ("nln_method", NLN_METHODS, "NLN_METHOD", WARNING,
     "{value} is not a noise method, so nln_directional is used", (KTX,)),
)


@rule("name_lists")
def check_name_lists(config: dict, script: str):
    for key, names, code, severity, problem, not_read_by in NAME_LISTS:
        value = _text(config, key)
        if value is not None and value not in names and script not in not_read_by:
            yield Finding(code, severity, (key,),
                          f"{problem.format(value=short(value))}; use one of {', '.join(names)}")


@rule("step_settings")
def check_step_settings(config: dict, script: str):
    for key in MODULO_DIVISORS:
        if is_number(config.get(key)) and config[key] == 0:
            yield Finding("ZERO_DIVISOR", ERROR, (key,),
                          f"{key} = 0 raises ZeroDivisionError during training (it is used with %); "
                          + ("use -1 to never save by steps" if key == "save_model_steps" else "use 1 or more"))
    size = config.get("train_batch_size")
    if is_number(size) and size <= 0:
        yield Finding("BATCH_SIZE", ERROR, ("train_batch_size",),
                      f"train_batch_size {size} makes the bucket sampler raise ValueError; use 1 or more")
    epochs = config.get("num_train_epochs")
    if is_number(epochs) and epochs <= 0:
        yield Finding("NO_EPOCHS", WARNING, ("num_train_epochs",),
                      f"num_train_epochs {epochs} trains nothing; use 1 or more")
    ratio = config.get("validation_ratio")
    if is_number(ratio) and not 0 <= ratio < 1:
        yield Finding("VALIDATION_RATIO", ERROR, ("validation_ratio",),
                      f"validation_ratio {ratio} is outside [0, 1): train_test_split raises ValueError; "
                      "use 0 for no validation or e.g. 0.1")
    grad_acc = config.get("gradient_accumulation_steps")
    if is_int(grad_acc) and grad_acc <= 0:
        yield Finding("GRADIENT_ACCUMULATION", ERROR, ("gradient_accumulation_steps",),
                      f"gradient_accumulation_steps {grad_acc} breaks the step arithmetic; use 1 or more")


@rule("resume_from_checkpoint")
def check_resume(config: dict, script: str):
    value = _text(config, "resume_from_checkpoint")
    if not value:
        return
    if script == KTX and value == "latest":
        return
    name = path_basename(value)
    if not _CHECKPOINT_STEP.search(name):
        latest = " ('latest' works only with the Kontext script)" if value == "latest" else ""
        yield Finding("RESUME_CHECKPOINT", ERROR, ("resume_from_checkpoint",),
                      f"the checkpoint folder name {short(name)} must end in -<step>, e.g. "
                      f"checkpoint-1000{latest}; the trainer parses the step from it (ValueError otherwise)")


@rule("lora_layers")
def check_lora_layers(config: dict, script: str):
    value = _text(config, "lora_layers")
    if value is None or value.strip().lower() != "all":
        return
    if script == KTX:
        if config.get("use_lokr") is not True:
            yield Finding("LORA_LAYERS_ALL", ERROR, ("lora_layers",),
                          "the Kontext script treats 'all' as a module name and PEFT fails (target "
                          "modules not found); leave lora_layers empty for the default modules")
    elif value != "all":  # only the exact word selects the built-in list in the new scripts
        yield Finding("LORA_LAYERS_ALL", WARNING, ("lora_layers",),
                      f"{short(value)} is read as a module name; write all (or leave it empty) for the "
                      "script's built-in module list")
