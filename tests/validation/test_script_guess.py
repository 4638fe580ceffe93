"""`validate CONFIG` without `--script`: the script comes from the config's keys, or is asked for."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpg_lora.cli import main
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.scripts.profiles import F2K, KTX, LC, LCE, QEF, QI, QIE
from dpg_lora.validation import validate_config
from dpg_lora.validation.script_guess import guess_script
from tests.validation.helpers import graph, sound


def compiled(script: str, **batch) -> dict:
    b = graph(script, references=script != LC)
    if batch:
        next(n for n in b.graph.nodes if n.id == "bat").values.update(batch)
    return compile_graph(b.build()).config


@pytest.mark.parametrize("script,expected,candidates", [
    (LC, LC, {LC}),
    (QEF, QEF, {QEF}),
    (LCE, None, {LCE, F2K}),
    (QI, None, {QI, QIE}),
    (QIE, None, {QI, QIE}),
    (F2K, F2K, {F2K}),  # its batch with a reference writes reference_config_extra
])
def test_compiled_configs_name_their_script_where_the_keys_decide(script, expected, candidates):
    guess = guess_script(compiled(script))
    assert guess.script == expected and set(guess.candidates) == candidates


def test_without_references_flux2klein_and_longcat_edit_look_alike():
    config = compiled(LCE)
    for batch in config["dataset_configs"][0]["batch_configs"]:
        batch.pop("reference_config_extra", None)
    assert set(guess_script(config).candidates) == {LCE, F2K}


def test_the_script_key_and_the_old_schema_decide():
    assert guess_script({**sound(LCE), "script": QIE}).script == QIE
    assert guess_script(sound(KTX)).script == KTX


def run(capsys, tmp_path, config, *extra):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    code = main(["validate", str(path), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


PRESETS = Path(__file__).resolve().parents[2] / "presets"


def test_an_edit_config_is_not_checked_as_longcat(tmp_path, capsys):
    config = compile_graph(load_graph(PRESETS / "edit_pairs_reference.json")).config
    assert "R13_LONGCAT_REFERENCE_LIST" in {f.code for f in validate_config(config, LC)}  # what assuming LC said
    code, out, err = run(capsys, tmp_path, config)
    assert code == 2
    assert err.count("\n") == 1 and "--script" in err and LCE in err and F2K in err
    assert "R13" not in err and "0 errors" not in out
    assert run(capsys, tmp_path, config, "--script", LCE)[0] == 0


def test_an_inferred_script_is_said_in_the_summary(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, compiled(QEF))
    assert code == 0 and f"({QEF}, from its keys)" in out
