from __future__ import annotations

from dpg_lora.runner.events import (
    EventQueue,
    LinesEvent,
    LossEvent,
    ProgressEvent,
    SkippedEvent,
    StateEvent,
)
from dpg_lora.runner.parse import parse_progress


def lines_of(events):
    return [line for e in events if isinstance(e, LinesEvent) for line in e.lines]


def test_order_of_lines_and_states_is_kept():
    q = EventQueue()
    q.put(StateEvent("r", "running"))
    q.put_lines("r", ["a", "b"])
    q.put(StateEvent("r", "finished", 0))
    events = q.drain()
    assert [type(e).__name__ for e in events] == ["StateEvent", "LinesEvent", "StateEvent"]
    assert events[1].lines == ["a", "b"] and events[2].state == "finished"
    assert q.drain() == []


def test_drain_budget_leaves_rest_for_next_call():
    q = EventQueue()
    q.put_lines("r", [str(i) for i in range(10)])
    q.put(StateEvent("r", "finished"))
    first = q.drain(4)
    assert lines_of(first) == ["0", "1", "2", "3"]
    assert not any(isinstance(e, StateEvent) for e in first)
    rest = q.drain(100)
    assert lines_of(rest) == [str(i) for i in range(4, 10)]
    assert isinstance(rest[-1], StateEvent)


def test_overflow_drops_oldest_lines_and_reports_count():
    q = EventQueue(max_lines=100)
    for i in range(10):
        q.put_lines("r", [f"{i}-{j}" for j in range(100)])
    assert len(q) == 100
    events = q.drain(1000)
    assert isinstance(events[0], SkippedEvent) and events[0].count == 900
    assert lines_of(events) == [f"9-{j}" for j in range(100)]
    assert q.skipped_total == 900


def test_progress_is_latest_wins_and_losses_are_bounded():
    q = EventQueue(max_losses=5)
    for step in range(1, 50):
        p = parse_progress(f" 1%|| {step}/100 [00:01<00:10, 1.0it/s, loss=0.5]")
        q.put(ProgressEvent("r", p))
        q.put(LossEvent("r", step, 1.0 / step))
    events = q.drain()
    progress = [e for e in events if isinstance(e, ProgressEvent)]
    assert len(progress) == 1 and progress[0].progress.step == 49
    assert [e.step for e in events if isinstance(e, LossEvent)] == [45, 46, 47, 48, 49]


def test_lines_of_different_runs_come_in_separate_batches():
    q = EventQueue()
    q.put_lines("a", ["1"])
    q.put_lines("b", ["2", "3"])
    events = q.drain()
    assert [(e.run_id, e.lines) for e in events] == [("a", ["1"]), ("b", ["2", "3"])]


def test_output_wakes_through_wake_output_and_a_state_change_through_wake():
    calls = []
    q = EventQueue(wake=lambda: calls.append("wake"), wake_output=lambda: calls.append("output"))
    q.put_lines("r", ["a"])
    q.put(ProgressEvent("r", parse_progress("Steps:  50%|#####     | 5/10 [00:05<00:05,  1.00it/s]")))
    q.put(LossEvent("r", 1, 0.5))
    q.put(SkippedEvent("r", 3))
    q.put(StateEvent("r", "finished", 0))
    assert calls == ["output", "output", "output", "output", "wake"]
    alone = []
    q = EventQueue(wake=lambda: alone.append("wake"))  # without wake_output, output wakes as before
    q.put_lines("r", ["a"])
    assert alone == ["wake"]
