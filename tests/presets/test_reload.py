from __future__ import annotations

import pytest

from dpg_lora.graph import graph_to_text, load_graph
from dpg_lora.reload import (Action, Choice, OpenFileState, check_file, decide, resolve)

from .helpers import write_graph


@pytest.fixture
def mine(tmp_path):
    path = write_graph(tmp_path / "g.json", "mine")
    text = graph_to_text(load_graph(path))
    path.write_text(text, encoding="utf-8")  # as save_graph writes it
    return path, text


def _theirs(text: str) -> str:
    return text.replace('"mine"', '"theirs"')


def test_same_content_is_ignored(mine):
    path, text = mine
    for dirty in (False, True):
        d = decide(OpenFileState(str(path), text, dirty), text.encode())
        assert d.action == Action.IGNORE and d.clears_error_badge
        assert resolve(d).replace_graph is None


def test_reformatted_same_graph_is_ignored_and_baseline_follows(mine):
    path, text = mine
    reformatted = "\ufeff" + text.replace("\n", "\r\n")
    d = decide(OpenFileState(str(path), text, True), reformatted.encode())
    assert d.action == Action.IGNORE
    assert resolve(d).new_baseline == reformatted[1:]


def test_clean_document_reloads_in_place(mine):
    path, text = mine
    d = decide(OpenFileState(str(path), text, dirty=False), _theirs(text))
    assert d.action == Action.RELOAD and d.graph.name == "theirs" and not d.choices
    r = resolve(d)
    assert r.replace_graph.name == "theirs" and r.saved and r.new_baseline == _theirs(text)
    assert r.open_beside is None


def test_dirty_document_asks_with_three_choices(mine):
    path, text = mine
    d = decide(OpenFileState(str(path), text, dirty=True), _theirs(text).encode())
    assert d.action == Action.ASK
    assert d.choices == (Choice.TAKE_THEIRS, Choice.KEEP_MINE, Choice.OPEN_BESIDE)
    with pytest.raises(ValueError):
        resolve(d)
    take = resolve(d, Choice.TAKE_THEIRS)
    assert take.replace_graph.name == "theirs" and take.saved
    keep = resolve(d, Choice.KEEP_MINE)
    assert keep.replace_graph is None and keep.keep_open_unsaved and not keep.saved
    assert keep.new_baseline == _theirs(text)
    # after "keep mine" the same file content does not ask again
    assert decide(OpenFileState(str(path), keep.new_baseline, True), _theirs(text)).action == Action.IGNORE
    beside = resolve(d, Choice.OPEN_BESIDE)
    assert beside.replace_graph is None and beside.open_beside.name == "theirs" and beside.keep_open_unsaved


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (None, None),
    (b"\xff\xfe broken", "not UTF-8"),
])
def test_empty_deleted_or_undecodable(mine, content, words):
    path, text = mine
    d = decide(OpenFileState(str(path), text, False), content)
    if content is None:
        assert d.action == Action.DELETED and resolve(d).keep_open_unsaved
    else:
        assert d.action == Action.ERROR and words in d.message and not d.clears_error_badge
        assert resolve(d) == resolve(d).__class__()  # nothing changes: the last good version stays


def test_half_written_then_complete(mine):
    path, text = mine
    state = OpenFileState(str(path), text, False)
    half = _theirs(text)[: len(text) // 2]
    d = decide(state, half)
    assert d.action == Action.ERROR and str(path) in d.message and "line" in d.message
    assert "keeping the last good version" in d.message
    assert decide(state, _theirs(text)).action == Action.RELOAD


def test_valid_json_invalid_graph_is_an_error(mine):
    path, text = mine
    d = decide(OpenFileState(str(path), text, True), text.replace('"script_loader"', '"no_such_node"'))
    assert d.action == Action.ERROR and "unknown node type" in d.message


def test_check_file_reads_disk(mine, tmp_path):
    path, text = mine
    state = OpenFileState(str(path), text, False)
    assert check_file(state).action == Action.IGNORE
    path.write_text(_theirs(text), encoding="utf-8")
    assert check_file(state).action == Action.RELOAD
    path.unlink()
    assert check_file(state).action == Action.DELETED
    folder = tmp_path / "dir.json"
    folder.mkdir()
    assert check_file(OpenFileState(str(folder), text, False)).action == Action.ERROR
