"""A detached run on one or more machines, followed through each machine's run folder.

Each machine's trainer runs in its own session there (see scripts.START), so a dropped connection
or a closed laptop does not stop it. A fetcher thread per machine polls the run folder: its state
plus the log bytes after the ones we have, appended to the local copy (byte for byte; after a
reconnect it asks from the last byte it has). Machine 0's copy is the run's log, which the
inherited `TrainingRun` watcher parses for progress, loss and the end marker as for a local run.
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dpg_lora.remote import machine as machine_ops
from dpg_lora.remote.machine import Machine, MachineError
from dpg_lora.remote.ssh import Host, LocalHost, SshError, SshSettings, make_host
from dpg_lora.runner.events import EventQueue
from dpg_lora.runner.process import RunError
from dpg_lora.runner.records import LOG_FILE, RunRecord, new_run_id
from dpg_lora.runner.training_run import TrainingRun

POLL_MIN = 0.05  # seconds between polls while the log grows
POLL_MAX = 0.5  # ... and at most when it is quiet
RETRY_MAX = 5.0  # longest wait between reconnect attempts


def machine_log_name(index: int) -> str:
    return LOG_FILE if index == 0 else f"machine-{index}.log"


def new_record(runs_dir: str | os.PathLike, plans: list[dict], *, config_text: str | None,
               config_path: str | None, script: str | None) -> RunRecord:
    """A record for a run over `plans` (dicts with host, cwd, argv), machine 0 first."""
    run_id = new_run_id()
    while (Path(runs_dir) / run_id).exists():
        run_id = new_run_id()
    folder = Path(runs_dir) / run_id
    machines = [Machine(host=p["host"], cwd=p["cwd"], argv=list(p["argv"]), script=script or "",
                        log_path=str(folder / machine_log_name(i))).to_dict()
                for i, p in enumerate(plans)]
    return RunRecord(id=run_id, argv=list(plans[0]["argv"]), cwd=plans[0]["cwd"],
                     config_text=config_text, config_path=config_path, script=script,
                     log_path=str(folder / LOG_FILE), host=",".join(p["host"] for p in plans),
                     machines=machines)


class _Fetcher:
    """Follows one machine: appends new log bytes to its local copy, notices its end."""

    def __init__(self, run: "RemoteRun", index: int) -> None:
        self.run = run
        self.index = index
        self.machine = run.machines[index]
        self.host = run.hosts[index]
        path = Path(self.machine.log_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.out = open(path, "ab")
        self.offset = self.out.tell()  # resume from the last byte we have
        self.ended = threading.Event()
        self.reconnecting = False
        self.failure = ""
        self.thread = threading.Thread(target=self._loop, name=f"fetch-{run.id}-{index}", daemon=True)

    def _loop(self) -> None:
        run, m = self.run, self.machine
        delay, retry = run.poll_min, run.poll_min
        try:
            while not run._closing.is_set():
                try:
                    result = machine_ops.poll(m, self.host, self.offset)
                except SshError as exc:
                    self._set_reconnecting(True, str(exc))
                    run._closing.wait(retry)
                    retry = min(RETRY_MAX, retry * 2 + 0.2)
                    continue
                retry = run.poll_min
                self._set_reconnecting(False)
                if result.data:
                    self.out.write(result.data)
                    self.out.flush()
                    self.offset += len(result.data)
                    delay = run.poll_min
                    if len(result.data) >= machine_ops.scripts.READ_LIMIT:
                        continue  # more is waiting
                if result.ended:
                    if not result.data or len(result.data) < machine_ops.scripts.READ_LIMIT:
                        self._finish(result)
                        return
                    continue
                if not result.data:
                    delay = min(run.poll_max, delay * 2)
                run._closing.wait(delay)
        finally:
            self.out.close()

    def _finish(self, result) -> None:
        m = self.machine
        m.exit_code = result.exit_code
        m.ended = True
        if result.status == "missing":
            self.failure = f"{m.label}: the run folder {m.run_dir} is gone"
        elif result.status == "gone" and not self.run._stop_requested.is_set():
            self.failure = f"{m.label}: the trainer ended without an exit status (killed?)"
        elif result.exit_code not in (0, None):
            self.failure = f"{m.label}: exit code {result.exit_code}"
        self.ended.set()
        self.run._machine_ended(self)

    def _set_reconnecting(self, on: bool, why: str = "") -> None:
        if on == self.reconnecting:
            return
        self.reconnecting = on
        self.run._connection_changed(self, why)


class RemoteRun(TrainingRun):
    """A `TrainingRun` whose trainer(s) run detached, each in a run folder on its machine."""

    def __init__(self, record: RunRecord, events: EventQueue | None = None, *,
                 settings: SshSettings | None = None, poll_min: float = POLL_MIN,
                 poll_max: float = POLL_MAX, **kwargs) -> None:
        super().__init__(record, events, **kwargs)
        self.machines = [Machine.from_dict(d) for d in record.machines]
        self.settings = settings
        self.hosts: list[Host | LocalHost] = []
        self.poll_min, self.poll_max = poll_min, max(poll_min, poll_max)
        self._fetchers: list[_Fetcher] = []
        self._closing = threading.Event()  # fetchers: stop polling
        self._detached = threading.Event()  # we stopped following; the run goes on there
        self._stop_done = threading.Event()
        self._failure = ""

    @classmethod
    def create(cls, runs_dir, plans: list[dict], events: EventQueue | None = None, *,
               config_text: str | None = None, config_path: str | None = None,
               script: str | None = None, **kwargs) -> "RemoteRun":
        record = new_record(runs_dir, plans, config_text=config_text, config_path=config_path,
                            script=script)
        return cls(record, events, **kwargs)

    @classmethod
    def from_request(cls, request, runs_dir, events: EventQueue | None = None,
                     **kwargs) -> "RemoteRun":
        """A run of a `RunRequest` whose `hosts` name the machines (("",) = this machine, detached)."""
        from dpg_lora.remote.plan import plans

        hosts = list(request.hosts) or [""]
        settings = kwargs.get("settings")
        machine_plans = plans(request.argv, request.cwd, hosts,
                              main_ip=lambda: main_ip_of(hosts[0], settings))
        run = cls.create(runs_dir, machine_plans, events, config_text=request.config_text,
                         config_path=request.config_path, script=request.script, **kwargs)
        run.record.graph, run.record.request_argv = request.graph, list(request.argv)
        return run

    # --- connection -----------------------------------------------------------------------

    def _connect(self) -> None:
        if not self.hosts:
            try:
                self.hosts = [m.connect(self.settings) for m in self.machines]
            except SshError as exc:
                raise RunError(str(exc)) from None

    def _sync_record(self) -> None:
        self.record.machines = [m.to_dict() for m in self.machines]

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Check every machine, write the config there and start each trainer detached.
        Raises RunError naming the host and what failed (the run is then 'failed')."""
        rec = self.record
        rec.started = time.time()
        self._set_state("starting")
        started: list[int] = []
        try:
            self._freeze_config()
            self.check()
            for i, (m, h) in enumerate(zip(self.machines, self.hosts)):
                # one folder per machine: hosts may share the trainer folder (NFS homes)
                folder_name = rec.id if i == 0 else f"{rec.id}-machine-{i}"
                machine_ops.start(m, h, folder_name, rec.config_path, rec.config_text)
                started.append(i)
        except (MachineError, RunError) as exc:
            for i in started:  # a later machine failed: take down the ones already running
                try:
                    machine_ops.stop(self.machines[i], self.hosts[i], 0)
                except SshError:
                    pass
            rec.ended = time.time()
            self._sync_record()
            self._set_state("failed", str(exc))
            self._ended.set()
            self._notify_end()
            raise RunError(str(exc)) from None
        m0 = self.machines[0]
        rec.pid = m0.pid
        rec.started = time.time()
        self._sync_record()
        self._follow(then_state="running")

    starts_in_background = True  # RunManager: start() talks to hosts, keep it off the UI thread

    def start_in_background(self) -> threading.Thread:
        def start() -> None:
            try:
                self.start()
            except RunError:
                pass  # recorded as failed, with the message, and the state event sent

        thread = threading.Thread(target=start, name=f"start-{self.id}", daemon=True)
        thread.start()
        return thread

    def check(self) -> list[str]:
        """What a start checks first, on every machine at once (one round trip each): the host
        answers, the trainer folder and script exist, the interpreter runs. Returns each
        interpreter's version; raises MachineError naming every host that failed and why."""
        self._connect()
        with ThreadPoolExecutor(max_workers=len(self.machines)) as pool:
            checks = [pool.submit(machine_ops.check, m, h) for m, h in zip(self.machines, self.hosts)]
            errors = [str(e) for e in (f.exception() for f in checks) if e is not None]
        if errors:
            raise MachineError("; ".join(errors))
        return [f.result() for f in checks]

    @classmethod
    def reattach(cls, record: RunRecord, events: EventQueue | None = None, **kwargs) -> "RemoteRun":
        """Follow a detached run on record (started by an earlier session or another command)."""
        run = cls(record, events, **kwargs)
        try:
            run._connect()
        except RunError as exc:
            record.ended = time.time()
            run._set_state("failed", str(exc))
            run._ended.set()
            return run
        run._follow(then_state="running", message="reattached")
        return run

    def _follow(self, then_state: str, message: str = "") -> None:
        self._fetchers = [_Fetcher(self, i) for i in range(len(self.machines))]
        self._begin_watching(then_state=then_state, message=message)  # opens machine 0's log
        for fetcher in self._fetchers:
            if self.machines[fetcher.index].ended:
                fetcher.ended.set()
                fetcher.out.close()
            else:
                fetcher.thread.start()

    def _connection_changed(self, fetcher: _Fetcher, why: str) -> None:
        if self._ended.is_set() or self._stop_requested.is_set():
            return
        lost = [f for f in self._fetchers if f.reconnecting]
        if lost:
            self._set_state("reconnecting", f"reconnecting to {lost[0].machine.label}: {why}",
                            background=True)
        else:
            self.record.message = ""
            self._set_state("running", "", background=True)

    def _machine_ended(self, fetcher: _Fetcher) -> None:
        self._sync_record()
        if fetcher.failure and not self._failure and not self._stop_requested.is_set():
            self._failure = fetcher.failure
            if any(not f.ended.is_set() for f in self._fetchers):
                # one machine failing fails the run: the others would wait for it forever
                threading.Thread(target=self._stop_machines, args=(self.grace,), daemon=True).start()

    def _exited(self) -> tuple[bool, int | None]:
        if self._detached.is_set():
            return True, None
        if not all(f.ended.is_set() for f in self._fetchers):
            return False, None
        if self._stop_requested.is_set() and not self._stop_done.is_set():
            return False, None  # report "stopped" only when nothing of it is left
        codes = [m.exit_code for m in self.machines]
        bad = [c for c in codes if c not in (0, None)]
        return True, (bad[0] if bad else codes[0])

    def _finalize(self, rc, follower) -> None:
        self._closing.set()
        if self._detached.is_set():
            return  # we only stopped following; the record keeps the live state
        self._sync_record()
        if self._failure and not self._stop_requested.is_set():
            self.record.traceback = follower.traceback.lines or list(follower.ring)[-20:]
            self.record.exit_code = rc
            self.record.ended = time.time()
            with self._lock:
                self._set_state("failed", self._failure)
                self._ended.set()
            self._notify_end()
            return
        if rc is None and not self._stop_requested.is_set():
            rc = None if not follower.end_marker_seen else 0
        super()._finalize(rc, follower)

    def stop(self, grace: float | None = None) -> None:
        """Stop every machine's trainer tree (TERM, KILL after `grace`). Returns at once; the state
        becomes 'stopped' once every machine reports nothing left."""
        with self._lock:
            if self._ended.is_set() or not self._fetchers:
                return
            first = not self._stop_requested.is_set()
            self._stop_requested.set()
            if first:
                self._set_state("stopping", background=True)
        threading.Thread(target=self._stop_machines, args=(self.grace if grace is None else grace,),
                         name=f"stop-{self.id}", daemon=True).start()

    def _stop_machines(self, grace: float) -> None:
        def stop_one(i: int) -> bool:
            for attempt in range(30):  # a lost connection: keep trying, the tree must go
                try:
                    return machine_ops.stop(self.machines[i], self.hosts[i], grace)
                except SshError:
                    time.sleep(min(RETRY_MAX, 0.2 * (attempt + 1)))
            return False

        with ThreadPoolExecutor(max_workers=len(self.machines)) as pool:
            done = list(pool.map(stop_one, range(len(self.machines))))
        if all(done):
            self._stop_done.set()
        elif self._stop_requested.is_set():
            self.record.message = "could not confirm that every process there is gone"
            self._stop_done.set()

    def close(self, timeout: float = 30.0) -> None:
        """Stop following (the trainers keep running there)."""
        if self._ended.is_set():
            return
        self._detached.set()
        self._closing.set()
        for fetcher in self._fetchers:
            if fetcher.thread.is_alive():
                fetcher.thread.join(timeout)
        if self._watcher is not None:
            self._watcher.join(timeout)


def main_ip_of(host: str, settings: SshSettings | None = None) -> str:
    """Machine 0's address as the other machines reach it: the HostName ssh connects to."""
    try:
        return make_host(host, settings).resolved_hostname()
    except SshError:
        return host


def run_for_record(record: RunRecord, events: EventQueue | None = None, **kwargs) -> TrainingRun:
    """The right follower for a record on disk: detached (remote or launcher) or a local child."""
    if record.machines:
        return RemoteRun.reattach(record, events, **kwargs)
    return TrainingRun.reattach(record, events, **kwargs)
