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
        yield Finding("MIXED_PRECISION", ERROR, ("mixed_precision",), "problem.mixed_precision",
                      {"value": short(value), "choices": ", ".join(PRECISIONS)})
    elif value == "fp8":
        yield Finding("MIXED_PRECISION_FP8", WARNING, ("mixed_precision",), "problem.mixed_precision_fp8")


@rule("report_to")
def check_report_to(config: dict, script: str):
    value = _text(config, "report_to")
    if value is None or value.lower() in TRACKERS:
        return
    key = "problem.report_to_none" if value.lower() == "none" else "problem.report_to"
    yield Finding("REPORT_TO", ERROR, ("report_to",), key, {"value": short(value), "choices": ", ".join(TRACKERS)})


@rule("optimizer")
def check_optimizer(config: dict, script: str):
    value = _text(config, "optimizer")
    if value is None or value.lower() in OPTIMIZERS:
        return
    yield Finding("OPTIMIZER", WARNING, ("optimizer",), "problem.optimizer", {"value": short(value)})


# Names checked against a fixed list: (key, accepted names, code, severity, the problem's text key
# (filled with value and choices), scripts that do not read the key).
NAME_LISTS = (
    ("lr_scheduler", SCHEDULERS, "LR_SCHEDULER", ERROR, "problem.lr_scheduler", ()),
    ("weighting_scheme", WEIGHTING_SCHEMES, "WEIGHTING_SCHEME", ERROR, "problem.weighting_scheme", ()),
    ("nln_method", NLN_METHODS, "NLN_METHOD", WARNING, "problem.nln_method", (KTX,)),
)


@rule("name_lists")
def check_name_lists(config: dict, script: str):
    for key, names, code, severity, text_key, not_read_by in NAME_LISTS:
        value = _text(config, key)
        if value is not None and value not in names and script not in not_read_by:
            yield Finding(code, severity, (key,), text_key, {"value": short(value), "choices": ", ".join(names)})


@rule("step_settings")
def check_step_settings(config: dict, script: str):
    for key in MODULO_DIVISORS:
        if is_number(config.get(key)) and config[key] == 0:
            yield Finding("ZERO_DIVISOR", ERROR, (key,),
                          "problem.zero_save_steps" if key == "save_model_steps" else "problem.zero_divisor",
                          {"key": key})
    size = config.get("train_batch_size")
    if is_number(size) and size <= 0:
        yield Finding("BATCH_SIZE", ERROR, ("train_batch_size",), "problem.batch_size", {"value": size})
    epochs = config.get("num_train_epochs")
    if is_number(epochs) and epochs <= 0:
        yield Finding("NO_EPOCHS", WARNING, ("num_train_epochs",), "problem.no_epochs", {"value": epochs})
    ratio = config.get("validation_ratio")
    if is_number(ratio) and not 0 <= ratio < 1:
        yield Finding("VALIDATION_RATIO", ERROR, ("validation_ratio",), "problem.validation_ratio", {"value": ratio})
    grad_acc = config.get("gradient_accumulation_steps")
    if is_int(grad_acc) and grad_acc <= 0:
        yield Finding("GRADIENT_ACCUMULATION", ERROR, ("gradient_accumulation_steps",),
                      "problem.gradient_accumulation", {"value": grad_acc})


@rule("resume_from_checkpoint")
def check_resume(config: dict, script: str):
    value = _text(config, "resume_from_checkpoint")
    if not value:
        return
    if script == KTX and value == "latest":
        return
    name = path_basename(value)
    if not _CHECKPOINT_STEP.search(name):
        yield Finding("RESUME_CHECKPOINT", ERROR, ("resume_from_checkpoint",),
                      "problem.resume_latest" if value == "latest" else "problem.resume_checkpoint",
                      {"name": short(name)})


@rule("lora_layers")
def check_lora_layers(config: dict, script: str):
    value = _text(config, "lora_layers")
    if value is None or value.strip().lower() != "all":
        return
    if script == KTX:
        if config.get("use_lokr") is not True:
            yield Finding("LORA_LAYERS_ALL", ERROR, ("lora_layers",), "problem.lora_layers_all_kontext")
    elif value != "all":  # only the exact word selects the built-in list in the new scripts
        yield Finding("LORA_LAYERS_ALL", WARNING, ("lora_layers",), "problem.lora_layers_case", {"value": short(value)})
