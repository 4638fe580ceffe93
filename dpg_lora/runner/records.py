"""Runs on record: one folder per run holding `run.json` (written atomically), `output.log` and
`config.json`, the config exactly as that run's trainer got it (frozen at launch, atomically)."""
from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from dpg_lora.fileio import atomic_write_text

RECORD_FILE = "run.json"
LOG_FILE = "output.log"
FROZEN_CONFIG_FILE = "config.json"
FINAL_STATES = ("finished", "failed", "stopped")


def default_runs_dir() -> Path:
    base = os.environ.get("DPG_LORA_USER_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_data_dir("dpg-lora", appauthor=False)
    return Path(base) / "runs"


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


@dataclass
class RunRecord:
    id: str
    argv: list[str]
    cwd: str
    config_text: str | None = None
    config_path: str | None = None
    script: str | None = None
    pid: int | None = None
    pgid: int | None = None
    proc_start_time: int | None = None
    log_path: str = ""
    started: float | None = None
    ended: float | None = None
    exit_code: int | None = None
    state: str = "queued"
    message: str = ""
    traceback: list[str] = field(default_factory=list)
    host: str = ""  # where it runs: "" this machine, else the ssh destination(s), comma-separated
    # runs started through the detached launcher (remote, or local --detach): one dict per
    # machine (dpg_lora.remote.machine.Machine fields), machine 0 first
    machines: list[dict] = field(default_factory=list)
    graph: str = ""  # the graph file the run was made from ("" when unknown or never saved)
    # the command as requested, before any per-machine accelerate wrapping (machines[i]["argv"]);
    # [] in records written before it was kept: `argv` then is the requested command
    request_argv: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return Path(self.log_path).parent

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def frozen_config_path(self) -> Path:
        return self.folder / FROZEN_CONFIG_FILE

    @property
    def hosts(self) -> tuple[str, ...]:
        """Where it ran, as a RunRequest names it: () a local child, ("",) the local detached
        launcher, else the ssh destinations, machine 0 first."""
        if not self.machines:
            return ()
        return tuple(self.host.split(",")) if self.host else ("",)

    @property
    def duration(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return max(0.0, self.ended - self.started)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "RunRecord":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def save_record(record: RunRecord) -> Path:
    return atomic_write_text(record.folder / RECORD_FILE, record.to_json())


def freeze_config(record: RunRecord) -> Path | None:
    """Keep the run's config as its trainer gets it in the record folder (atomically), so it can
    be read, compared and run again whatever happens to the file in the trainer folder."""
    if record.config_text is None:
        return None
    return atomic_write_text(record.frozen_config_path, record.config_text)


def frozen_config_text(record: RunRecord) -> str | None:
    """The config that run started with: the record folder's copy, else the text in run.json
    (records from before the copy was kept); None when the run had no config."""
    try:
        return record.frozen_config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return record.config_text


def load_record(path: str | os.PathLike) -> RunRecord:
    return RunRecord.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def list_records(runs_dir: str | os.PathLike) -> list[RunRecord]:
    """Every readable record, newest first. Damaged records are skipped, not fatal."""
    root = Path(runs_dir)
    records: list[RunRecord] = []
    if not root.is_dir():
        return records
    for entry in root.iterdir():
        path = entry / RECORD_FILE
        if not path.is_file():
            continue
        try:
            records.append(load_record(path))
        except (OSError, ValueError, TypeError):
            continue
    records.sort(key=lambda r: (r.started or 0.0, r.id), reverse=True)
    return records
