"""One broken config per rule: the finding's code, severity and JSON path; sound configs stay clean."""
from __future__ import annotations

import pytest

from dpg_lora.scripts import SCRIPTS
from dpg_lora.scripts.profiles import F2K, KTX, LC, LCE, QEF, QI, QIE
from dpg_lora.validation import ERROR, INFO, WARNING, validate_config
from tests.validation.helpers import by_code, codes, ds, sound

D = ("dataset_configs", 0)
CASES = []


def case(name, mutate, code, severity=ERROR, path=None, script=LCE):
    CASES.append(pytest.param(script, mutate, code, severity, path, id=name))


def setter(*path_and_value):
    *path, value = path_and_value

    def mutate(config):
        target = config
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return mutate


def deleter(*path):
    def mutate(config):
        target = config
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    return mutate


def dataset_set(*path_and_value):
    return setter("dataset_configs", 0, *path_and_value)


# --- types and nulls (the JSON merge copies values unconverted; a null stops it)
case("int-as-float", setter("num_train_epochs", 10.0), "ARG_TYPE", path=("num_train_epochs",))
case("int-as-string", setter("rank", "16"), "ARG_TYPE", path=("rank",))
case("int-fraction", setter("rank", 16.5), "ARG_TYPE", path=("rank",))
case("float-as-string", setter("learning_rate", "1e-4"), "ARG_TYPE", path=("learning_rate",))
case("bool-as-string", setter("gradient_checkpointing", "false"), "ARG_TYPE", path=("gradient_checkpointing",))
case("bool-as-int", setter("gradient_checkpointing", 0), "ARG_TYPE", WARNING, ("gradient_checkpointing",))
case("str-as-list", setter("lora_layers", ["a"]), "ARG_TYPE", path=("lora_layers",))
case("null-truncates", setter("output_dir", None), "NULL_TRUNCATES", path=("output_dir",))


def null_last(config):
    config["model_path"] = None  # appended after every other key, dataset_configs included


case("null-last-key", null_last, "NULL_TRUNCATES", WARNING, ("model_path",))

# --- argument values
case("mixed-precision", setter("mixed_precision", "fp32"), "MIXED_PRECISION", path=("mixed_precision",))
case("mixed-precision-fp8", setter("mixed_precision", "fp8"), "MIXED_PRECISION_FP8", WARNING, ("mixed_precision",))
case("report-to-none", setter("report_to", "none"), "REPORT_TO", path=("report_to",))
case("optimizer-fallback", setter("optimizer", "adamw8bit"), "OPTIMIZER", WARNING, ("optimizer",))
case("lr-scheduler", setter("lr_scheduler", "Cosine"), "LR_SCHEDULER", path=("lr_scheduler",))
case("weighting-scheme", setter("weighting_scheme", "logit-normal"), "WEIGHTING_SCHEME", path=("weighting_scheme",))
case("nln-method-typo", setter("nln_method", "nln_direction"), "NLN_METHOD", WARNING, ("nln_method",))
case("save-steps-zero", setter("save_model_steps", 0), "ZERO_DIVISOR", path=("save_model_steps",))
case("save-epochs-zero", setter("save_model_epochs", 0), "ZERO_DIVISOR", path=("save_model_epochs",))
case("validation-epochs-zero", setter("validation_epochs", 0), "ZERO_DIVISOR", path=("validation_epochs",))
case("batch-size-zero", setter("train_batch_size", 0), "BATCH_SIZE", path=("train_batch_size",))
case("no-epochs", setter("num_train_epochs", 0), "NO_EPOCHS", WARNING, ("num_train_epochs",))
case("validation-ratio-one", setter("validation_ratio", 1.0), "VALIDATION_RATIO", path=("validation_ratio",))
case("validation-ratio-negative", setter("validation_ratio", -0.1), "VALIDATION_RATIO", path=("validation_ratio",))
case("grad-accumulation-zero", setter("gradient_accumulation_steps", 0), "GRADIENT_ACCUMULATION",
     path=("gradient_accumulation_steps",))
case("resume-no-step", setter("resume_from_checkpoint", "output/run/checkpoint"), "RESUME_CHECKPOINT",
     path=("resume_from_checkpoint",))
