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
                  help="Where the JSON config is written (relative to the trainer directory); the script "
                       "gets it as --config_path."),
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
                  help="Folder of the base model: its scheduler, vae, tokenizer, text_encoder and transformer "
                       "subfolders (the Qwen-Image-Edit scripts also processor; Kontext also tokenizer_2 and "
                       "text_encoder_2)."),
        arg_field("output_dir", "Output directory", kind=PATH, folder=True,
                  help="Checkpoints are saved here as <save name>-<epoch>-<step> folders; the merged dataset "
                       "lists (dataset_*.json) are written here too."),
        arg_field("logging_dir", "Logging directory", kind=PATH, folder=True,
                  help="The trackers' log folder (accelerate's logging_dir); created when missing."),
        arg_field("save_name", "Save name",
                  help="Start of each checkpoint folder's name: <save name>-<epoch>-<step>."),
        arg_field("model_path", "Model path", kind=PATH, advanced=True,
                  help="A single-file transformer weights file loaded instead of the base model's transformer "
                       "folder; empty = the base model's."),
        arg_field("vae_path", "VAE path", kind=PATH, advanced=True),
        arg_field("resume_from_checkpoint", "Resume from checkpoint", kind=PATH, folder=True,
                  help="A checkpoint folder whose name ends in -<step> (the step resumed from); empty = start "
                       "fresh. Kontext also takes latest."),
        arg_field("train_data_dir", "Global data directory", kind=PATH, advanced=True, folder=True,
                  help="qwen and flux2klein scripts: images directly in this folder get their cache files "
                       "written beside them; others are cached in the dataset's cache folder."),
    ),
)

