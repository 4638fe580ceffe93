"""The runs on record, for `dpg-lora runs/attach/stop`: finding one by id and saying how it is.

Local child runs are judged by their process (pid plus start time); detached runs by one quick
poll of each machine's run folder (no log bytes), within a bounded time.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dpg_lora.remote import machine as machine_ops
from dpg_lora.remote.machine import Machine
from dpg_lora.remote.ssh import SshError, SshSettings
from dpg_lora.runner.records import RunRecord, list_records
from dpg_lora.runner.training_run import can_reattach

STATUS_TIMEOUT = 20.0


class RunNotFound(Exception):
    pass


def find_record(runs_dir: str | Path, run_id: str) -> RunRecord:
    """The record with this id, or the only one whose id starts with it."""
    records = list_records(runs_dir)
    exact = [r for r in records if r.id == run_id]
    if exact:
        return exact[0]
    matches = [r for r in records if run_id and r.id.startswith(run_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise RunNotFound(f"no run {run_id!r} in {runs_dir} (see `dpg-lora runs`)")
    raise RunNotFound(f"{run_id!r} matches {len(matches)} runs: " + ", ".join(r.id for r in matches[:5]))


@dataclass(frozen=True)
class RunStatus:
    record: RunRecord
    state: str  # the record's, or what the machines say now
    exit_code: int | None
    note: str = ""

    def as_dict(self) -> dict:
        r = self.record
        return {"id": r.id, "host": r.host, "script": r.script or "", "state": self.state,
                "exit_code": self.exit_code, "started": r.started, "log_path": r.log_path,
                "machines": len(r.machines) or 1, "note": self.note}


def _machine_state(m: Machine, settings: SshSettings | None) -> tuple[str, int | None, str]:
    if m.ended:
        return "ended", m.exit_code, ""
    try:
        result = machine_ops.poll(m, m.connect(settings), 0, limit=0, timeout=STATUS_TIMEOUT)
    except SshError as exc:
        return "unknown", None, str(exc)
    if result.ended:
        return "ended", result.exit_code, "" if result.status == "exit" else f"{m.label}: {result.status}"
    return "running", None, ""


def status(record: RunRecord, settings: SshSettings | None = None) -> RunStatus:
    if record.is_final:
        return RunStatus(record, record.state, record.exit_code)
    if not record.machines:
        if can_reattach(record):
            return RunStatus(record, "running", None)
        return RunStatus(record, "ended", None, "ended while nobody followed it (attach to settle it)")
    machines = [Machine.from_dict(d) for d in record.machines]
    with ThreadPoolExecutor(max_workers=len(machines)) as pool:
        states = list(pool.map(lambda m: _machine_state(m, settings), machines))
    notes = "; ".join(n for _, _, n in states if n)
    if any(s == "running" for s, _, _ in states):
        return RunStatus(record, "running", None, notes)
    if any(s == "unknown" for s, _, _ in states):
        return RunStatus(record, record.state, None, notes)
    codes = [c for _, c, _ in states]
    bad = [c for c in codes if c not in (0, None)]
    if bad or any(c is None for c in codes):
        return RunStatus(record, "failed", bad[0] if bad else None, notes)
    return RunStatus(record, "finished", 0, notes)


def statuses(runs_dir: str | Path, settings: SshSettings | None = None) -> list[RunStatus]:
    records = list_records(runs_dir)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda r: status(r, settings), records))


def started_text(started: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if started else "-"