case("resume-latest-new-script", setter("resume_from_checkpoint", "latest"), "RESUME_CHECKPOINT",
     path=("resume_from_checkpoint",))
case("lora-layers-all-kontext", setter("lora_layers", "all"), "LORA_LAYERS_ALL", path=("lora_layers",), script=KTX)
case("lora-layers-ALL-new", setter("lora_layers", "ALL"), "LORA_LAYERS_ALL", WARNING, ("lora_layers",))

# --- dataset list and dataset keys (R1-R5, R20, R21)
case("R1-missing", deleter("dataset_configs"), "R1_NO_DATASETS", path=("dataset_configs",))
case("R2-null", setter("dataset_configs", None), "R2_DATASETS_EMPTY", path=("dataset_configs",))
case("R2-empty", setter("dataset_configs", []), "R2_DATASETS_EMPTY", path=("dataset_configs",))
case("R2-object", setter("dataset_configs", {"a": 1}), "R2_DATASETS_EMPTY", path=("dataset_configs",))
case("R2-entry", setter("dataset_configs", 0, "data"), "R2_DATASET_NOT_OBJECT", path=D)
case("R3-missing-captions", deleter("dataset_configs", 0, "caption_configs"), "R3_DATASET_KEY",
     path=D + ("caption_configs",))
case("R3-missing-data-dir", deleter("dataset_configs", 0, "train_data_dir"), "R3_DATASET_KEY",
     path=D + ("train_data_dir",))
for _script in (QI, QIE, QEF):
    case(f"R3-{SCRIPTS[_script].short}-recreate-cache", deleter("dataset_configs", 0, "recreate_cache"),
         "R3_DATASET_KEY", path=D + ("recreate_cache",), script=_script)
case("R3-targets-list", dataset_set("target_configs", [{"image": "train"}]), "R3_DATASET_TYPE",
     path=D + ("target_configs",))
case("R3-batches-object", dataset_set("batch_configs", {"a": {}}), "R3_DATASET_TYPE", path=D + ("batch_configs",))
case("R3-references-list", dataset_set("reference_configs", []), "R3_DATASET_TYPE", path=D + ("reference_configs",))
case("R4-empty-dir", dataset_set("train_data_dir", ""), "R4_DATA_DIR", path=D + ("train_data_dir",))
case("R4-dir-number", dataset_set("train_data_dir", 5), "R4_DATA_DIR", path=D + ("train_data_dir",))
case("R4-trailing-slash", dataset_set("train_data_dir", "datasets/pairs/"), "R4_TRAILING_SEPARATOR",
     path=D + ("train_data_dir",))
case("R4-trailing-backslash", dataset_set("train_data_dir", "E:\\data\\pairs\\"), "R4_TRAILING_SEPARATOR",
     path=D + ("train_data_dir",))


def two_datasets_same_name(config):
    second = dict(ds(config), train_data_dir="other/place/pairs")
    config["dataset_configs"].append(second)


case("R4-duplicate-name", two_datasets_same_name, "R4_DUPLICATE_NAME", path=("dataset_configs", 1, "train_data_dir"))
case("windows-dataset-path", dataset_set("train_data_dir", "F:\\ImageSet\\pairs"), "WINDOWS_PATH", WARNING,
     D + ("train_data_dir",))
case("windows-drive-output", setter("output_dir", "F:/out"), "WINDOWS_PATH", WARNING, ("output_dir",))
case("cache-in-place", setter("train_data_dir", "datasets/pairs/"), "CACHE_IN_PLACE", WARNING, ("train_data_dir",),
     script=QIE)
case("R5-empty-images", dataset_set("image_configs", {}), "R5_NO_IMAGES", path=D + ("image_configs",))
case("R5-image-string", dataset_set("image_configs", "ref", "_R"), "R5_IMAGE_NOT_OBJECT",
     path=D + ("image_configs", "ref"))
case("R5-suffix-number", dataset_set("image_configs", "ref", "suffix", 1), "R5_SUFFIX_TYPE",
     path=D + ("image_configs", "ref", "suffix"))
case("R5-suffix-null", dataset_set("image_configs", "ref", "suffix", None), "R5_SUFFIX_TYPE",
     path=D + ("image_configs", "ref", "suffix"))
