"""One machine of a detached run: where it runs, what it runs, and talking to its run folder."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from dpg_lora.remote import scripts
from dpg_lora.remote.ssh import Host, LocalHost, SshError, SshSettings, make_host


@dataclass
class Machine:
    host: str  # "" = this machine
    cwd: str  # trainer folder on that machine
    argv: list[str]
    log_path: str  # the local copy of its log
    script: str = ""
    run_dir: str = ""  # the run folder there, known once started
    pid: int | None = None
    exit_code: int | None = None
    ended: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Machine":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def interpreter(self) -> str:
        return self.argv[0]

    @property
    def label(self) -> str:
        return self.host or "this machine"

    def connect(self, settings: SshSettings | None = None) -> Host | LocalHost:
        return make_host(self.host, settings)


class MachineError(Exception):
    """A machine cannot run; the message names the host and what failed."""


_CHECK_FAILURES = {scripts.MISSING_FOLDER: "trainer folder", scripts.MISSING_SCRIPT: "training script",
                   scripts.MISSING_INTERPRETER: "interpreter", scripts.BROKEN_INTERPRETER: "interpreter"}


def _said(proc) -> str:
    text = (proc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
    return text[-1] if text else f"exit code {proc.returncode}"


def check(machine: Machine, host: Host | LocalHost, timeout: float = 60.0) -> str:
    """One round trip: host answers, folder and script exist, interpreter runs. Returns its version."""
    try:
        proc = host.run(scripts.check_argv(machine.cwd, machine.script, machine.interpreter),
                        timeout=timeout)
    except SshError as exc:
        raise MachineError(str(exc)) from None
    if proc.returncode != 0:
        raise MachineError(f"{machine.label}: {_said(proc)}")
    return proc.stdout.decode("utf-8", "replace").strip()


def start(machine: Machine, host: Host | LocalHost, run_id: str, config_path: str | None,
          config_text: str | None, timeout: float = 60.0) -> None:
    """Write the config atomically there and start the trainer detached; fills run_dir and pid."""
    data = (config_text or "").encode("utf-8")
    try:
        proc = host.run(scripts.start_argv(machine.cwd, run_id, config_path if config_text is not None
                                           else None, machine.argv), input=data, timeout=timeout)
    except SshError as exc:
        raise MachineError(str(exc)) from None
    if proc.returncode != 0:
        raise MachineError(f"{machine.label}: {_said(proc)}")
    for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
        key, _, value = line.partition(" ")
        if key == "dir":
            machine.run_dir = value
        elif key == "pid" and value.strip().isdigit():
            machine.pid = int(value)
    if not machine.run_dir or not machine.pid:
        raise MachineError(f"{machine.label}: the launcher gave no run folder or pid")


@dataclass(frozen=True)
class Poll:
    status: str  # "running", "exit", "gone" (ended without a status), "missing" (no run folder)
    exit_code: int | None
    data: bytes

    @property
    def ended(self) -> bool:
        return self.status != "running"


def poll(machine: Machine, host: Host | LocalHost, offset: int, limit: int = scripts.READ_LIMIT,
         timeout: float = 30.0) -> Poll:
    """The run's state and up to `limit` log bytes after `offset`. Raises SshError when unreachable."""
    proc = host.run(scripts.poll_argv(machine.run_dir, offset, limit), timeout=timeout)
    out = proc.stdout
    head, _, data = out.partition(b"\n")
    word, _, value = head.decode("ascii", "replace").partition(" ")
    if word == "exit":
        code = int(value) if value.strip().lstrip("-").isdigit() else None
        return Poll("exit", code, data)
    if word in ("running", "gone", "missing"):
        return Poll(word, None, data)
    raise SshError(f"{machine.label}: unexpected answer from the run folder check: {_said(proc)}")


def stop(machine: Machine, host: Host | LocalHost, grace: float) -> bool:
    """TERM, then KILL after `grace`, the whole tree there. True when nothing of it is left."""
    if not machine.run_dir:
        return True
    proc = host.run(scripts.stop_argv(machine.cwd, machine.interpreter, machine.run_dir, grace),
                    timeout=grace + 60.0)
    return proc.stdout.decode("ascii", "replace").strip() == "gone"
