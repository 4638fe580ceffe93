"""A view that chooses a live run again shows each of its lines and loss points once, however far
the log file is ahead of what was drained (the run's LogSnapshotEvent; pure, no GUI)."""
from __future__ import annotations

import threading

from dpg_lora.runner.events import EventQueue, LogSnapshotEvent
from dpg_lora.runner.records import RunRecord
from dpg_lora.runner.tail import OutputFollower
from dpg_lora.runner.view import RunView


def bar(step: int, loss: float) -> str:
    return (f"\rSteps: {step * 10:3d}%|{'#' * step}{' ' * (10 - step)}| {step}/10 "
            f"[00:{step:02d}<00:{10 - step:02d},  1.91it/s, step_loss={loss:.4f}, lr=0.0001]")


def test_lines_queued_and_lines_not_yet_read_are_shown_once(tmp_path):
    log = tmp_path / "log"
    log.write_bytes(b"".join(f"line {i}\n".encode() for i in range(5)) + (bar(1, 0.5) + "\n").encode())
    events = EventQueue()
    with open(log, "rb") as fh:
        follower = OutputFollower("r1", fh, events)
        follower.read_available()  # lines 0-4 and step 1 queued, not drained
        with open(log, "ab") as out:  # the trainer writes on; the follower has not read it yet
            out.write(b"".join(f"line {i}\n".encode() for i in range(5, 8)) + (bar(2, 0.25) + "\n").encode())
        view = RunView()
        view.show_record(RunRecord(id="r1", argv=[], cwd=".", log_path=str(log), state="running"))
        assert [s for s in view.log if s.startswith("line")] == [f"line {i}" for i in range(8)]  # from the file
        assert view.loss_xs == [1.0, 2.0]
        follower.snapshot()
        view.expect_snapshot()
        view.apply(events.drain())  # lines 0-4 were queued before the snapshot: in it, once
        assert [s for s in view.log if s.startswith("line")] == [f"line {i}" for i in range(5)]
        follower.read_available()  # lines 5-7 and step 2, queued after the snapshot
        view.apply(events.drain())
        assert [s for s in view.log if s.startswith("line")] == [f"line {i}" for i in range(8)]
        assert view.loss_xs == [1.0, 2.0]  # the points read from the file are not added again
        with open(log, "ab") as out:
            out.write((bar(3, 0.125) + "\n").encode() + b"line 8\n")
        follower.read_available()
        view.apply(events.drain())
        assert [s for s in view.log if s.startswith("line")] == [f"line {i}" for i in range(9)]
        assert view.loss_xs == [1.0, 2.0, 3.0]


def test_a_snapshot_is_never_taken_between_the_ring_and_the_queue(tmp_path):
    """Lines published while snapshots are taken from another thread: every line is either in a
    snapshot or queued after it, never both, never neither."""
    log = tmp_path / "log"
    log.write_bytes(b"")
    events = EventQueue(max_lines=1 << 20)
    with open(log, "rb") as fh, open(log, "ab") as out:
        follower = OutputFollower("r1", fh, events, ring_size=100000)
        done = threading.Event()

        def publish() -> None:
            for i in range(2000):
                out.write(f"line {i}\n".encode())
                out.flush()
                follower.read_available()
            done.set()

        thread = threading.Thread(target=publish)
        thread.start()
        while not done.is_set():
            follower.snapshot()
        thread.join()
        follower.snapshot()
    view = RunView(log_lines=100000)
    view._reset("r1")
    view.state = "running"
    view.expect_snapshot()
    drained = events.drain(max_items=1 << 20)
    snapshots = [e for e in drained if isinstance(e, LogSnapshotEvent)]
    assert len(snapshots) >= 2
    view.apply(drained[drained.index(snapshots[0]):])  # a view choosing the run at the first snapshot
    assert list(view.log) == [f"line {i}" for i in range(2000)]