case("duplicate-suffix", dataset_set("image_configs", "ref", "suffix", "_T"), "DUPLICATE_SUFFIX", WARNING,
     D + ("image_configs", "ref", "suffix"))
case("recreate-flag-string", dataset_set("recreate_cache", "false"), "DATASET_TYPE", path=D + ("recreate_cache",))
case("recreate-flag-int", dataset_set("recreate_cache", 1), "DATASET_TYPE", WARNING, D + ("recreate_cache",))
case("R20-reference-without-caption", deleter("dataset_configs", 0, "recreate_cache_caption"),
     "R20_RECREATE_FLAGS", path=D + ("recreate_cache_reference",))


def caption_flag_alone(config):
    del ds(config)["recreate_cache_reference"]
    ds(config)["recreate_cache_caption"] = True


case("R20-caption-without-reference", caption_flag_alone, "R20_RECREATE_FLAGS", WARNING,
     D + ("recreate_cache_caption",))
case("R21-repeats-float", dataset_set("repeats", 2.0), "R21_REPEATS", path=D + ("repeats",))
case("R21-repeats-zero", dataset_set("repeats", 0), "R21_REPEATS", path=D + ("repeats",))
case("R21-longcat-no-repeats", deleter("dataset_configs", 0, "repeats"), "R21_REPEATS", path=D + ("repeats",),
     script=LC)
case("R21-qwen-global-zero", setter("repeats", 0), "R21_REPEATS", path=("repeats",), script=QI)

# --- buckets (R14)
case("R14-f2k-384", dataset_set("resolution", "384"), "R14_BUCKET", path=D + ("resolution",), script=F2K)
case("R14-not-number", setter("resolution", "1024px"), "R14_BUCKET", path=("resolution",))
case("R14-fraction", dataset_set("target_configs", "train", 0, "resize", 1024.5), "R14_BUCKET",
     path=D + ("target_configs", "train", 0, "resize"))
case("R14-reference-list", dataset_set("caption_configs", "train", "reference_list",
                                       {"reference_config": "ref", "resize": "100"}),
     "R14_BUCKET", path=D + ("caption_configs", "train", "reference_list", "resize"), script=QIE)

# --- entries and cross references (R6-R12, R15-R17)
case("entry-list-object", dataset_set("reference_configs", "ref", {"image": "ref"}), "ENTRY_LIST_TYPE",
     path=D + ("reference_configs", "ref"))
case("R22-empty-target", dataset_set("target_configs", "train", []), "R22_EMPTY_TARGET",
     path=D + ("target_configs", "train"))
case("entry-string", dataset_set("target_configs", "train", ["train"]), "ENTRY_NOT_OBJECT",
     path=D + ("target_configs", "train", 0))
case("R6-no-image", dataset_set("target_configs", "train", [{}]), "R6_ENTRY_IMAGE",
     path=D + ("target_configs", "train", 0, "image"))
case("R6-unknown-image", dataset_set("reference_configs", "ref", 0, "image", "mask"), "R6_ENTRY_IMAGE",
     path=D + ("reference_configs", "ref", 0, "image"))
case("sample-type", dataset_set("reference_configs", "ref", 0, "sample_type", "from_folder"), "SAMPLE_TYPE",
     path=D + ("reference_configs", "ref", 0, "sample_type"))
case("R7-from-image", dataset_set("target_configs", "train", 0, "from_image", "edited"), "R7_FROM_IMAGE",
     path=D + ("target_configs", "train", 0, "from_image"))
case("R8-no-suffix", dataset_set("reference_configs", "ref", 0, "sample_type", "from_subdir"), "R8_SUBDIR_SUFFIX",
     path=D + ("reference_configs", "ref", 0, "suffix"))
case("R8-count-string", dataset_set("reference_configs", "ref", [
    {"sample_type": "from_subdir", "image": "ref", "suffix": "_R", "count": "2"}]), "R8_SUBDIR_COUNT",
     path=D + ("reference_configs", "ref", 0, "count"))
case("R8-count-zero", dataset_set("reference_configs", "ref", [
    {"sample_type": "from_subdir", "image": "ref", "suffix": "_R", "count": 0}]), "R8_SUBDIR_COUNT", WARNING,
     D + ("reference_configs", "ref", 0, "count"))
