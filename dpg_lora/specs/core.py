"""Script Loader (the output node) and the Directory, LoRA, Misc and Extra settings nodes."""
from __future__ import annotations

from dpg_lora.scripts.profiles import DEFAULT_SCRIPT, SCRIPTS
from dpg_lora.scripts.values import NLN_METHODS, OPTIMIZERS, PRECISIONS, SCHEDULERS, TRACKERS, WEIGHTING_SCHEMES
from dpg_lora.specs.types import (
    BOOL, CHOICE, INT, PATH, RESOLUTION, STR, FieldSpec, NodeSpec, PinSpec, arg_field,
)

LAUNCHERS = ("python", "accelerate")

_ACCEL = ("launcher", "accelerate")

SCRIPT_LOADER = NodeSpec(
    type="script_loader",
    title="Script Loader",
    category="core",
    help="The output node: which trainer script runs, where, and how.",
    fields=(
        FieldSpec("script", CHOICE, "Training script", DEFAULT_SCRIPT, choices=tuple(SCRIPTS),
                  choices_from="scripts",
                  help="The T2ITrainer script to run; defaults and checks follow it."),
        FieldSpec("host", STR, "Host", "", placeholder="this machine",
                  help="Where the run happens: empty = this machine; else an ssh destination "
                       "(user@host, ssh://user@host:port or an alias from your ssh config). The "
                       "paths below are then on that host. Several hosts (comma-separated, machine "
                       "0 first) run the script under accelerate on each."),
        FieldSpec("trainer_dir", PATH, "Trainer directory", ".", machine=True, folder=True,
                  help="Where the scripts live; the working directory of a run. "
                       "Default: DPG_LORA_TRAINER_DIR, else the current folder."),
        FieldSpec("config_path", PATH, "Config path", "config.json",
                  help="Where the JSON config is written (relative to the trainer directory)."),
        FieldSpec("python", PATH, "Python interpreter", "python", machine=True,
                  help="The interpreter that has the trainer's dependencies. "
                       "Default: DPG_LORA_PYTHON, else `python`."),
        FieldSpec("launcher", CHOICE, "Launcher", "python", choices=LAUNCHERS,
                  help="`python` runs the script directly; `accelerate` uses accelerate launch."),
        FieldSpec("num_processes", INT, "Processes", 1, min=1, requires=_ACCEL,
                  help="accelerate --num_processes: one per GPU."),
        FieldSpec("multi_gpu", BOOL, "Multi-GPU", False, requires=_ACCEL,
                  help="accelerate --multi_gpu."),
        FieldSpec("num_machines", INT, "Machines", 1, min=1, requires=_ACCEL, advanced=True,
                  help="accelerate --num_machines."),
        FieldSpec("machine_rank", INT, "Machine rank", 0, min=0, requires=_ACCEL, advanced=True,
                  help="accelerate --machine_rank (0 on the main machine)."),
        FieldSpec("main_process_ip", STR, "Main process IP", "", requires=_ACCEL, advanced=True,
                  help="accelerate --main_process_ip (multi-machine only)."),
        FieldSpec("main_process_port", INT, "Main process port", 29500, min=1, max=65535,
                  requires=_ACCEL, advanced=True, help="accelerate --main_process_port."),
    ),
    inputs=(
        PinSpec("directory", "directory", "Directory", required=True, merge=True),
        PinSpec("lora", "lora", "LoRA", required=True, merge=True),
        PinSpec("misc", "misc", "Misc", required=True, merge=True),
        PinSpec("datasets", "dataset_list", "Dataset List", required=True, writes="dataset_configs"),
        PinSpec("extra", "extra", "Extra settings", multi=True, merge=True),
    ),
)

DIRECTORY_SETUP = NodeSpec(
    type="directory_setup",
    title="Directory Setup",
    category="core",
    output="directory",
    new_args=("*_dir", "*_path", "*_file", "*model*"),
    fields=(
        arg_field("pretrained_model_name_or_path", "Base model", kind=PATH, required=True, folder=True,
                  help="Folder of the base model (scheduler, vae, tokenizer, text_encoder, transformer)."),
        arg_field("output_dir", "Output directory", kind=PATH, folder=True, help="Where checkpoints are saved."),
        arg_field("logging_dir", "Logging directory", kind=PATH, folder=True),
        arg_field("save_name", "Save name", help="Prefix of saved LoRA files."),
        arg_field("model_path", "Model path", kind=PATH, advanced=True,
                  help="A separate transformer weights file; empty = use the base model's."),
        arg_field("vae_path", "VAE path", kind=PATH, advanced=True),
        arg_field("resume_from_checkpoint", "Resume from checkpoint", kind=PATH, folder=True,
                  help="A checkpoint folder whose name ends in -<step>; empty = start fresh."),
        arg_field("train_data_dir", "Global data directory", kind=PATH, advanced=True, folder=True,
                  help="Images directly in this folder are cached in place (qwen/klein scripts)."),
    ),
)

