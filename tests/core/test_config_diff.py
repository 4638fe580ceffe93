"""config_diff: a key-path diff of two training configs (the Run tab's "what changed since")."""
from __future__ import annotations

from dpg_lora.config_diff import (ADDED, CHANGED, REMOVED, Change, diff_configs, format_change,
                                  format_path, format_value)


def test_equal_configs_have_no_changes():
    config = {"rank": 32, "image_configs": {"train": {"target_config": [{"resize": 1024}]}}}
    assert diff_configs(config, {**config}) == []


def test_changed_added_and_removed_keys_in_document_order():
    old = {"rank": 32, "learning_rate": 1e-4, "report_to": "wandb"}
    new = {"rank": 16, "report_to": "wandb", "seed": 7}
    assert diff_configs(old, new) == [
        Change(("rank",), CHANGED, 32, 16),
        Change(("learning_rate",), REMOVED, old=1e-4),
        Change(("seed",), ADDED, new=7),
    ]


def test_nested_objects_and_lists_give_the_full_path():
    old = {"image_configs": {"train": {"target_config": [{"resize": 1024, "key": "a"}]}}}
    new = {"image_configs": {"train": {"target_config": [{"resize": 768, "key": "a"}, {"key": "b"}]}}}
    changes = diff_configs(old, new)
    assert [(format_path(c.path), c.kind) for c in changes] == [
        ("image_configs.train.target_config[0].resize", CHANGED),
        ("image_configs.train.target_config[1]", ADDED),
    ]
    shorter = diff_configs(new, old)
    assert shorter[-1] == Change(("image_configs", "train", "target_config", 1), REMOVED, old={"key": "b"})


def test_a_json_type_change_is_a_change():
    # the trainer takes each value's type from the JSON: 1 and 1.0 (and "1", true) differ
    assert [c.kind for c in diff_configs({"a": 1}, {"a": 1.0})] == [CHANGED]
    assert [c.kind for c in diff_configs({"a": 1}, {"a": "1"})] == [CHANGED]
    assert [c.kind for c in diff_configs({"a": 1}, {"a": True})] == [CHANGED]
    assert diff_configs({"a": 1.5}, {"a": 1.5}) == []


def test_an_object_that_became_a_list_is_one_change_at_its_path():
    assert diff_configs({"x": {"a": 1}}, {"x": [1]}) == [Change(("x",), CHANGED, {"a": 1}, [1])]
    assert diff_configs([1, 2], {"a": 1}) == [Change((), CHANGED, [1, 2], {"a": 1})]
    assert format_path(()) == "(root)"


def test_readable_lines():
    assert format_change(Change(("rank",), CHANGED, 32, 16)) == "~ rank: 32 -> 16"
    assert format_change(Change(("seed",), ADDED, new=7)) == "+ seed: 7"
    assert format_change(Change(("a", 0, "b"), REMOVED, old="x ü")) == '- a[0].b: "x ü"'
    long = format_value("y" * 200, limit=20)
    assert len(long) == 20 and long.endswith("\u2026")
