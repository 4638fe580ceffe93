"""The run panel renders RunView state into Dear PyGui items (a context, no viewport/display)."""
from __future__ import annotations

import re
from unittest import mock

import pytest

dpg = pytest.importorskip("dearpygui.dearpygui")

from dpg_lora.runner import RunManager, RunRequest  # noqa: E402
from dpg_lora.ui.run_panel import RunPanel  # noqa: E402
from runner_helpers import trainer_argv, wait_for  # noqa: E402


@pytest.fixture
def context(headless_window):
    return headless_window


def test_panel_shows_a_run_and_sets_nothing_when_idle(context, trainer_dir, runs_dir):
    manager = RunManager(runs_dir, grace=0.5)
    request = RunRequest.make(trainer_argv("--steps", "4"), trainer_dir)
    panel = RunPanel(context, manager, request_provider=lambda: request)
    panel.build()
    assert dpg.get_value(panel.tags["state"]) == "idle"
    run = panel.run_clicked()
    assert run.wait(30)
    wait_for(lambda: (panel.drain() or True) and panel.view.state == "finished")
    panel.drain()
    assert re.fullmatch(r"finished in \d\d:\d\d, exit 0", dpg.get_value(panel.tags["state"]))
    assert "ETA" not in dpg.get_value(panel.tags["eta"])  # no ETA once it has ended
    assert dpg.get_value(panel.tags["progress"]) == pytest.approx(1.0)
    assert "step 4/4" in dpg.get_item_configuration(panel.tags["progress"])["overlay"]
    xs, ys = dpg.get_value(panel.tags["raw"])[:2]
    assert list(xs) == [1.0, 2.0, 3.0, 4.0] and ys[-1] == pytest.approx(0.25)
    assert "=========== End Training ===========" in dpg.get_value(panel.tags["log"])
    assert any(run.id in label for label in panel.history_labels())
    assert dpg.get_value(panel.history_items[run.id]) is True  # the run on view is highlighted
    # nothing new: no widget is touched
    with mock.patch.object(dpg, "set_value") as set_value:
        assert panel.drain() is False
        assert set_value.call_count == 0


def test_panel_opens_a_past_log(context, trainer_dir, runs_dir):
    manager = RunManager(runs_dir)
    run = manager.submit(RunRequest.make(trainer_argv("--crash"), trainer_dir))
    assert run.wait(30)
    panel = RunPanel(context, RunManager(runs_dir))
    panel.build()
    [label] = panel.history_labels()
    assert "failed (1)" in label and run.id in label
    panel.select_history(run.id)
    panel.drain()
    assert dpg.get_value(panel.tags["state"]).startswith("failed after ")
    assert ", exit 1: exit code 1" in dpg.get_value(panel.tags["state"])
    assert "RuntimeError: CUDA out of memory (fake)" in dpg.get_value(panel.tags["log"])
