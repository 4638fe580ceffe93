"""The recent-files list and the trainer-folder questions (pure: no Dear PyGui)."""
from __future__ import annotations

import json
import os

import pytest

from dpg_lora import recent
from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.trainer_folder import (config_lands_in_start_folder, folder_is_set, train_scripts,
                                     unset_machine_fields, venv_python)
from tests.core.util import small_graph


def test_recent_keeps_newest_first_without_duplicates_and_forgets(tmp_path):
    store = recent.recent_path(tmp_path / "user")
    assert recent.read_recent(store) == []  # no file yet
    recent.remember(store, tmp_path / "a.json")
    recent.remember(store, tmp_path / "b.json")
    assert recent.remember(store, tmp_path / "a.json") == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert recent.read_recent(store) == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert recent.forget(store, str(tmp_path / "a.json")) == [str(tmp_path / "b.json")]
    for i in range(recent.RECENT_LIMIT + 3):
        recent.remember(store, tmp_path / f"g{i}.json")
    assert len(recent.read_recent(store)) == recent.RECENT_LIMIT


def test_recent_is_made_absolute_and_keeps_non_ascii_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = recent.recent_path(tmp_path / "user")
    recent.remember(store, "mein Graph \u56fe.json")
    assert recent.read_recent(store) == [str(tmp_path / "mein Graph \u56fe.json")]


@pytest.mark.parametrize("text", ["", "[1, 2", '{"a": 1}', '[1, null, "", "/x.json", "/x.json"]'])
def test_a_broken_recent_file_reads_as_what_it_can(tmp_path, text):
    store = recent.recent_path(tmp_path)
    store.write_text(text, encoding="utf-8")
    assert recent.read_recent(store) == (["/x.json"] if "/x.json" in text else [])


def test_a_recent_file_that_cannot_be_written_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert recent.remember(recent.recent_path(blocker / "sub"), "/x.json") == ["/x.json"]


@pytest.mark.parametrize("value,is_set", [(None, False), ("", False), (".", False), ("./", False), (" . ", False),
                                          ("/opt/T2ITrainer", True), ("trainer", True), ("..", True)])
def test_folder_is_set(value, is_set):
    assert folder_is_set(value) is is_set


def test_config_lands_in_start_folder_only_for_a_relative_config_without_a_folder():
    assert config_lands_in_start_folder(".", "config.json")
    assert config_lands_in_start_folder("", "sub/config.json")
    assert not config_lands_in_start_folder(".", os.path.abspath("config.json"))
    assert not config_lands_in_start_folder("/opt/T2ITrainer", "config.json")


def test_a_compiled_graph_says_where_its_config_lands():
    graph = small_graph()
    graph.node("script").values.pop("trainer_dir", None)
    result = compile_graph(graph)
    assert config_lands_in_start_folder(result.cwd, result.config_path)
    # this machine's default (DPG_LORA_TRAINER_DIR) is a trainer folder too
    result = compile_graph(graph, CompileContext(trainer_dir="/opt/T2ITrainer"))
    assert not config_lands_in_start_folder(result.cwd, result.config_path)


def test_scripts_and_venv_python_of_a_folder(tmp_path):
    (tmp_path / "train_longcat.py").write_text("")
    (tmp_path / "train_flux.py").write_text("")
    (tmp_path / "notes.py").write_text("")
    assert train_scripts(tmp_path) == ["train_flux.py", "train_longcat.py"]
    assert train_scripts(tmp_path / "missing") == []
    assert venv_python(tmp_path) is None
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    assert venv_python(tmp_path) is None  # not executable
    python.chmod(0o755)
    assert venv_python(tmp_path) == str(python)


def test_a_chosen_folder_fills_only_what_the_script_loader_leaves_unset():
    graph = small_graph()
    values = graph.node("script").values
    values.pop("trainer_dir", None)
    values.pop("python", None)
    assert unset_machine_fields(graph, "/opt/T", "/opt/T/venv/bin/python") == {
        "trainer_dir": "/opt/T", "python": "/opt/T/venv/bin/python"}
    values["trainer_dir"], values["python"] = "/mine", "/usr/bin/python3"
    assert unset_machine_fields(graph, "/opt/T", "/opt/T/venv/bin/python") == {}
    values["trainer_dir"] = "."
    assert unset_machine_fields(graph, "/opt/T", None) == {"trainer_dir": "/opt/T"}
    values["host"] = "me@gpu-box"  # paths on another machine: this one's folder says nothing
    assert unset_machine_fields(graph, "/opt/T", None) == {}


def test_recent_file_is_plain_json(tmp_path):
    store = recent.recent_path(tmp_path)
    recent.remember(store, "/a b/\u56fe.json")
    assert json.loads(store.read_text(encoding="utf-8")) == ["/a b/\u56fe.json"]


def test_a_second_click_on_the_same_entry_in_time_is_a_double_click():
    from dpg_lora.ui.clicks import SecondClick

    now = [0.0]
    clicks = SecondClick(0.5, clock=lambda: now[0])
    assert not clicks.is_second("a")
    now[0] = 0.3
    assert not clicks.is_second("b")  # another entry starts again
    now[0] = 0.6
    assert clicks.is_second("b")
    now[0] = 0.7
    assert not clicks.is_second("b")  # a third click starts a new pair
    now[0] = 1.5
    assert not clicks.is_second("b")  # too late
