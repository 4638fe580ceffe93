from __future__ import annotations

import pytest

from dpg_lora.runner.events import (
    EpochEvent,
    EventQueue,
    LinesEvent,
    LossEvent,
    ProgressEvent,
    SkippedEvent,
    StateEvent,
)
from dpg_lora.runner.parse import END_MARKER, parse_progress
from dpg_lora.runner.records import RunRecord
from dpg_lora.runner.view import RunView, progress_text

LINE = "Steps:  12%|█▏        | 120/1000 [01:02<07:40,  1.91it/s, loss=0.123, lr=0.0001]"


def test_progress_text():
    assert progress_text(parse_progress(LINE), (3, 10)) == \
        "step 120/1000  12.0%  1.91 it/s  ETA 07:40  loss 0.123  epoch 3/10"
    slow = parse_progress("  5%|▌ | 5/100 [00:01<00:19, 4.95s/it]")
    assert progress_text(slow) == "step 5/100  5.0%  4.95 s/it  ETA 00:19"
    assert progress_text(None) == ""


def test_view_follows_a_run_and_reports_dirty_sections_once():
    view = RunView(log_lines=3)
    view.take_dirty()
    assert view.apply([]) is False and view.take_dirty() == set()
    view.apply([StateEvent("a", "running"), LinesEvent("a", ["1", "2", "3", "4"]),
                ProgressEvent("a", parse_progress(LINE)), EpochEvent("a", 3, 10)])
    assert view.take_dirty() == {"state", "log", "progress", "loss"}  # a new run redraws all
    assert list(view.log) == ["2", "3", "4"]
    assert view.fraction == pytest.approx(0.12)
    assert view.eta_text == "ETA 07:40" and "epoch 3/10" in view.progress_label
    view.apply([SkippedEvent("a", 50)])
    assert view.log_text().startswith("[50 lines skipped in view; full log on disk]")
    view.apply([StateEvent("a", "failed", 1, "exit code 1", ["Traceback", "Boom"])])
    assert view.state_text == "failed (exit code 1): exit code 1"
    assert view.traceback == ["Traceback", "Boom"] and view.eta_text == ""


def test_queued_run_does_not_steal_the_view_but_a_starting_one_does():
    view = RunView()
    view.apply([StateEvent("a", "running"), StateEvent("b", "queued"), LinesEvent("b", ["x"])])
    assert view.run_id == "a" and list(view.log) == []
    view.apply([StateEvent("a", "finished", 0), StateEvent("b", "starting"), LinesEvent("b", ["y"])])
    assert view.run_id == "b" and list(view.log) == ["y"] and view.state == "starting"


def test_loss_series_raw_and_smoothed_stay_bounded():
    view = RunView(loss_points=100, ema_alpha=0.5)
    view.apply([StateEvent("a", "running"), LossEvent("a", 1, 1.0), LossEvent("a", 2, 0.0)])
    assert view.loss_xs == [1.0, 2.0] and view.loss_ys == [1.0, 0.0]
    assert view.loss_smooth == [1.0, 0.5]
    view.apply([LossEvent("a", s, 1.0 / s) for s in range(3, 1000)])
    assert len(view.loss_xs) <= 100
    assert view.loss_xs[0] == 1.0 and view.loss_xs[-1] >= 900  # whole history, lower resolution
    assert len(view.loss_xs) == len(view.loss_ys) == len(view.loss_smooth)
    assert view.loss_xs == sorted(view.loss_xs)


def test_show_record_reads_a_past_log(tmp_path):
    log = tmp_path / "run" / "output.log"
    log.parent.mkdir()
    log.write_bytes(b"start\n\r" + LINE.encode() + b"\r" + LINE.replace("120/", "130/").encode()
                    + b"\n" + END_MARKER.encode() + b"\n")
    record = RunRecord(id="r1", argv=["python"], cwd=".", log_path=str(log), state="finished", exit_code=0)
    view = RunView()
    view.show_record(record)
    assert view.run_id == "r1" and view.state_text == "finished (exit code 0)"
    assert view.progress.step == 130 and view.loss_xs == [120.0, 130.0]
    assert list(view.log)[0] == "start" and list(view.log)[-1] == END_MARKER
    assert view.fraction == pytest.approx(0.13)


def test_view_with_queue_end_to_end():
    q = EventQueue(max_lines=10)
    q.put(StateEvent("a", "running"))
    q.put_lines("a", [str(i) for i in range(100)])
    view = RunView()
    view.apply(q.drain())
    assert view.skipped == 90 and list(view.log)[-1] == "99"
