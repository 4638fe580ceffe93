"""Real processes: the fake trainer run through TrainingRun."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dpg_lora.runner import EventQueue, LinesEvent, LossEvent, ProgressEvent, RunError, StateEvent
from dpg_lora.runner.records import list_records
from dpg_lora.runner.training_run import RunRequest, TrainingRun
from runner_helpers import read_pids, survivors, trainer_argv, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def start(trainer_dir, runs_dir, *options, grace=0.5, config_text=None, config_path=None, events=None):
    request = RunRequest.make(trainer_argv(*options), trainer_dir, config_text, config_path)
    run = TrainingRun.from_request(request, runs_dir, events, grace=grace)
    run.start()
    return run


def all_events(run):
    return run.events.drain(10**9)


def test_normal_finish(trainer_dir, runs_dir):
    run = start(trainer_dir, runs_dir, "--steps", "5")
    assert run.wait(30)
    assert run.state == "finished" and run.exit_code == 0
    assert run.end_marker_seen
    lines = run.lines()
    assert "warning: something on stderr" in lines  # stderr merged
    assert "bad bytes: \ufffd\ufffd end" in lines  # invalid UTF-8 replaced, not fatal
    steps = [l for l in lines if l.startswith("Steps:")]
    assert len(steps) == 1 and "5/5" in steps[0]  # the \r redraws of one tqdm bar are one line
    assert Path(run.record.log_path).read_bytes().count(b"\rSteps:") == 5  # every redraw on disk
    assert run.progress.step == 5 and run.progress.total == 5
    assert run.progress.loss == pytest.approx(0.2)
    assert run.epoch == (2, 2)
    events = all_events(run)
    states = [e.state for e in events if isinstance(e, StateEvent)]
    assert states == ["starting", "running", "finished"]
    losses = [(e.step, round(e.loss, 4)) for e in events if isinstance(e, LossEvent)]
    assert losses == [(1, 1.0), (2, 0.5), (3, 0.3333), (4, 0.25), (5, 0.2)]
    assert [e for e in events if isinstance(e, ProgressEvent)][-1].progress.step == 5


def test_config_written_atomically_before_start(trainer_dir, runs_dir):
    text = '{"rank": 16, "name": "ü"}'
    run = start(trainer_dir, runs_dir, "--config_path", "cfg dir/config.json",
                config_text=text, config_path="cfg dir/config.json")
    assert run.wait(30) and run.state == "finished"
    assert (trainer_dir / "cfg dir" / "config.json").read_text(encoding="utf-8") == text
    assert f"config: {text}" in run.lines()


def test_crash_is_failed_with_traceback_tail(trainer_dir, runs_dir):
    run = start(trainer_dir, runs_dir, "--crash")
    assert run.wait(30)
    assert run.state == "failed" and run.exit_code == 1
    tb = run.record.traceback
    assert tb[0].startswith("Traceback") and tb[-1] == "RuntimeError: CUDA out of memory (fake)"
    final = [e for e in all_events(run) if isinstance(e, StateEvent)][-1]
    assert final.state == "failed" and final.traceback == tb


def test_nonzero_exit_without_traceback_is_failed(trainer_dir, runs_dir):
    run = start(trainer_dir, runs_dir, "--exit", "3")
    assert run.wait(30)
    assert (run.state, run.exit_code) == ("failed", 3)
    assert run.record.traceback  # the last lines stand in for a traceback


def test_stop_kills_whole_tree_including_setsid_grandchild(trainer_dir, runs_dir, tmp_path):
    pidfile = tmp_path / "pids.txt"
    run = start(trainer_dir, runs_dir, "--forever", "--children", "--setsid-grandchild",
                "--pidfile", str(pidfile), grace=2.0)
    pids = wait_for(lambda: (p := read_pids(pidfile)) and len(p) == 3 and p)
    assert not survivors([]) and len(survivors(pids.values())) == 3
    run.stop()
    assert run.state == "stopping"  # returned at once, the waiting happens elsewhere
    assert run.wait(30)
    assert run.state == "stopped"
    wait_for(lambda: not survivors(pids.values()), timeout=10)


def test_term_ignoring_tree_is_killed_after_grace(trainer_dir, runs_dir, tmp_path):
    pidfile = tmp_path / "pids.txt"
    run = start(trainer_dir, runs_dir, "--forever", "--children", "--ignore-term",
                "--pidfile", str(pidfile), grace=0.3)
    pids = wait_for(lambda: (p := read_pids(pidfile)) and len(p) == 3 and p)
    wait_for(lambda: "READY" in run.lines())
    run.stop()
    assert run.wait(30)
    assert run.state == "stopped" and run.exit_code == -9
    wait_for(lambda: not survivors(pids.values()), timeout=10)


def test_missing_interpreter(trainer_dir, runs_dir):
    with pytest.raises(RunError, match="no-such-python-xyz"):
        start_req(trainer_dir, runs_dir, ["no-such-python-xyz", "train_fake.py"])
    with pytest.raises(RunError, match="bin/nope"):
        start_req(trainer_dir, runs_dir, ["/bin/nope/python", "train_fake.py"])


def test_missing_script(trainer_dir, runs_dir):
    with pytest.raises(RunError, match="train_missing.py"):
        start_req(trainer_dir, runs_dir, [sys.executable, "train_missing.py"])


def test_missing_trainer_dir(tmp_path, runs_dir):
    missing = tmp_path / "no such dir"
    with pytest.raises(RunError, match="no such dir"):
        start_req(missing, runs_dir, [sys.executable, "train_fake.py"])


def start_req(cwd, runs_dir, argv):
    run = TrainingRun.from_request(RunRequest.make(argv, cwd), runs_dir)
    try:
        run.start()
    finally:
        if run.ended:
            assert run.state == "failed" and run.record.message
            record = list_records(runs_dir)[0]
            assert record.state == "failed" and record.message == run.record.message
    return run


def test_record_on_disk(trainer_dir, runs_dir):
    run = start(trainer_dir, runs_dir, "--steps", "2", config_text="{}", config_path="c.json")
    assert run.wait(30)
    data = json.loads((Path(run.record.log_path).parent / "run.json").read_text(encoding="utf-8"))
    assert data["id"] == run.id and data["state"] == "finished" and data["exit_code"] == 0
    assert data["argv"][1] == "train_fake.py" and data["cwd"] == str(trainer_dir)
    assert data["config_text"] == "{}" and data["config_path"] == "c.json"
    assert data["pid"] == data["pgid"] and data["proc_start_time"]
    assert data["started"] <= data["ended"]
    log = Path(data["log_path"]).read_bytes()
    assert b"\xff\xfe" in log and b"\r" in log  # the raw bytes are kept on disk
    assert list_records(runs_dir)[0].id == run.id


def test_flood_keeps_memory_bounded(trainer_dir, runs_dir):
    events = EventQueue(max_lines=1000)
    run = start(trainer_dir, runs_dir, "--flood", "200000", "--steps", "1", events=events)
    assert run.wait(60) and run.state == "finished"
    assert len(run.lines()) == 2000  # the ring keeps the tail only
    assert len(events) <= 1000 + 10
    drained = events.drain(10**9)
    skipped = sum(e.count for e in drained if hasattr(e, "count"))
    kept = sum(len(e.lines) for e in drained if isinstance(e, LinesEvent))
    assert skipped > 0 and skipped + kept == run._follower.lines_seen
    assert run._follower.lines_seen >= 200000
    assert Path(run.record.log_path).stat().st_size > 200000 * 60  # everything is on disk


def test_progress_flood_is_coalesced(trainer_dir, runs_dir):
    events = EventQueue(max_lines=500, max_losses=300)
    run = start(trainer_dir, runs_dir, "--flood", "50000", "--flood-progress", "--steps", "3",
                events=events)
    assert run.wait(60) and run.state == "finished"
    drained = events.drain(10**9)
    progress = [e for e in drained if isinstance(e, ProgressEvent)]
    assert len(progress) == 1 and (progress[0].progress.step, progress[0].progress.total) == (3, 3)
    # a flood's reads are sampled for loss points (at most PARSED_PER_READ per 1 MiB read)
    assert 10 <= len([e for e in drained if isinstance(e, LossEvent)]) <= 300
    # 50,000 redraws of the flood's bar, then the 3 steps' bar: two lines shown (each read that
    # catches the bar mid-way publishes its newest redraw as a replacement of the one before)
    assert len([l for l in run.lines() if l.startswith("Steps:")]) == 2
    assert Path(run.record.log_path).read_bytes().count(b"\rSteps:") == 50000 + 3
