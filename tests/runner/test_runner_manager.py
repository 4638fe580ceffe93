"""The run queue, history on disk and reattaching from a fresh manager."""
from __future__ import annotations

import sys

import pytest

from dpg_lora.runner import RunManager, RunRequest, StateEvent
from dpg_lora.runner.records import default_runs_dir, save_record
from runner_helpers import read_pids, survivors, trainer_argv, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def request(trainer_dir, *options, config_text=None, config_path=None):
    return RunRequest.make(trainer_argv(*options), trainer_dir, config_text, config_path)


def states(events, run_id=None):
    return [(e.run_id, e.state) for e in events if isinstance(e, StateEvent)
            and (run_id is None or e.run_id == run_id)]


def test_runs_queue_one_after_another(trainer_dir, runs_dir):
    manager = RunManager(runs_dir, grace=0.5)
    first = manager.submit(request(trainer_dir, "--steps", "3", "--delay", "0.05", "--config_path",
                                   "config.json", config_text="first", config_path="config.json"))
    second = manager.submit(request(trainer_dir, "--steps", "2", "--config_path", "config.json",
                                    config_text="second", config_path="config.json"))
    assert first.state == "running" and second.state == "queued"
    assert manager.queued() == [second] and manager.current is first
    assert manager.wait_idle(60)
    assert first.state == second.state == "finished"
    # each run wrote its own frozen config right before starting
    assert "config: first" in first.lines() and "config: second" in second.lines()
    assert second.record.started >= first.record.ended
    history = manager.history()
    assert [r.id for r in history] == [second.id, first.id]  # newest first
    events = manager.drain(10**9)
    assert states(events) == [
        (first.id, "queued"), (first.id, "starting"), (first.id, "running"),
        (second.id, "queued"), (first.id, "finished"),
        (second.id, "starting"), (second.id, "running"), (second.id, "finished"),
    ]


def test_manual_tick_and_cancel(trainer_dir, runs_dir):
    manager = RunManager(runs_dir, auto_advance=False)
    a = manager.submit(request(trainer_dir))
    b = manager.submit(request(trainer_dir))
    assert a.state == b.state == "queued"
    assert manager.cancel(b.id)
    assert manager.tick() == [a]
    assert a.wait(30) and a.state == "finished"
    assert manager.tick() == [] and manager.queued() == []


def test_failed_start_moves_on_to_next(trainer_dir, runs_dir):
    manager = RunManager(runs_dir)
    bad = manager.submit(RunRequest.make([sys.executable, "missing.py"], trainer_dir))
    good = manager.submit(request(trainer_dir))
    assert manager.wait_idle(30)
    assert bad.state == "failed" and "missing.py" in bad.record.message
    assert good.state == "finished"


def test_reattach_from_fresh_manager_then_stop(trainer_dir, runs_dir, tmp_path):
    pidfile = tmp_path / "pids.txt"
    old = RunManager(runs_dir, grace=0.5)
    run = old.submit(request(trainer_dir, "--forever", "--children", "--pidfile", str(pidfile)))
    pids = wait_for(lambda: (p := read_pids(pidfile)) and len(p) == 3 and p)
    wait_for(lambda: "READY" in run.lines())

    fresh = RunManager(runs_dir, grace=0.5)  # like an editor restarted while training runs
    [again] = fresh.active()
    assert again.id == run.id and again.state == "running"
    wait_for(lambda: "READY" in again.lines())
    assert again.progress.step == 5 and "Epoch 2/2" in again.lines()
    fresh.stop()
    assert again.wait(30)
    assert again.state == "stopped"
    wait_for(lambda: not survivors(pids.values()), timeout=10)
    assert run.wait(30)
    evs = fresh.drain(10**9)
    assert ("running" in [s for _, s in states(evs, run.id)]
            and states(evs, run.id)[-1][1] == "stopped")


def test_recover_settles_dead_runs(trainer_dir, runs_dir):
    manager = RunManager(runs_dir)
    run = manager.submit(request(trainer_dir))
    assert run.wait(30) and run.state == "finished"
    # pretend the editor died before it saw the end
    record = run.record
    record.state, record.ended, record.exit_code = "running", None, None
    save_record(record)
    fresh = RunManager(runs_dir)
    assert fresh.active() == []
    [settled] = fresh.history()
    assert settled.state == "finished" and settled.ended  # the end marker is in the log


def test_reused_pid_is_not_reattached(trainer_dir, runs_dir):
    import os

    manager = RunManager(runs_dir)
    run = manager.submit(request(trainer_dir))
    assert run.wait(30)
    record = run.record
    record.state, record.pid, record.pgid = "running", os.getpid(), os.getpid()  # alive, not ours
    save_record(record)
    fresh = RunManager(runs_dir)
    assert fresh.active() == []
    assert fresh.history()[0].state == "finished"


def test_default_runs_dir_honours_env(tmp_path, monkeypatch):
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "base ü"))
    assert default_runs_dir() == tmp_path / "base ü" / "runs"
    assert RunManager().runs_dir.is_dir()
