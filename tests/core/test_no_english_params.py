"""Words the core makes in English (where a script's arguments come from, ssh failures, "this
machine") are said in the catalogue's language when they fill a Chinese text, and stay exactly
the CLI's English words in English."""
from __future__ import annotations

import re

import pytest

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.i18n import load_catalogue
from dpg_lora.remote.ssh import _FAILURES, _FILLED, LocalHost, explain_ssh_failure, failure_parts, failure_text
from dpg_lora.scripts.layered import BUILTIN_SOURCE, ScriptSource
from dpg_lora.ui.problem_texts import remote_words, shown_words, source_words
from tests.core.util import small_graph

EN, ZH = load_catalogue("en"), load_catalogue("zh-CN")
LATIN_WORD = re.compile(r"\b(?:built-in|table|modified|machine|refused|connection|host name|answer|failed)\b")


def chinese_only(text: str) -> bool:
    return not LATIN_WORD.search(text)


@pytest.mark.parametrize("source", [ScriptSource("built-in"), ScriptSource("built-in", note="train_x.py is not in /t"),
                                    ScriptSource("folder", path="/t/train_x.py", mtime=0)])
def test_a_script_source_reads_as_the_cli_says_in_english_and_in_chinese_words(source):
    assert source_words(source.parts(), EN) == source.describe()
    zh = source_words(source.parts(), ZH)
    assert chinese_only(zh.replace(source.note, "")), zh
    assert source.path in zh and (source.note in zh)


def test_the_builtin_source_of_a_compile_problem_is_said_in_chinese(tmp_path):
    graph = small_graph()
    loader = next(n for n in graph.nodes if n.type == "script_loader")
    loader.values["script"] = "train_longcat.py"
    other = next(n for n in graph.nodes if n.type not in ("script_loader",) and n.type.endswith("settings"))
    other.values["no_such_argument"] = 1  # kept: the chosen script lacks it
    result = compile_graph(graph, CompileContext())
    found = [d for d in result.diagnostics if "source" in d.values()]
    assert found, [d.code for d in result.diagnostics]
    d = found[0]
    assert BUILTIN_SOURCE in d.message  # the CLI's English line is what it was
    zh = d.text(ZH, **shown_words(d, graph, ZH))
    assert "内置参数表" in zh and "built-in table" not in zh, zh


@pytest.mark.parametrize("needle,code,meaning", _FAILURES)
def test_each_ssh_failure_is_said_in_chinese_and_parsed_back(needle, code, meaning):
    message = explain_ssh_failure("me@box", f"ssh: connect to host box: {needle}\n")
    assert message == f"me@box: {meaning}" == EN.text(f"fixes.ssh.{code}", host="me@box")
    assert failure_parts(message) == ("me@box", code, {})
    zh = remote_words(message, ZH)
    assert zh.startswith("me@box：") and chinese_only(zh.replace("Permission denied", "")), zh
    assert remote_words(message, EN) == message


@pytest.mark.parametrize("code,values", [("no_answer", {"seconds": "10"}), ("not_finished", {"seconds": "60"}),
                                         ("failed", {"said": "kex_exchange_identification: read: reset"})])
def test_ssh_failures_with_values(code, values):
    message = failure_text("box", code, **values)
    assert message == EN.text(f"fixes.ssh.{code}", host="box", **values)
    assert failure_parts(message) == ("box", code, values)
    zh = remote_words(message, ZH)
    assert all(v in zh for v in values.values()) and chinese_only(zh), zh


def test_several_hosts_and_this_machine_and_other_errors():
    joined = "; ".join([failure_text("a", "refused"), failure_text(LocalHost.label, "not_finished", seconds="5"),
                        "trainer directory not found: /x"])
    assert remote_words(joined, ZH) == "; ".join([ZH.text("fixes.ssh.refused", host="a"),
                                                  ZH.text("fixes.ssh.not_finished", host="本机", seconds="5"),
                                                  "trainer directory not found: /x"])
    assert failure_parts("something else: entirely") is None
    assert explain_ssh_failure("h", b"") == failure_text("h", "failed", said="no message (exit 255)")
    assert set(_FILLED) | {c for _, c, _ in _FAILURES} == {k.split(".")[-1] for k in EN.texts
                                                           if k.startswith("fixes.ssh.")}


def test_the_run_tab_names_this_machine_and_host_failures_in_chinese():
    from dpg_lora.remote.machine import Machine
    from dpg_lora.runner.prelaunch import Check
    from dpg_lora.ui import texts
    from dpg_lora.ui.run_panel import _machine_label, check_line

    before = texts.current()
    texts.use(ZH)
    try:
        assert _machine_label(0, Machine(host="", cwd="/t", argv=["python"], log_path="l")) == "机器 0：本机"
        assert _machine_label(1, Machine(host="me@box", cwd="/t", argv=["python"], log_path="l")) == "机器 1：me@box"
        line = check_line(Check("host", "block", "failed", "me@box", failure_text("me@box", "no_such_host")))
        assert line == "主机: me@box：失败 (me@box：无法解析主机名)", line
    finally:
        texts.use(before)