case("R10-caption-string", dataset_set("caption_configs", "train", ".txt"), "R10_CAPTION",
     path=D + ("caption_configs", "train"))
case("R10-caption-image", dataset_set("caption_configs", "train", "image", "mask"), "R10_CAPTION_IMAGE",
     path=D + ("caption_configs", "train", "image"))
case("R10-no-ext", deleter("dataset_configs", 0, "caption_configs", "train", "ext"), "R10_CAPTION_EXT",
     path=D + ("caption_configs", "train", "ext"))
case("ext-without-dot", dataset_set("caption_configs", "train", "ext", "txt"), "CAPTION_EXT_NO_DOT", INFO,
     D + ("caption_configs", "train", "ext"))
case("R11-no-reference-config", dataset_set("caption_configs", "train", "reference_list", {"resize": "384"}),
     "R11_REFERENCE_LIST", path=D + ("caption_configs", "train", "reference_list", "reference_config"))
case("R12-unknown-group", dataset_set("caption_configs", "train", "reference_list", {"reference_config": "train"}),
     "R12_REFERENCE_LIST_GROUP", WARNING, D + ("caption_configs", "train", "reference_list", "reference_config"))
case("batch-string", dataset_set("batch_configs", 0, "train"), "BATCH_NOT_OBJECT", path=D + ("batch_configs", 0))
case("R15-unknown-target", dataset_set("batch_configs", 0, "target_config", "edit"), "R15_BATCH_TARGET",
     path=D + ("batch_configs", 0, "target_config"))
case("R15-missing-target", deleter("dataset_configs", 0, "batch_configs", 0, "target_config"), "R15_BATCH_TARGET",
     path=D + ("batch_configs", 0, "target_config"))
case("R16-unknown-caption", dataset_set("batch_configs", 0, "caption_config", "edit"), "R16_BATCH_CAPTION",
     path=D + ("batch_configs", 0, "caption_config"))
case("R17-unknown-reference", dataset_set("batch_configs", 0, "reference_config", "target_train"),
     "R17_BATCH_REFERENCE", path=D + ("batch_configs", 0, "reference_config"))
case("R17-no-reference-configs", deleter("dataset_configs", 0, "reference_configs"), "R17_BATCH_REFERENCE",
     path=D + ("batch_configs", 0, "reference_config"))

# --- batches (R18, R19)
case("R19-empty", dataset_set("batch_configs", []), "R19_NO_BATCHES", path=D + ("batch_configs",))


def batches(*weights):
    def mutate(config):
        base = {"target_config": "train", "caption_config": "train"}
        ds(config)["batch_configs"] = [dict(base, **({} if w is None else {"weight": w})) for w in weights]
    return mutate


case("R19-weight-text", batches(0.5, "half"), "R19_WEIGHT", path=D + ("batch_configs", 1, "weight"))
case("R19-weight-negative", batches(-0.5, 1.0), "R19_WEIGHT", path=D + ("batch_configs", 0, "weight"))
case("R19-sum-above-one", batches(0.7, 0.6), "R19_WEIGHT_SUM", path=D + ("batch_configs", 1, "weight"))
case("R19-never-drawn", batches(1.0, None), "R19_NEVER_DRAWN", path=D + ("batch_configs", 1))
case("R19-all-zero", batches(0, 0.0), "R19_ALL_ZERO", path=D + ("batch_configs", 1, "weight"))
case("R18-missing-extra", dataset_set("batch_configs", 0, "reference_config_extra", 0), "R18_REFERENCE_CONFIG_EXTRA",
     path=D + ("batch_configs", 0, "reference_config_extra"), script=F2K)
case("R18-extra-dropout", dataset_set("batch_configs", 0, "reference_config_extra", {"dropout": "x"}),
     "R18_REFERENCE_CONFIG_EXTRA", path=D + ("batch_configs", 0, "reference_config_extra", "dropout"), script=F2K)
case("extra-ignored", dataset_set("batch_configs", 0, "reference_config_extra", {}), "IGNORED_BY_SCRIPT", INFO,
     D + ("batch_configs", 0, "reference_config_extra"))