LORA_CONFIG = NodeSpec(
    type="lora_config",
    title="LoRA Config",
    category="core",
    output="lora",
    new_args=("*lora*", "*lokr*", "rank*", "*_rank", "*alpha*"),
    fields=(
        arg_field("rank", "Rank", min=1, help="LoRA rank; LoRA alpha is always set equal to it."),
        arg_field("rank_alpha", "Alpha (LoKr)", help="Used only with LoKr."),
        arg_field("use_lokr", "Use LoKr"),
        arg_field("lokr_factor", "LoKr factor", help="Used only with LoKr."),
        arg_field("lora_layers", "LoRA layers", placeholder="default modules",
                  help="Comma-separated module names; empty = the script's built-in list."),
        arg_field("use_new_rope", "New RoPE", advanced=True),
        arg_field("freeze_transformer_layers", "Freeze layers", placeholder="e.g. 0-10,50", advanced=True,
                  help="Indices and ranges; the syntax differs per script."),
        arg_field("freeze_single_transformer_layers", "Freeze single layers", advanced=True),
    ),
)

MISC_SETTINGS = NodeSpec(
    type="misc_settings",
    title="Misc Settings",
    category="core",
    output="misc",
    new_args=("*",),  # everything else: the "Other arguments" section
    fields=(
        arg_field("train_batch_size", "Batch size", min=1),
        arg_field("num_train_epochs", "Epochs", min=1),
        arg_field("learning_rate", "Learning rate", min=0),
        arg_field("optimizer", "Optimizer", kind=CHOICE, choices=OPTIMIZERS,
                  help="8-bit AdamW or Prodigy; other names fall back to AdamW."),
        arg_field("lr_scheduler", "Scheduler", kind=CHOICE, choices=SCHEDULERS),
        arg_field("lr_warmup_steps", "Warmup steps", min=0),
        arg_field("cosine_restarts", "Cosine restarts", min=1, advanced=True),
        arg_field("gradient_accumulation_steps", "Gradient accumulation", min=1),
        arg_field("gradient_checkpointing", "Gradient checkpointing"),
        arg_field("mixed_precision", "Mixed precision", kind=CHOICE, choices=PRECISIONS, default="bf16"),
        arg_field("seed", "Seed"),
        arg_field("resolution", "Resolution", kind=RESOLUTION, help="Bucket size of every dataset by default."),
        arg_field("repeats", "Repeats (global)", min=1, advanced=True,
                  help="qwen scripts multiply every dataset's repeats by this."),
        arg_field("caption_dropout", "Caption dropout", min=0, max=1),
        arg_field("mask_dropout", "Mask dropout", advanced=True),
        arg_field("save_model_epochs", "Save every N epochs"),
        arg_field("save_model_steps", "Save every N steps", help="-1 = never by steps."),
        arg_field("skip_epoch", "Skip epochs", min=0, advanced=True),
        arg_field("skip_step", "Skip steps", min=0, advanced=True),
        arg_field("validation_epochs", "Validate every N epochs"),
        arg_field("validation_ratio", "Validation ratio", min=0, max=1),
        arg_field("blocks_to_swap", "Blocks to swap", min=0, help="Block swap (qwen and Kontext scripts)."),
        arg_field("allow_tf32", "Allow TF32"),
        arg_field("recreate_cache", "Recreate cache"),
        arg_field("report_to", "Report to", kind=CHOICE, choices=TRACKERS),
        arg_field("weighting_scheme", "Weighting scheme", kind=CHOICE, choices=WEIGHTING_SCHEMES),
        arg_field("logit_mean", "Logit mean", help="Used by the logit_normal scheme."),
        arg_field("logit_std", "Logit std", help="Used by the logit_normal scheme."),
        arg_field("mode_scale", "Mode scale", help="Used by the mode scheme."),
        arg_field("guidance_scale", "Guidance scale", help="Read by flux2klein and Kontext."),
        arg_field("snr_gamma", "Min-SNR gamma", advanced=True),
        arg_field("use_debias", "Debiased estimation", advanced=True),
        arg_field("nln_method", "NLN method", kind=CHOICE, choices=NLN_METHODS, advanced=True),
        arg_field("nln_samples", "NLN samples", min=1, advanced=True),
        arg_field("nln_scale", "NLN scale", advanced=True),
        arg_field("use_freq_loss", "Frequency loss", advanced=True),
        arg_field("low_freq_weight", "Low-frequency weight", advanced=True),
        arg_field("high_freq_weight", "High-frequency weight", advanced=True),
    ),
)

EXTRA_SETTINGS = NodeSpec(
    type="extra_settings",
    title="Extra Settings",
    category="core",
    output="extra",
    freeform=True,
    help="Top-level keys no other node knows (kept from imported configs); written as they are.",
)

NODES = (SCRIPT_LOADER, DIRECTORY_SETUP, LORA_CONFIG, MISC_SETTINGS, EXTRA_SETTINGS)
