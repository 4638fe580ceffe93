"""Random JSON values at random places of a sound config never make the checks raise."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpg_lora.i18n import load_catalogue
from dpg_lora.scripts import SCRIPTS
from dpg_lora.validation import validate_config
from dpg_lora.validation.data_check import check_data
from tests.validation.helpers import sound

NAMES = st.sampled_from(["train", "ref", "image", "suffix", "weight", "reference_config", "dataset_configs",
                         "batch_configs", "resize", "sample_type", "from_subdir", "", "x"]) | st.text(max_size=6)
SCALARS = (st.none() | st.booleans() | st.integers(-3, 3000) | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=8) | st.sampled_from(["_T", "1024", "from_subdir", "train", "ref", "C:\\x\\", "a/"]))
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(NAMES, inner, max_size=3), max_leaves=8)


ZH = load_catalogue("zh-CN")


def render(findings) -> None:
    """Every finding fills its text in both languages (a KeyError names a missing param)."""
    for finding in findings:
        assert finding.message and finding.text(ZH)


def containers(value, path=()):
    """Every path to a dict or list inside `value`, the root included."""
    if isinstance(value, (dict, list)):
        yield path
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            yield from containers(child, path + (key,))


def point_folders_at(config, folder: str) -> None:
    """Scan a small prepared folder instead of whatever path the random config names."""
    if not isinstance(config, dict):
        return
    if isinstance(config.get("train_data_dir"), str):
        config["train_data_dir"] = folder
    for ds in config.get("dataset_configs") if isinstance(config.get("dataset_configs"), list) else []:
        if isinstance(ds, dict) and isinstance(ds.get("train_data_dir"), str):
            ds["train_data_dir"] = folder


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    (root / "sub").mkdir()
    for name in ("a_T.jpg", "a_R.png", "b_T.webp", "b_T_1024.webp", "c.png"):
        (root / "sub" / name).write_bytes(b"")
    (root / "sub" / "a_T.txt").write_bytes(b"\xff")
    return str(root)


def get(value, path):
    for part in path:
        value = value[part]
    return value


@given(data=st.data(), script=st.sampled_from(list(SCRIPTS)))
def test_random_values_never_raise(data, script, data_folder):
    config = sound(script)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = list(containers(config))
        if not paths:
            break
        target = get(config, data.draw(st.sampled_from(paths)))
        value = data.draw(JSONISH)
        if isinstance(target, dict):
            keys = list(target) + [data.draw(NAMES)]
            target[data.draw(st.sampled_from(keys))] = value
        elif target:
            target[data.draw(st.integers(0, len(target) - 1))] = value
        else:
            target.append(value)
    findings = validate_config(config, script)
    assert not [f for f in findings if f.code == "RULE_FAILED"], findings
    render(findings)
    point_folders_at(config, data_folder)
    render(check_data(config, script).findings)


@given(config=JSONISH, script=st.sampled_from(list(SCRIPTS) + ["no_such_script.py"]))
def test_any_json_value_as_the_whole_config(config, script, data_folder):
    findings = validate_config(config, script)
    assert not [f for f in findings if f.code == "RULE_FAILED"], findings
    render(findings)
    point_folders_at(config, data_folder)
    render(check_data(config, script).findings)
