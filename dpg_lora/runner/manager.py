"""The run queue: one run at a time by default, the next one starts when the current one ends.

It also owns the shared event queue a UI drains once per frame, and on creation it picks up runs
left by an earlier session: live ones are reattached, dead ones get a final state.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from pathlib import Path

from dpg_lora.runner.events import Event, EventQueue, StateEvent
from dpg_lora.runner.process import RunError
from dpg_lora.runner.records import RunRecord, default_runs_dir, list_records, save_record
from dpg_lora.runner.training_run import DEFAULT_GRACE, RunRequest, TrainingRun, can_reattach


class RunManager:
    def __init__(self, runs_dir: str | os.PathLike | None = None, *, grace: float = DEFAULT_GRACE,
                 max_parallel: int = 1, events: EventQueue | None = None,
                 auto_advance: bool = True, recover: bool = True) -> None:
        self.runs_dir = Path(runs_dir) if runs_dir is not None else default_runs_dir()
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.grace = grace
        self.max_parallel = max(1, max_parallel)
        self.events = events if events is not None else EventQueue()
        self.auto_advance = auto_advance
        self._lock = threading.RLock()
        self._queue: deque[TrainingRun] = deque()
        self._active: list[TrainingRun] = []
        self._finished: list[TrainingRun] = []
        if recover:
            self.recover()

    # --- queue --------------------------------------------------------------------------------

    def submit(self, request: RunRequest) -> TrainingRun:
        if request.hosts:
            from dpg_lora.remote.remote_run import RemoteRun

            run: TrainingRun = RemoteRun.from_request(request, self.runs_dir, self.events,
                                                      grace=self.grace, on_end=self._on_end)
        else:
            run = TrainingRun.from_request(request, self.runs_dir, self.events, grace=self.grace,
                                           on_end=self._on_end)
        with self._lock:
            self._queue.append(run)
        self.events.put(StateEvent(run.id, "queued"))
        if self.auto_advance:
            self.tick()
        return run

    def tick(self) -> list[TrainingRun]:
        """Start queued runs while there is room. Returns the runs started."""
        started: list[TrainingRun] = []
        while True:
            with self._lock:
                self._active = [r for r in self._active if not r.ended]
                if not self._queue or len(self._active) >= self.max_parallel:
                    return started
                run = self._queue.popleft()
                self._active.append(run)
            if getattr(run, "starts_in_background", False):
                run.start_in_background()  # e.g. ssh round trips: not on the caller's (UI) thread
            else:
                try:
                    run.start()
                except RunError:
                    pass  # the run recorded itself as failed and emitted the state event
            started.append(run)

    def _on_end(self, run: TrainingRun) -> None:
        with self._lock:
            if run in self._active:
                self._active.remove(run)
            self._finished.append(run)
            del self._finished[:-20]
        if self.auto_advance:
            self.tick()

    def cancel(self, run_id: str) -> bool:
        with self._lock:
            for run in self._queue:
                if run.id == run_id:
                    self._queue.remove(run)
                    self.events.put(StateEvent(run_id, "cancelled"))
                    return True
        return False

    def stop(self, run_id: str | None = None, grace: float | None = None) -> None:
        """Stop the given run (or every active one); a queued run is cancelled instead."""
        if run_id is not None and self.cancel(run_id):
            return
        for run in self.active():
            if run_id is None or run.id == run_id:
                run.stop(grace)

    # --- views --------------------------------------------------------------------------------

    def active(self) -> list[TrainingRun]:
        with self._lock:
            return [r for r in self._active if not r.ended]

    @property
    def current(self) -> TrainingRun | None:
        active = self.active()
        return active[0] if active else None

    def queued(self) -> list[TrainingRun]:
        with self._lock:
            return list(self._queue)

    def get(self, run_id: str) -> TrainingRun | None:
        with self._lock:
            for run in [*self._active, *self._queue, *self._finished]:
                if run.id == run_id:
                    return run
        return None

    def history(self) -> list[RunRecord]:
        return list_records(self.runs_dir)

    def drain(self, max_items: int = 2000) -> list[Event]:
        return self.events.drain(max_items)

    def wait_idle(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                busy = [r for r in self._active if not r.ended] or list(self._queue)
            if not busy:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            busy[0].wait(0.05)
            if self.auto_advance is False:
                self.tick()

    # --- earlier sessions ---------------------------------------------------------------------

    def recover(self) -> list[TrainingRun]:
        """Reattach to live runs on record; settle the state of runs that died unobserved."""
        reattached: list[TrainingRun] = []
        known = {r.id for r in self.active()}
        for record in self.history():
            if record.is_final or record.id in known:
                continue
            if record.machines:  # detached (remote) run: its machines say whether it lives
                from dpg_lora.remote.remote_run import RemoteRun

                run = RemoteRun.reattach(record, self.events, grace=self.grace, on_end=self._on_end)
                with self._lock:
                    self._active.append(run)
                reattached.append(run)
            elif can_reattach(record):
                run = TrainingRun.reattach(record, self.events, grace=self.grace, on_end=self._on_end)
                with self._lock:
                    self._active.append(run)
                reattached.append(run)
            elif record.state != "queued":
                record.state = "finished" if _log_has_end_marker(record.log_path) else "failed"
                record.message = record.message or "process ended while no editor was watching"
                record.ended = record.ended or time.time()
                try:
                    save_record(record)
                except OSError:
                    pass
        return reattached


def _log_has_end_marker(log_path: str, tail_bytes: int = 1 << 16) -> bool:
    from dpg_lora.runner.parse import END_MARKER

    try:
        with open(log_path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - tail_bytes))
            return END_MARKER.encode() in fh.read()
    except OSError:
        return False