LORA_CONFIG = NodeSpec(
    type="lora_config",
    title="LoRA Config",
    category="core",
    output="lora",
    new_args=("*lora*", "*lokr*", "rank*", "*_rank", "*alpha*"),
    fields=(
        arg_field("rank", "Rank", min=1,
                  help="The adapter's rank. With LoRA the scripts set alpha equal to the rank and ignore Alpha "
                       "(LoKr), although rank_alpha is still written; with LoKr, Alpha (LoKr) is the alpha."),
        arg_field("rank_alpha", "Alpha (LoKr)",
                  help="The LoKr alpha, read only when Use LoKr is on; with LoRA the alpha is the rank and this "
                       "value has no effect."),
        arg_field("use_lokr", "Use LoKr",
                  help="Train a LyCORIS LoKr instead of a LoRA: Rank, Alpha (LoKr) and LoKr factor apply, LoRA "
                       "layers does not."),
        arg_field("lokr_factor", "LoKr factor", help="The LoKr factor, read only when Use LoKr is on."),
        arg_field("lora_layers", "LoRA layers", placeholder="default modules",
                  help="Comma-separated module names the LoRA adapts; empty (or all, except in Kontext) = the "
                       "script's built-in list. Not used with LoKr."),
        arg_field("use_new_rope", "New RoPE", advanced=True),
        arg_field("freeze_transformer_layers", "Freeze layers", placeholder="e.g. 0-10,50", advanced=True,
                  help="Transformer blocks left untrained. LongCat and flux2klein: a,b,c-d; qwen: ranges need "
                       "start < end and block 59 is always frozen; Kontext: numbers only, no ranges."),
        arg_field("freeze_single_transformer_layers", "Freeze single layers", advanced=True,
                  help="Single-stream transformer blocks left untrained, as a,b,c-d."),
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
        arg_field("learning_rate", "Learning rate", min=0,
                  help="With Prodigy use about 1.0 (the scripts warn at 0.1 or less)."),
        arg_field("optimizer", "Optimizer", kind=CHOICE, choices=OPTIMIZERS,
                  help="AdamW (always bitsandbytes 8-bit AdamW) or Prodigy, in any case; other names fall back "
                       "to AdamW. Their betas, weight decay and epsilon are fixed in the scripts."),
        arg_field("lr_scheduler", "Scheduler", kind=CHOICE, choices=SCHEDULERS,
                  help="A diffusers learning-rate schedule name (case-sensitive)."),
        arg_field("lr_warmup_steps", "Warmup steps", min=0,
                  help="Steps of learning-rate warmup (Kontext multiplies them by the number of processes)."),
        arg_field("cosine_restarts", "Cosine restarts", min=1, advanced=True,
                  help="Cycles of the cosine_with_restarts schedule."),
        arg_field("gradient_accumulation_steps", "Gradient accumulation", min=1),
        arg_field("gradient_checkpointing", "Gradient checkpointing",
                  help="Recompute the transformer's activations in the backward pass: less GPU memory, "
                       "slower steps."),
        arg_field("mixed_precision", "Mixed precision", kind=CHOICE, choices=PRECISIONS, default="bf16",
                  help="Passed to accelerate; the frozen weights are loaded in it too (fp8 = float8_e4m3fn, "
                       "which needs torchao, transformer-engine or MS-AMP)."),
        arg_field("seed", "Seed",
                  help="Re-seeds NumPy's random numbers after each validation; the scripts never seed the "
                       "training itself, so runs are not reproducible from it."),
        arg_field("resolution", "Resolution", kind=RESOLUTION,
                  help="The bucket size of every dataset that sets none (Kontext: of every image)."),
        arg_field("repeats", "Repeats (global)", min=1, advanced=True,
                  help="qwen scripts and Kontext multiply the data by this (qwen: on top of each dataset's "
                       "repeats); the other scripts read it only for a dataset without its own."),
        arg_field("caption_dropout", "Caption dropout", min=0, max=1,
                  help="The chance per step that the prompt is replaced by an empty one; a Batch Item's own "
                       "caption dropout replaces it. Kontext does not apply it."),
        arg_field("mask_dropout", "Mask dropout", advanced=True),
        arg_field("save_model_epochs", "Save every N epochs",
                  help="A checkpoint after each epoch whose number (from 0) is a multiple of N, from Skip "
                       "epochs on, and after the last epoch; 0 stops the run with a division by zero."),
        arg_field("save_model_steps", "Save every N steps",
                  help="Also a checkpoint every N steps; -1 = never by steps; 0 stops the run with a division "
                       "by zero."),
        arg_field("skip_epoch", "Skip epochs", min=0, advanced=True,
                  help="Epochs before this one save and validate only when the steps rule or the last epoch "
                       "says so."),
        arg_field("skip_step", "Skip steps", min=0, advanced=True,
                  help="No end-of-epoch checkpoint or validation until this many steps are done."),
        arg_field("validation_epochs", "Validate every N epochs",
                  help="Validation after each epoch whose number (from 0) is a multiple of N, from Skip epochs "
                       "on, and after the last; only with a validation split. 0 stops the run."),
        arg_field("validation_ratio", "Validation ratio", min=0, max=1,
                  help="The share of each dataset held out for validation (not trained on), split when the "
                       "cache is made; 0 = no validation. A one-image dataset is used for both."),
        arg_field("blocks_to_swap", "Blocks to swap", min=0,
                  help="Transformer blocks kept on the CPU and swapped in, to save GPU memory; 0 = off. Read "
                       "only by the qwen and Kontext scripts."),
        arg_field("allow_tf32", "Allow TF32", help="Lets CUDA matrix products use TF32."),
        arg_field("recreate_cache", "Recreate cache",
                  help="Rebuild every dataset's cache (LongCat, flux2klein, Kontext); the qwen scripts read "
                       "only each Dataset Config's own flag."),
        arg_field("report_to", "Report to", kind=CHOICE, choices=TRACKERS,
                  help="The accelerate tracker to log to; one that is not installed is skipped."),
        arg_field("weighting_scheme", "Weighting scheme", kind=CHOICE, choices=WEIGHTING_SCHEMES,
                  help="How training timesteps are drawn (and, except in the LongCat scripts, how the loss "
                       "is weighted)."),
        arg_field("logit_mean", "Logit mean", help="Used by the logit_normal scheme."),
        arg_field("logit_std", "Logit std", help="Used by the logit_normal scheme."),
        arg_field("mode_scale", "Mode scale", help="Used by the mode scheme."),
        arg_field("guidance_scale", "Guidance scale",
                  help="Read only by flux2klein and Kontext, when the model has guidance embeddings."),
        arg_field("snr_gamma", "Min-SNR gamma", advanced=True),
        arg_field("use_debias", "Debiased estimation", advanced=True),
        arg_field("nln_method", "NLN method", kind=CHOICE, choices=NLN_METHODS, advanced=True,
                  help="The training noise: default = plain Gaussian; nln = mostly the rescaled sum of NLN "
                       "samples noises; nln_directional (and any unknown name) also moves it towards the "
                       "target by NLN scale on some steps."),
        arg_field("nln_samples", "NLN samples", min=1, advanced=True,
                  help="How many Gaussian noises are summed for nln and nln_directional."),
        arg_field("nln_scale", "NLN scale", advanced=True,
                  help="How far nln_directional moves the noise towards the target."),
        arg_field("use_freq_loss", "Frequency loss", advanced=True,
                  help="train_qwen_edit_with_freq.py always turns it on, whatever is set here."),
        arg_field("low_freq_weight", "Low-frequency weight", advanced=True,
                  help="Weight of the low-frequency loss term."),
        arg_field("high_freq_weight", "High-frequency weight", advanced=True,
                  help="Weight of the high-frequency loss term."),
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
