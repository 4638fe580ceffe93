"""The remembered UI state: a broken file is an empty state, values are checked by type."""
import json
import os

from dpg_lora.ui_state import UiState, load_ui_state, save_ui_state, ui_state_path


def test_round_trip_and_typed_reads(tmp_path):
    path = ui_state_path(tmp_path / "user dir é")
    state = UiState()
    assert state.set("window.width", 1200) and not state.set("window.width", 1200)
    state.set("language", "zh-CN")
    state.set("scale", 1.25)
    save_ui_state(path, state)
    again = load_ui_state(path)
    assert again.get_int("window.width") == 1200
    assert again.get_str("language") == "zh-CN"
    assert again.get_float("scale") == 1.25
    assert again.get_int("scale") is None          # 1.25 is not an int
    assert again.get_str("window.width") is None   # wrong type: the default
    assert again.get_bool("missing", True) is True


def test_broken_or_odd_files_are_an_empty_state(tmp_path):
    path = tmp_path / "ui_state.json"
    for text in ("{", "[1, 2]", '"x"', "\udcff"):
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        assert load_ui_state(path).values == {}
    assert load_ui_state(tmp_path / "missing.json").values == {}
    path.write_text(json.dumps({"w": True, "n": 3}))
    assert load_ui_state(path).get_int("w") is None and load_ui_state(path).get_int("n") == 3  # a bool is no number


def test_save_keeps_the_file_mode(tmp_path):
    path = tmp_path / "ui_state.json"
    path.write_text("{}")
    os.chmod(path, 0o600)
    save_ui_state(path, UiState({"a": 1}))
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert json.loads(path.read_text()) == {"a": 1}
