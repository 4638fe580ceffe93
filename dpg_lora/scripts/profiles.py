"""The seven trainer scripts and the union of their argparse arguments, as data.

Source: an AST walk over every add_argument call of the seven train_*.py scripts at T2ITrainer
08ec6a9, and their bucket tables (utils/image_utils_longcat.py:37, utils/image_utils_qwenimage.py:36,
utils/image_utils_flux2klein.py:31).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LC = "train_longcat.py"
LCE = "train_longcat_edit.py"
QI = "train_qwen_image_new.py"
QIE = "train_qwen_image_edit_new.py"
QEF = "train_qwen_edit_with_freq.py"
F2K = "train_flux2klein.py"
KTX = "train_flux_lora_ui_kontext_new.py"

NEW_SCHEMA = (LC, LCE, QI, QIE, QEF, F2K)
ALL = NEW_SCHEMA + (KTX,)
DEFAULT_SCRIPT = LC

BUCKETS_FULL = (128, 256, 384, 512, 768, 1024, 1328, 1536, 2048)
BUCKETS_F2K = (512, 768, 1024, 1536, 2048)
BUCKETS_KTX = (512, 768, 1024, 1328, 1536, 2048)


@dataclass(frozen=True)
class ScriptProfile:
    name: str
    short: str
    schema: str  # "new" (dataset_configs) or "old" (image_configs/caption_configs/training_set)
    buckets: tuple[int, ...]
    # dataset keys the script indexes directly (KeyError when absent), beyond the schema's own
    dataset_required: tuple[str, ...] = ()
    reads_instruction: bool = False
    reference_list: str = "used"  # "used", "ignored", "crashes", "key_only"
    reference_list_resize_default: str = "384"
    needs_reference_config_extra: bool = False
    reads_reference_dropout: bool = True
    description: str = ""


_NEW_REQUIRED = ("train_data_dir", "image_configs", "target_configs", "caption_configs", "batch_configs")

SCRIPTS: dict[str, ScriptProfile] = {
    p.name: p
    for p in (
        ScriptProfile(LC, "LC", "new", BUCKETS_FULL, _NEW_REQUIRED, reference_list="crashes",
                      description="LongCat-Image, single images"),
        ScriptProfile(LCE, "LCE", "new", BUCKETS_FULL, _NEW_REQUIRED,
                      reference_list_resize_default="dataset resolution",
                      description="LongCat-Image-Edit, edit pairs with references"),
        ScriptProfile(QI, "QI", "new", BUCKETS_FULL, _NEW_REQUIRED + ("recreate_cache",),
                      reads_instruction=True, reference_list="ignored",
                      description="Qwen-Image"),
        ScriptProfile(QIE, "QIE", "new", BUCKETS_FULL, _NEW_REQUIRED + ("recreate_cache",),
                      reads_instruction=True, description="Qwen-Image-Edit"),
        ScriptProfile(QEF, "QEF", "new", BUCKETS_FULL, _NEW_REQUIRED + ("recreate_cache",),
                      reads_instruction=True, description="Qwen-Image-Edit with frequency loss"),
        ScriptProfile(F2K, "F2K", "new", BUCKETS_F2K, _NEW_REQUIRED, reference_list="key_only",
                      needs_reference_config_extra=True, reads_reference_dropout=False,
                      description="FLUX.2 klein"),
        ScriptProfile(KTX, "KTX", "old", BUCKETS_KTX,
                      description="FLUX Kontext (old schema: image_configs/caption_configs/training_set)"),
    )
}


@dataclass(frozen=True)
class ArgSpec:
    name: str
    type: str  # "int", "float", "bool", "str"
    default: Any
    scripts: tuple[str, ...] = ALL
    overrides: dict[str, Any] = field(default_factory=dict)  # per-script default
    read: bool = True  # False: parsed but never read by the code (e.g. mask_dropout, vae_path, use_debias, snr_gamma)
    choices: tuple[str, ...] = ()


def _a(name, type_, default, scripts=ALL, read=True, choices=(), **overrides):
    return ArgSpec(name, type_, default, tuple(scripts), dict(overrides), read, tuple(choices))


_NOT_LC = tuple(s for s in ALL if s != LC)
_NOT_KTX = NEW_SCHEMA
_LONGCAT_F2K = (LC, LCE, F2K)

# Every argument any of the seven scripts declares. `overrides` keys are script short names.
ARGS: dict[str, ArgSpec] = {
    a.name: a
    for a in (
        _a("pretrained_model_name_or_path", "str", None),
        _a("repeats", "int", 1, _NOT_LC),
        _a("validation_epochs", "int", 1),
        _a("output_dir", "str", "flux-dreambooth"),
        _a("seed", "int", 42),
        _a("train_batch_size", "int", 1),
        _a("num_train_epochs", "int", 1),
        _a("resume_from_checkpoint", "str", None),
        _a("save_name", "str", "flux_"),
        _a("gradient_accumulation_steps", "int", 1),
        _a("gradient_checkpointing", "bool", False),
        _a("learning_rate", "float", 0.0001),
        _a("lr_scheduler", "str", "cosine"),
        _a("cosine_restarts", "int", 1),
        _a("lr_warmup_steps", "int", 50),
        _a("optimizer", "str", "AdamW"),
        _a("use_8bit_adam", "bool", False, read=False),
        _a("adam_beta1", "float", 0.9, read=False),
        _a("adam_beta2", "float", 0.999, read=False),
        _a("prodigy_beta3", "float", None, read=False),
        _a("prodigy_decouple", "bool", True, read=False),
        _a("adam_weight_decay", "float", 0.01, read=False),
        _a("adam_weight_decay_text_encoder", "float", 0.001, read=False),
        _a("adam_epsilon", "float", 1e-08, read=False),
        _a("prodigy_use_bias_correction", "bool", True, read=False),
        _a("prodigy_safeguard_warmup", "bool", True, read=False),
        _a("prodigy_d_coef", "float", 2.0, read=False),
        _a("max_grad_norm", "float", 1.0, read=False),
        _a("logging_dir", "str", "logs"),
        _a("report_to", "str", "wandb"),
        _a("mixed_precision", "str", "bf16", choices=("bf16", "fp8"), KTX=None),
        _a("train_data_dir", "str", "", _NOT_LC),
        _a("rank", "int", 4),
        _a("save_model_epochs", "int", 1),
        _a("save_model_steps", "int", -1),
        _a("skip_epoch", "int", 0),
        _a("skip_step", "int", 0),
        _a("validation_ratio", "float", 0.1),
        _a("model_path", "str", None),
        _a("allow_tf32", "bool", False),
        _a("recreate_cache", "bool", False),
        _a("recreate_cache_target", "bool", False, _NOT_KTX),
        _a("recreate_cache_reference", "bool", False, _NOT_KTX),
        _a("recreate_cache_caption", "bool", False, _NOT_KTX),
        _a("caption_dropout", "float", 0.1),
        _a("mask_dropout", "float", 0.01, read=False),
        _a("vae_path", "str", None, read=False),
        _a("resolution", "str", "512"),
        _a("use_debias", "bool", False, read=False),
        _a("snr_gamma", "float", 5.0, read=False),
        _a("max_time_steps", "int", 1000, read=False),
        _a("weighting_scheme", "str", "logit_normal",
           choices=("sigma_sqrt", "logit_normal", "mode", "cosmap", "logit_snr")),
        _a("logit_mean", "float", 0.0),
        _a("logit_std", "float", 1.0),
        _a("mode_scale", "float", 1.29),
        _a("freeze_transformer_layers", "str", ""),
        _a("lora_layers", "str", None),
        _a("guidance_scale", "float", 1.0),
        _a("blocks_to_swap", "int", 10, QI=0, QIE=0, QEF=0),
        _a("noise_offset", "float", 0.01, read=False),
        _a("reg_ratio", "float", 0.0, read=False),
        _a("reg_timestep", "int", 0, read=False),
        _a("config_path", "str", "config.json", LC="config_longcat_dev_local.json",
           LCE="config_longcat_edit_local.json", QEF="config_new_pairs_multiple.json"),
        _a("use_two_captions", "bool", False, read=False),
        _a("slider_positive_scale", "float", 1.0, read=False),
        _a("slider_negative_scale", "float", -1.0, read=False),
        _a("use_lokr", "bool", False),
        _a("rank_alpha", "float", 2.0),
        _a("lokr_factor", "float", 8.0),
        _a("nln_samples", "int", 10, _NOT_KTX),
        _a("nln_scale", "float", 0.02, _NOT_KTX),
        _a("nln_method", "str", "nln_directional", _NOT_KTX),
        _a("low_freq_weight", "float", 1.0, (QEF,)),
        _a("high_freq_weight", "float", 1.0, (QEF,)),
        _a("use_freq_loss", "bool", False, (QEF,)),
        _a("freeze_single_transformer_layers", "str", "", _LONGCAT_F2K),
        _a("use_new_rope", "bool", False, _LONGCAT_F2K, read=False),
    )
}


def profile(script: str) -> ScriptProfile:
    """The profile of a script name; unknown names fall back to the default script's."""
    return SCRIPTS.get(script) or SCRIPTS[DEFAULT_SCRIPT]


def arg_default(name: str, script: str) -> Any:
    """The argparse default of `name` in `script` (None where argparse's default is None)."""
    spec = ARGS[name]
    short = profile(script).short
    return spec.overrides.get(short, spec.default)
