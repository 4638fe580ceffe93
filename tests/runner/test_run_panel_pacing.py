"""While a run prints, the Run tab draws its output on the loop's paced turns and holds it in
between; what it holds always has a paced post coming (a context, no viewport)."""
from __future__ import annotations

import pytest

dpg = pytest.importorskip("dearpygui.dearpygui")

from dpg_lora.runner import RunManager  # noqa: E402
from dpg_lora.runner.events import EventQueue, StateEvent  # noqa: E402
from dpg_lora.ui.run_panel import RunPanel  # noqa: E402


def panel_with_live_run(window, runs_dir):
    output_wakes: list[str] = []
    events = EventQueue(wake=lambda: None, wake_output=lambda: output_wakes.append("output"))
    panel = RunPanel(window, RunManager(runs_dir, events=events, recover=False))
    panel.build()
    panel.view.follow("r1", state="running")
    events.put(StateEvent("r1", "running"))
    panel.drain(paced=True)
    output_wakes.clear()
    return panel, events, output_wakes


def log(panel) -> str:
    return dpg.get_value(panel.tags["log"])


def test_output_is_held_until_the_paced_turn_and_state_is_drawn_at_once(headless_window, runs_dir):
    panel, events, wakes = panel_with_live_run(headless_window, runs_dir)
    events.put_lines("r1", ["step one"])
    assert wakes == ["output"]
    assert panel.drain(paced=False) is False  # an input frame between paced turns
    assert "step one" not in log(panel)
    assert panel.next_due() is None  # the paced post draws it, no timer of its own
    assert panel.drain(paced=True) is True
    assert "step one" in log(panel)
    events.put_lines("r1", ["last words"])
    events.put(StateEvent("r1", "finished", 0))
    panel.drain(paced=False)  # the end is drawn at once, with all it held
    assert "last words" in log(panel) and dpg.get_value(panel.tags["state"]).startswith("finished")


def test_a_view_change_held_without_output_asks_for_a_paced_post(headless_window, runs_dir):
    """Held sections that no output changed (the view switched to a quiet live run) would wait
    for output that may not come for minutes: holding them asks for a paced post itself."""
    panel, events, wakes = panel_with_live_run(headless_window, runs_dir)
    panel.view.follow("r2", state="running")
    assert panel.drain(paced=False) is True  # its state is drawn at once
    assert wakes == ["output"]


def test_without_pacing_the_output_waits_slow_interval(headless_window, runs_dir):
    panel, events, wakes = panel_with_live_run(headless_window, runs_dir)
    panel.slow_interval = 60.0
    panel._slow_next = 0.0
    events.put_lines("r1", ["drawn"])
    panel.drain()  # the time-held mode: this redraw starts the 60 s interval
    events.put_lines("r1", ["held"])
    panel.drain()
    assert "drawn" in log(panel) and "held" not in log(panel)
    assert panel.next_due() is not None  # its own timer draws it
    assert wakes == ["output", "output"]  # the queue's own wakes only: the panel asks nothing here
