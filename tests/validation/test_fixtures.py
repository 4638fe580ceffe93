"""The trainer's own example configs, read from the shared folder at test time (AGPL: never copied here)."""
from __future__ import annotations

import json

import pytest

from dpg_lora.cli import main
from dpg_lora.scripts import SCRIPTS
from dpg_lora.scripts.profiles import F2K, LC, LCE, QIE
from dpg_lora.validation import ERROR, validate_config
from tests.shared_fixtures import needs_shared_fixtures, t2itrainer_fixtures

FIXTURES = t2itrainer_fixtures() / "configs"
FILES = sorted(FIXTURES.glob("*.json")) if FIXTURES.is_dir() else []
pytestmark = needs_shared_fixtures(bool(FILES))
NEW_SCRIPTS = [s for s in SCRIPTS if SCRIPTS[s].schema == "new"]


def run_validate(capsys, *argv):
    code = main(["validate", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.err.splitlines()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_validates_for_every_script(path):
    config = json.loads(path.read_text(encoding="utf-8"))
    for script in SCRIPTS:
        findings = validate_config(config, script)
        assert not [f for f in findings if f.code == "RULE_FAILED"], (script, findings)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_through_the_cli(path, capsys):
    code, lines = run_validate(capsys, path)
    if code == 2:  # the keys fit several scripts: asked for, never assumed
        assert len(lines) == 1 and "script is unknown" in lines[0] and "--script" in lines[0], lines
        code, lines = run_validate(capsys, path, "--script", LCE)
    assert code in (0, 1)
    assert code == int(any(line.startswith("error ") for line in lines))


# (file, script, code every error line must include at least once, expected number of such errors)
BROKEN = [
    ("config_f2k.json", F2K, "R18_REFERENCE_CONFIG_EXTRA", 2),
    ("config_new_pairs.json", F2K, "R18_REFERENCE_CONFIG_EXTRA", 1),
    ("config_remote.json", F2K, "R18_REFERENCE_CONFIG_EXTRA", 15),
    ("config_config_new_pairs.json", QIE, "R17_BATCH_REFERENCE", 1),
    ("config.json", F2K, "NULL_TRUNCATES", 1),
    ("config_new_pairs.json", F2K, "NULL_TRUNCATES", 1),
    ("config_config.json", QIE, "NULL_TRUNCATES", 1),
    ("config_config_new_pairs_multiple.json", QIE, "NULL_TRUNCATES", 1),
    ("config_config_longcat_dev.json", LC, "R1_NO_DATASETS", 1),
    ("config_config_qwen_edit_pairs.json", QIE, "R1_NO_DATASETS", 1),
    ("config_config_z_image_single.json", LC, "R1_NO_DATASETS", 1),
    ("config_new_pairs.json", F2K, "R4_TRAILING_SEPARATOR", 1),
    ("config_config_longcat_edit.json", LC, "R13_LONGCAT_REFERENCE_LIST", 7),
    ("config_config_longcat_edit_local.json", LC, "R13_LONGCAT_REFERENCE_LIST", 8),
    ("config_config_new_pairs_multiple_cloud.json", LC, "R13_LONGCAT_REFERENCE_LIST", 12),
]


@pytest.mark.parametrize("name, script, code, count", BROKEN, ids=[f"{b[0]}-{b[2]}" for b in BROKEN])
def test_broken_files_name_the_documented_problem(name, script, code, count, capsys):
    exit_code, lines = run_validate(capsys, FIXTURES / name, "--script", script)
    assert exit_code == 1
    assert len([line for line in lines if line.startswith(f"error {code} ")]) == count, lines


# error counts of the reference validator for whole files (templates are fragments, skipped)
ERROR_COUNTS = {
    "config.json": {LC: 1, LCE: 1, QIE: 1, F2K: 1},
    "config_f2k.json": {LC: 0, QIE: 0, F2K: 2},
    "config_new_pairs.json": {LC: 3, LCE: 2, QIE: 2, F2K: 3},
    "config_remote.json": {LC: 0, QIE: 0, F2K: 15},
    "config_config.json": {LC: 1, QIE: 1, F2K: 8},
    "config_config_longcat_edit.json": {LC: 7, LCE: 0, QIE: 0, F2K: 7},
    "config_config_new_pairs.json": {LC: 2, LCE: 1, QIE: 1, F2K: 2},
    "config_config_new_pairs_multiple_cloud.json": {LC: 12, LCE: 0, QIE: 0, F2K: 12},
}


@pytest.mark.parametrize("name", sorted(ERROR_COUNTS))
def test_error_counts_match_the_reference_inventory(name):
    config = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    for script, expected in ERROR_COUNTS[name].items():
        errors = [f for f in validate_config(config, script) if f.severity == ERROR]
        assert len(errors) == expected, (script, [f.code for f in errors])


@pytest.mark.parametrize("name", ["config_config_longcat_dev_local.json", "config_config_new.json"])
def test_sound_files_have_no_error_for_any_new_script(name, capsys):
    assert run_validate(capsys, FIXTURES / name, "--script", LC)[0] == 0
    config = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    for script in NEW_SCRIPTS:
        assert [f.code for f in validate_config(config, script) if f.severity == ERROR] == [], script


def test_script_key_decides_when_no_script_is_given(capsys):
    # config_remote.json names train_flux2klein.py itself, so its 15 R18 errors show without --script
    code, lines = run_validate(capsys, FIXTURES / "config_remote.json")
    assert code == 1 and sum(line.startswith("error R18_") for line in lines) == 15
