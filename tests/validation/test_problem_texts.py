"""Problem texts come from the catalogue: every key used exists in both languages, every problem
key is used, each staged mistake renders in both languages, and each problem is listed once."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dpg_lora import validation
from dpg_lora.compiler import Diagnostic, compile_graph, merge_problems
from dpg_lora.i18n import LANGUAGES, load_catalogue, placeholders
from dpg_lora.scripts.profiles import LCE
from dpg_lora.validation import ERROR, INFO, WARNING, Finding, validate_config
from tests.validation.helpers import sound
from tests.validation.problem_battery import (
    GRAPH_MISTAKES, battery_diagnostics, config_findings, data_findings, folder_diagnostics, mistake_graph,
    more_config_findings, remote_findings,
)
from tests.validation.test_rules import CASES

SUMMARIES: list = []  # the folder check's dataset summaries of the staged folders
PACKAGE = Path(validation.__file__).resolve().parents[1]
KEY_IN_CODE = re.compile(r"""["'](problem\.[a-z0-9_]+)["']""")


def keys_in_code() -> set[str]:
    return {key for path in PACKAGE.rglob("*.py") for key in KEY_IN_CODE.findall(path.read_text(encoding="utf-8"))}


def problem_keys(language: str) -> set[str]:
    return {key for key in load_catalogue(language).texts if key.startswith("problem.")}


def test_every_problem_key_in_code_is_in_both_catalogues_and_every_catalogue_key_is_used():
    used = keys_in_code()
    assert len(used) > 150
    for language in LANGUAGES:
        assert used - problem_keys(language) == set(), f"missing in {language}"
        assert problem_keys(language) - used == set(), f"dead keys in {language}"


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> list[Finding | Diagnostic]:
    """Every finding and diagnostic the staged mistakes produce."""
    problems: list[Finding | Diagnostic] = []
    problems += config_findings(CASES) + more_config_findings() + remote_findings()
    problems += [d for _, diagnostics in battery_diagnostics() for d in diagnostics]
    problems += data_findings(tmp_path_factory.mktemp("data"), SUMMARIES)
    problems += folder_diagnostics(tmp_path_factory.mktemp("trainer"))
    return problems


def test_a_failing_rule_is_a_finding_that_renders(monkeypatch):
    def broken(config, script):
        raise ValueError("boom")
        yield  # a generator, like the rules

    monkeypatch.setitem(validation.RULES, "broken", broken)
    (failed,) = [f for f in validate_config(sound(LCE), LCE) if f.code == "RULE_FAILED"]
    assert failed.message == "check 'broken' could not run on this config (ValueError: boom)"
    assert "boom" in failed.text(load_catalogue("zh-CN"))


def test_the_staged_mistakes_produce_every_problem_text(staged):
    produced = {p.key for p in staged} | {key for summary in SUMMARIES for key, _ in summary.parts}
    produced.add("problem.summary_separator")
    assert problem_keys("en") - produced == {"problem.rule_failed"}  # staged by the test above


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_staged_problem_renders_with_its_params(staged, language):
    catalogue = load_catalogue(language)
    for problem in staged:
        template = catalogue.texts[problem.key]
        assert placeholders(template) <= set(problem.values()), (problem.key, problem.params)
        text = problem.text(catalogue)  # KeyError or ValueError would fail here
        assert text.strip() and not [n for n in placeholders(template) if "{%s}" % n in text], (problem.key, text)
        if language == "zh-CN":
            assert re.search(r"[\u4e00-\u9fff]", text) or problem.key == "problem.bad_host", (problem.key, text)
        assert all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in problem.values().values())
    assert SUMMARIES and all(summary.text(catalogue) for summary in SUMMARIES)


def test_english_text_is_the_message_and_the_cli_line():
    finding = Finding("ZERO_DIVISOR", ERROR, ("save_model_steps",), "problem.zero_save_steps",
                      {"key": "save_model_steps"})
    assert finding.message == ("save_model_steps = 0 raises ZeroDivisionError during training (it is used with %); "
                               "use -1 to never save by steps")
    diag = Diagnostic("FIELD_REQUIRED", ERROR, "bat", "caption_config", "problem.choose_caption_key",
                      {"label": "Caption"})
    assert diag.line() == "error FIELD_REQUIRED bat.caption_config: Caption is empty: choose one of this dataset's caption keys"
    assert diag.line(load_catalogue("zh-CN")) == "error FIELD_REQUIRED bat.caption_config: Caption为空：请从此数据集的标注键中选择一个"
    assert diag.text(load_catalogue("zh-CN"), label="标注") == "标注为空：请从此数据集的标注键中选择一个"


