"""The registry agrees with the script profiles: every field maps to a real argument."""
from __future__ import annotations

import pytest

from dpg_lora.graph import check_value
from dpg_lora.scripts import ARGS, SCRIPTS
from dpg_lora.specs import REGISTRY, node_types_with_input, node_types_with_output
from dpg_lora.specs.types import KEY, KEY_KINDS

ALL_FIELDS = [(spec, f) for spec in REGISTRY.values() for f in spec.fields]
ARG_FIELDS = [(spec, f) for spec, f in ALL_FIELDS if f.arg]

# Arguments that deliberately have no node: where the JSON would do harm or nothing at all.
NO_HOME = {
    # the Script Loader passes it on the command line; inside the JSON it overrides
    # (train_longcat.py:606-639)
    "config_path",
    # optimizer hyper-parameters the scripts parse and then hard-code (train_longcat.py:644-664)
    "use_8bit_adam", "adam_beta1", "adam_beta2", "prodigy_beta3", "prodigy_decouple", "adam_weight_decay",
    "adam_weight_decay_text_encoder", "adam_epsilon", "prodigy_use_bias_correction",
    "prodigy_safeguard_warmup", "prodigy_d_coef", "max_grad_norm",
    # shadowed by the dataset-level flags in every script; they live on Dataset Config
    "recreate_cache_target", "recreate_cache_reference", "recreate_cache_caption",
    # dead and not asked for by any user-facing node
    "max_time_steps", "noise_offset", "reg_ratio", "reg_timestep", "use_two_captions",
    "slider_positive_scale", "slider_negative_scale",
}


@pytest.mark.parametrize("spec,field", ARG_FIELDS, ids=lambda x: getattr(x, "name", getattr(x, "type", "")))
def test_arg_fields_match_a_real_argument_of_their_scripts(spec, field):
    arg = ARGS[field.arg]
    assert field.path == (field.arg,)
    assert set(field.scripts) == set(arg.scripts), f"{field.arg}: scripts differ from the argparse table"
    assert field.no_effect == (not arg.read)


def test_every_argument_the_scripts_read_has_a_home():
    homed = {f.arg for _, f in ARG_FIELDS}
    read = {name for name, a in ARGS.items() if a.read}
    assert read - homed - NO_HOME == set()
    assert not (homed & NO_HOME)


def test_each_argument_has_at_most_one_field():
    args = [f.arg for _, f in ARG_FIELDS]
    assert len(args) == len(set(args))


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_defaults_are_valid_values_for_every_script(script):
    for spec, field in ALL_FIELDS:
        default = field.default_for(script)
        if default is None:
            assert field.optional, f"{spec.type}.{field.name} has no default and is not optional"
            continue
        value, error = check_value(field, default)
        assert error is None, f"{spec.type}.{field.name}: {error}"
        if field.choices and default != "":
            assert default in field.choices, f"{spec.type}.{field.name}: default {default!r} not a choice"


def test_pins_are_fed_by_some_node_type_and_every_output_is_used():
    for spec in REGISTRY.values():
        for pin in spec.inputs:
            assert node_types_with_output(pin.type), f"nothing feeds {spec.type}.{pin.name}"
        if spec.output:
            assert node_types_with_input(spec.output), f"{spec.type}'s output fits no input"


def test_key_fields_name_a_known_kind_and_items_have_one_key():
    for _spec, field in ALL_FIELDS:
        if field.kind == KEY:
            assert field.key_kind in KEY_KINDS
    for spec in REGISTRY.values():
        assert sum(f.is_key for f in spec.fields) <= 1


def test_field_names_are_unique_per_node_and_requires_names_a_sibling():
    for spec in REGISTRY.values():
        names = [f.name for f in spec.fields]
        assert len(names) == len(set(names)), spec.type
        for f in spec.fields:
            if f.requires:
                assert f.requires[0] in names, f"{spec.type}.{f.name} requires unknown {f.requires[0]}"


def test_per_script_defaults_come_from_the_profile():
    misc = REGISTRY["misc_settings"]
    assert misc.field("blocks_to_swap").default_for("train_qwen_image_new.py") == 0
    assert misc.field("blocks_to_swap").default_for("train_longcat.py") == 10
    assert misc.field("learning_rate").default_for("train_longcat.py") == 0.0001
    assert REGISTRY["directory_setup"].field("resume_from_checkpoint").default_for("train_longcat.py") == ""