case("reference-dropout-ignored-f2k", dataset_set("batch_configs", 0, "reference_dropout", 0.2), "IGNORED_BY_SCRIPT",
     INFO, D + ("batch_configs", 0, "reference_dropout"), script=F2K)
case("caption-dropout-string", dataset_set("batch_configs", 0, "caption_dropout", "0.1"), "BATCH_TYPE",
     path=D + ("batch_configs", 0, "caption_dropout"))
case("caption-dropout-range", dataset_set("batch_configs", 0, "caption_dropout", 5), "BATCH_TYPE", WARNING,
     D + ("batch_configs", 0, "caption_dropout"))

# --- script differences (R13, ignored settings, keys)
REF_LIST = {"reference_config": "ref"}
case("R13-longcat-reference-list", dataset_set("caption_configs", "train", "reference_list", REF_LIST),
     "R13_LONGCAT_REFERENCE_LIST", path=D + ("caption_configs", "train", "reference_list"), script=LC)
case("instruction-ignored", dataset_set("caption_configs", "train", "instruction", "Describe"), "IGNORED_BY_SCRIPT",
     INFO, D + ("caption_configs", "train", "instruction"), script=LC)
case("reference-list-ignored-qi", dataset_set("caption_configs", "train", "reference_list", REF_LIST),
     "IGNORED_BY_SCRIPT", INFO, D + ("caption_configs", "train", "reference_list"), script=QI)
case("reference-list-key-only-f2k", dataset_set("caption_configs", "train", "reference_list", REF_LIST),
     "IGNORED_BY_SCRIPT", INFO, D + ("caption_configs", "train", "reference_list"), script=F2K)
case("not-read-by-script", setter("use_freq_loss", True), "NOT_READ_BY_SCRIPT", WARNING, ("use_freq_loss",))
case("not-read-by-script-default", setter("freeze_single_transformer_layers", ""), "NOT_READ_BY_SCRIPT", INFO,
     ("freeze_single_transformer_layers",), script=QIE)
case("old-schema-key", setter("training_set", []), "OTHER_SCHEMA_KEY", INFO, ("training_set",))
case("unknown-key-typo", setter("learning_rte", 0.001), "UNKNOWN_KEY", WARNING, ("learning_rte",))
case("frontend-resume-from", setter("resume_from", ""), "UNKNOWN_KEY", WARNING, ("resume_from",))
case("config-path-key", setter("config_path", "config.json"), "CONFIG_PATH_KEY", WARNING, ("config_path",))
case("script-key-unknown", setter("script", "train_flux2_klein.py"), "SCRIPT_KEY", WARNING, ("script",))
case("script-key-other", setter("script", QIE), "SCRIPT_KEY", WARNING, ("script",))

# --- old layout (KTX)
case("O1-new-layout", lambda c: c.update(dataset_configs=[]) or [c.pop(k) for k in
                                                                 ("image_configs", "caption_configs", "training_set")],
     "O1_NEW_LAYOUT", path=("dataset_configs",), script=KTX)
case("O1-missing-training-set", deleter("training_set"), "O1_MISSING_KEY", path=("training_set",), script=KTX)
case("O1-empty-data-dir", setter("train_data_dir", ""), "O1_DATA_DIR", path=("train_data_dir",), script=KTX)
case("O2-empty-images", setter("image_configs", {}), "O2_IMAGE_CONFIGS", path=("image_configs",), script=KTX)
case("O2-no-suffix", setter("image_configs", "ref", {}), "O2_IMAGE_SUFFIX", path=("image_configs", "ref", "suffix"),
     script=KTX)
case("O3-captions-list", setter("caption_configs", []), "O3_CAPTION_CONFIGS", path=("caption_configs",), script=KTX)
case("O3-caption-key", setter("caption_configs", "text", {"ext": ".txt"}), "O3_CAPTION_KEY",
     path=("caption_configs", "text"), script=KTX)
case("O3-caption-ext", setter("caption_configs", "train", {}), "O3_CAPTION_EXT",
     path=("caption_configs", "train", "ext"), script=KTX)
