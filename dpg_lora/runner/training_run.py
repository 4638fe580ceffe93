"""One training run: write the config, start the trainer, follow its log, stop it, record it.

States: queued -> starting -> running -> (stopping ->) finished | failed | stopped.
A watcher thread follows the log file and notices the exit; nothing here blocks the caller.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dpg_lora.fileio import atomic_write_text
from dpg_lora.runner import process
from dpg_lora.runner.events import EventQueue, StateEvent
from dpg_lora.runner.parse import Progress
from dpg_lora.runner.process import ProcessId, RunError
from dpg_lora.runner.records import LOG_FILE, RunRecord, freeze_config, new_run_id, save_record
from dpg_lora.runner.tail import OutputFollower

DEFAULT_GRACE = 10.0
POLL_SECONDS = 0.025


@dataclass(frozen=True)
class RunRequest:
    """A frozen snapshot of what to run; later edits to the graph do not change it."""

    argv: tuple[str, ...]
    cwd: str
    config_text: str | None = None
    config_path: str | None = None
    script: str | None = None
    env: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    hosts: tuple[str, ...] = ()  # ssh destinations, machine 0 first; () = this machine, as a child
    graph: str = ""  # the graph file it was made from, for the record ("" unknown or unsaved)

    @classmethod
    def make(cls, argv, cwd, config_text=None, config_path=None, script=None, env=None,
             hosts=(), graph: str | None = None) -> "RunRequest":
        return cls(tuple(str(a) for a in argv), str(cwd), config_text,
                   None if config_path is None else str(config_path), script,
                   tuple(sorted((env or {}).items())), tuple(hosts), graph or "")

    @classmethod
    def again(cls, record: RunRecord, config_text: str | None) -> "RunRequest":
        """The request that runs a recorded run again as it was: the same command, trainer
        folder, config path and hosts, with `config_text` (its frozen config)."""
        return cls.make(record.request_argv or record.argv, record.cwd, config_text,
                        record.config_path, record.script, hosts=record.hosts, graph=record.graph)


def final_state(stop_requested: bool, exit_code: int | None, end_marker_seen: bool) -> str:
    if stop_requested:
        return "stopped"
    if exit_code == 0:
        return "finished"
    if exit_code is None and end_marker_seen:  # reattached: the exit code is not ours to read
        return "finished"
    return "failed"


class TrainingRun:
    def __init__(self, record: RunRecord, events: EventQueue | None = None, *,
                 grace: float = DEFAULT_GRACE, ring_size: int = 2000, poll: float = POLL_SECONDS,
                 env: dict[str, str] | None = None,
                 on_end: Callable[["TrainingRun"], None] | None = None) -> None:
        self.record = record
        self.events = events if events is not None else EventQueue()
        self.grace = grace
        self.poll = poll
        self.ring_size = ring_size
        self.on_end = on_end
        self._env = env
        self._proc: subprocess.Popen | None = None
        self._ident: ProcessId | None = None
        self._follower: OutputFollower | None = None
        self._watcher: threading.Thread | None = None
        self._stop_requested = threading.Event()
        self._ended = threading.Event()
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def from_request(cls, request: RunRequest, runs_dir: str | os.PathLike,
                     events: EventQueue | None = None, **kwargs) -> "TrainingRun":
        run_id = new_run_id()
        folder = Path(runs_dir) / run_id
        while folder.exists():
            run_id = new_run_id()
            folder = Path(runs_dir) / run_id
        record = RunRecord(id=run_id, argv=list(request.argv), cwd=request.cwd,
                           config_text=request.config_text, config_path=request.config_path,
                           script=request.script, log_path=str(folder / LOG_FILE),
                           graph=request.graph, request_argv=list(request.argv))
        env = dict(request.env) if request.env else None
        return cls(record, events, env=env, **kwargs)

    # --- properties -------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def state(self) -> str:
        return self.record.state

    @property
    def exit_code(self) -> int | None:
        return self.record.exit_code

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    @property
    def progress(self) -> Progress | None:
        return self._follower.progress if self._follower else None

    @property
    def epoch(self) -> tuple[int, int | None] | None:
        return self._follower.epoch if self._follower else None

    @property
    def end_marker_seen(self) -> bool:
        return bool(self._follower and self._follower.end_marker_seen)

    @property
    def process_id(self) -> ProcessId | None:
        return self._ident

    def lines(self) -> list[str]:
        return list(self._follower.ring) if self._follower else []

    def request_log_snapshot(self) -> bool:
        """Queue its published lines as a LogSnapshotEvent (a view choosing this run again takes
        them instead of re-reading a log file the queue may still be behind); False: nothing is
        followed yet."""
        follower = self._follower
        if follower is None:
            return False
        follower.snapshot()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)

    # --- lifecycle --------------------------------------------------------------------------

    def _set_state(self, state: str, message: str = "", background: bool = False) -> None:
        self.record.state = state
        if message:
            self.record.message = message
        if background:  # keep fsync off the caller's (UI) thread
            threading.Thread(target=self._save, daemon=True).start()
        else:
            self._save()
        self.events.put(StateEvent(self.id, state, self.record.exit_code, message,
                                   list(self.record.traceback)))

    def _save(self) -> None:
        # serialised at write time under a lock, so a late writer still writes the newest state
        with self._save_lock:
            try:
                save_record(self.record)
            except OSError:
                pass  # a full disk must not take the run down with it

    def _freeze_config(self) -> None:
        """The record folder's copy of the config (runner.records.freeze_config); a failure to
        keep it fails the start, as a config that cannot be written does."""
        try:
            freeze_config(self.record)
        except OSError as exc:
            raise RunError(f"cannot keep the run's config in {self.record.folder}: {exc}") from exc

    def start(self) -> None:
        """Write the config and start the trainer. Raises RunError (the run is then 'failed')."""
        rec = self.record
        rec.started = time.time()
        self._set_state("starting")
        try:
            self._freeze_config()
            argv = process.check_launch(rec.argv, rec.cwd, rec.script)
            if rec.config_text is not None and rec.config_path:
                config_path = Path(rec.config_path)
                if not config_path.is_absolute():
                    config_path = Path(rec.cwd) / config_path
                try:
                    atomic_write_text(config_path, rec.config_text)
                except OSError as exc:
                    raise RunError(f"cannot write config {config_path}: {exc}") from exc
            log_path = Path(rec.log_path)
            self._proc = process.spawn(argv, rec.cwd, log_path, process.child_env(self._env))
        except RunError as exc:
            rec.ended = time.time()
            self._set_state("failed", str(exc))
            self._ended.set()
            self._notify_end()
            raise
        self._ident = process.identify(self._proc)
        rec.pid, rec.pgid, rec.proc_start_time = self._ident.pid, self._ident.pgid, self._ident.start_time
        rec.started = time.time()
        self._begin_watching(then_state="running")

    @classmethod
    def reattach(cls, record: RunRecord, events: EventQueue | None = None, **kwargs) -> "TrainingRun":
        """Follow a run started by an earlier session. Caller checks `can_reattach(record)`."""
        run = cls(record, events, **kwargs)
        run._ident = ProcessId(record.pid or 0, record.pgid or record.pid or 0, record.proc_start_time)
        run._begin_watching(then_state="running", message="reattached")
        return run

    def _begin_watching(self, then_state: str, message: str = "") -> None:
        log = open(self.record.log_path, "rb")
        self._follower = OutputFollower(self.id, log, self.events, self.ring_size)
        self._set_state(then_state, message)  # before the watcher can possibly finalize
        self._watcher = threading.Thread(target=self._watch, args=(log,), name=f"run-{self.id}",
                                         daemon=True)
        self._watcher.start()

    def _exited(self) -> tuple[bool, int | None]:
        if self._proc is not None:
            rc = self._proc.poll()
            return rc is not None, rc
        assert self._ident is not None
        return not process.same_process(self._ident), None

    def _watch(self, log) -> None:
        follower = self._follower
        assert follower is not None
        try:
            while True:
                if follower.read_available():
                    continue
                done, rc = self._exited()
                if done:
                    break
                time.sleep(self.poll)
            follower.finish()
        finally:
            log.close()
        self._finalize(rc, follower)

    def _finalize(self, rc: int | None, follower: OutputFollower) -> None:
        rec = self.record
        with self._lock:
            rec.exit_code = rc
            rec.ended = time.time()
            state = final_state(self._stop_requested.is_set(), rc, follower.end_marker_seen)
            message = ""
            if state == "failed":
                rec.traceback = follower.traceback.lines or list(follower.ring)[-20:]
                message = f"exit code {rc}" if rc is not None else "process ended (exit code unknown)"
            elif state == "stopped":
                message = "stopped by user"
            self._set_state(state, message)
            self._ended.set()
        self._notify_end()

    def _notify_end(self) -> None:
        if self.on_end is not None:
            try:
                self.on_end(self)
            except Exception:  # a callback bug must not kill the watcher silently mid-way
                import traceback

                traceback.print_exc()

    def stop(self, grace: float | None = None) -> None:
        """Ask the trainer tree to stop (TERM, then KILL after `grace`). Returns at once."""
        with self._lock:
            if self._ident is None or self._ended.is_set():
                return
            first = not self._stop_requested.is_set()
            self._stop_requested.set()
            if first:
                self._set_state("stopping", background=True)
        proc = self._proc
        process.terminate_tree_async(self._ident, self.grace if grace is None else grace,
                                     is_done=(lambda: proc.poll() is not None) if proc else None)


def can_reattach(record: RunRecord) -> bool:
    if record.is_final or not record.pid or not record.log_path:
        return False
    if not Path(record.log_path).is_file():
        return False
    return process.same_process(ProcessId(record.pid, record.pgid or record.pid, record.proc_start_time))
