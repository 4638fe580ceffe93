"""The remembered UI state is written once its changes have been quiet, not at every change."""
from __future__ import annotations

import json

from dpg_lora.ui.remember import SAVE_AFTER, Remembered


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_changes_are_written_when_quiet_and_at_flush(tmp_path):
    path, clock = tmp_path / "ui_state.json", Clock()
    r = Remembered(path, clock=clock)
    for width in range(200, 260, 10):  # a splitter dragged: a change every frame
        r.set("panels.left_width", width)
        clock.now += 0.05
        assert not r.poll() and not path.exists()
    clock.now += SAVE_AFTER
    assert r.poll()
    assert json.loads(path.read_text()) == {"panels.left_width": 250}
    assert r.next_due() is None
    r.set("panels.left_width", 250)  # no change: nothing due
    assert r.next_due() is None
    r.set("window.x", 5)
    r.flush()
    assert json.loads(path.read_text())["window.x"] == 5
    assert Remembered(path).state.get_int("window.x") == 5


def test_without_a_path_nothing_is_written_and_a_failed_save_is_reported(tmp_path):
    r = Remembered(None)
    r.set("panels.left_width", 300)
    assert r.next_due() is None and r.state.get_int("panels.left_width") == 300
    blocked = tmp_path / "file"
    blocked.write_text("")
    r = Remembered(blocked / "ui_state.json")  # its folder is a file
    r.set("window.x", 1)
    r.flush()
    assert r.problem and "ui_state.json" in r.problem