def test_params_must_be_json_plain():
    with pytest.raises(TypeError):
        Finding("X", ERROR, (), "problem.no_images", {"value": [1]})
    with pytest.raises(TypeError):
        Finding("X", ERROR, (), "problem.no_images", {"value": True})
    assert hash(Finding("X", ERROR, (), "problem.batch_size", {"value": 0}))  # frozen, comparable


# ---------------------------------------------------------------- each problem once
def test_an_empty_key_choice_is_one_problem_in_plain_words():
    name, mutate = next(m for m in GRAPH_MISTAKES if m[0] == "empty target image")
    result = compile_graph(mistake_graph(mutate))
    on_field = [d for d in result.diagnostics if (d.node_id, d.field) == ("tgt", "image")]
    assert [(d.code, d.severity, d.message) for d in on_field] == [
        ("FIELD_REQUIRED", ERROR, "Image is empty: choose one of this dataset's image keys")]


@pytest.mark.parametrize("name, mutate", GRAPH_MISTAKES, ids=[m[0] for m in GRAPH_MISTAKES])
def test_no_node_field_lists_two_problems(name, mutate):
    result = compile_graph(mistake_graph(mutate))
    places = [(d.node_id, d.field) for d in result.diagnostics if d.node_id and d.field and d.severity != INFO]
    assert len(places) == len(set(places)), [d.line() for d in result.diagnostics]
    assert len(result.diagnostics) == len(set(result.diagnostics))


def test_a_bound_covers_what_the_rules_say_about_the_same_value():
    name, mutate = next(m for m in GRAPH_MISTAKES if m[0] == "epochs below the bound")
    result = compile_graph(mistake_graph(mutate))
    assert [d.code for d in result.diagnostics if d.field == "num_train_epochs"] == ["OUT_OF_BOUNDS"]
    assert "NO_EPOCHS" in {f.code for f in validate_config(result.config, result.script)}  # the rule still fires


def test_an_empty_list_is_said_once_and_an_unknown_script_only_once():
    for wanted in ("empty batch list", "unknown script", "old schema script"):
        mutate = dict(GRAPH_MISTAKES)[wanted]
        shown = [d for d in compile_graph(mistake_graph(mutate)).diagnostics if d.severity != INFO]
        assert len(shown) == 1, (wanted, [d.line() for d in shown])


def test_merge_keeps_the_most_severe_severity_and_drops_exact_repeats():
    empty = Diagnostic("FIELD_REQUIRED", WARNING, "n", "f", "problem.field_required", {"label": "F"})
    consequence = Diagnostic("R6_ENTRY_IMAGE", ERROR, "n", "f", "problem.unknown_image_key_none", {"value": "''"})
    elsewhere = Diagnostic("R6_ENTRY_IMAGE", ERROR, "m", "f", "problem.unknown_image_key_none", {"value": "''"})
    whole = Diagnostic("R19_NO_BATCHES", ERROR, "list", None, "problem.no_batches")
    unlinked = Diagnostic("INPUT_REQUIRED", ERROR, "list", "items", "problem.input_required",
                          {"node": "Batch List", "input": "Batches"})
    merged = merge_problems([empty, consequence, elsewhere, elsewhere, unlinked, whole], {"list": "items"})
    assert merged == [Diagnostic("FIELD_REQUIRED", ERROR, "n", "f", "problem.field_required", {"label": "F"}),
                      elsewhere, unlinked]
    assert merge_problems([whole]) == [whole]  # a list that has items keeps what is said of it


def test_dataset_summaries_render_in_both_languages(tmp_path):
    from dpg_lora.validation.data_check import check_data

    (tmp_path / "pairs").mkdir()
    for name in ("a_T.jpg", "a_R.jpg", "b_T.jpg"):
        (tmp_path / "pairs" / name).write_bytes(b"")
    config = sound(LCE)
    config["dataset_configs"][0]["train_data_dir"] = "pairs"
    missing = dict(config["dataset_configs"][0], train_data_dir="nowhere")
    config["dataset_configs"].append(missing)
    first, gone = check_data(config, LCE, str(tmp_path)).datasets
    assert first.line == "2 pairs; 1 missing `_R`: b_T.jpg; 2 captions missing"
    assert first.text(load_catalogue("zh-CN")) == "2 组配对；1 组缺少 `_R`：b_T.jpg；缺少 2 个标注"
    assert (gone.line, gone.text(load_catalogue("zh-CN"))) == ("folder not found", "找不到文件夹")