case("O9-empty-training-set", setter("training_set", []), "O9_TRAINING_SET", path=("training_set",), script=KTX)
LAYOUT = ("training_set", 0, "training_layout_configs")
case("O4-unknown-slot", setter(*LAYOUT, "mask", {"target": "ref"}), "O4_LAYOUT", path=LAYOUT + ("mask",), script=KTX)
case("O4-reference-without-target", setter(*LAYOUT, "ref", {}), "O4_LAYOUT_TARGET", path=LAYOUT + ("ref", "target"),
     script=KTX)
case("O5-nothing-noised", setter(*LAYOUT, "train", {"target": "train"}), "O5_NO_NOISED", path=LAYOUT, script=KTX)
case("O6-caption-target", setter("training_set", 0, "captions_selection", {"target": "ref"}), "O6_CAPTION_SELECTION",
     path=("training_set", 0, "captions_selection", "target"), script=KTX)


def ktx_weights(config):
    item = config["training_set"][0]
    config["training_set"] = [dict(item, weight=0.8), dict(item, weight=0.8)]


case("O9-weights", ktx_weights, "R19_WEIGHT_SUM", path=("training_set", 1, "weight"), script=KTX)


@pytest.mark.parametrize("script, mutate, code, severity, path", CASES)
def test_rule_finds_the_broken_place(script, mutate, code, severity, path):
    config = sound(script)
    mutate(config)
    found = by_code(validate_config(config, script), code)
    assert found, f"no {code} in {[f.code for f in validate_config(config, script)]}"
    assert any(f.severity == severity for f in found), [f.severity for f in found]
    if path is not None:
        assert path in [f.path for f in found], [f.path for f in found]
    assert "RULE_FAILED" not in codes(validate_config(config, script))


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_sound_config_has_no_error_and_no_warning(script):
    findings = validate_config(sound(script), script)
    assert [f for f in findings if f.severity != INFO] == []


def test_resolution_as_int_and_lora_layers_all_are_fine_for_new_scripts():
    config = sound(LCE)
    config.update(resolution=1024, lora_layers="all")
    assert [f for f in validate_config(config, LCE) if f.severity != INFO] == []


def test_r13_needs_a_group_that_resolves_to_images():
    config = sound(LC)
    ds(config)["caption_configs"]["train"]["reference_list"] = {"reference_config": "missing"}
    found = validate_config(config, LC)
    assert "R13_LONGCAT_REFERENCE_LIST" not in codes(found) and "R12_REFERENCE_LIST_GROUP" in codes(found)
    ds(config)["reference_configs"]["empty"] = []
    ds(config)["caption_configs"]["train"]["reference_list"] = {"reference_config": "empty"}
    assert "R13_LONGCAT_REFERENCE_LIST" not in codes(validate_config(config, LC))


def test_null_message_names_the_lost_keys():
    config = sound(LCE)
    config["save_name"] = None
    (finding,) = by_code(validate_config(config, LCE), "NULL_TRUNCATES")
    assert "resolution" in finding.message and "save_model_epochs" in finding.message
    assert "dataset_configs" not in finding.message  # read from the raw dict, so not lost


def test_only_the_first_null_is_reported():
    config = sound(LCE)
    config["output_dir"] = None
    config["save_name"] = None
    assert len(by_code(validate_config(config, LCE), "NULL_TRUNCATES")) == 1


def test_single_batch_ignores_its_weight():
    config = sound(LCE)
    ds(config)["batch_configs"][0]["weight"] = "anything"
    assert not {c for c in codes(validate_config(config, LCE)) if c.startswith("R19")}


def test_unknown_key_suggests_the_close_argument():
    config = sound(LCE)
    config["learning_rte"] = 1
    (finding,) = by_code(validate_config(config, LCE), "UNKNOWN_KEY")
    assert "learning_rate" in finding.message


def test_config_that_is_not_an_object():
    assert codes(validate_config([1, 2], LCE)) == {"CONFIG_NOT_OBJECT"}


def test_a_failing_rule_becomes_a_finding(monkeypatch):
    from dpg_lora import validation

    def broken(config, script):
        raise RuntimeError("boom")

    validation._load_rules()
    monkeypatch.setitem(validation.RULES, "broken", broken)
    found = by_code(validate_config(sound(LCE), LCE), "RULE_FAILED")
    assert found and "boom" in found[0].message
