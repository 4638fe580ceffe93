"""Starting a trainer in its own process group and taking the whole tree down again.

Nothing a run starts may outlive Stop. On Linux the trainer runs under supervisor.py, a child
subreaper: processes whose parent exits (a daemon that double-forked out of the session with
setsid()) are re-parented to it rather than to init, so the tree found through /proc parent
links from the supervisor is the whole run; Stop sends TERM to the process group and to every
process in that tree, then KILL after the grace period. On other POSIX systems the process group
and the parent links are all there is (a daemon that leaves the session escapes). On Windows the
new process group gets CTRL_BREAK, then `taskkill /T /F` (untested here; a job object with
KILL_ON_JOB_CLOSE would be the complete answer there).

The child's stdout and stderr go straight into the run's log file, so its output survives us
(no broken pipe if the editor dies) and reattaching is just tailing that file again.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

IS_WINDOWS = os.name == "nt"
PROC = Path("/proc")


class RunError(Exception):
    """A run cannot start; the message names what is missing."""


@dataclass(frozen=True)
class ProcessId:
    """A pid plus its start time, so a reused pid is not mistaken for our trainer."""

    pid: int
    pgid: int
    start_time: int | None  # /proc/<pid>/stat field 22 (clock ticks since boot); None elsewhere


def resolve_executable(name: str, cwd: Path) -> str:
    looks_like_path = os.sep in name or (os.altsep and os.altsep in name)
    if looks_like_path:
        path = Path(name)
        if not path.is_absolute():
            path = cwd / path
        if not path.is_file():
            raise RunError(f"interpreter not found: {path}")
        return str(path)
    found = shutil.which(name)
    if not found:
        raise RunError(f"interpreter not found on PATH: {name}")
    return found


def check_trainer_dir(cwd: str | os.PathLike) -> Path:
    workdir = Path(cwd)
    if not workdir.is_dir():
        raise RunError(f"trainer directory not found: {workdir}")
    return workdir


def script_of(argv: list[str], script: str | None = None) -> str | None:
    """The training script a command runs: `script`, else a `.py` second argument."""
    if script is None and len(argv) > 1 and argv[1].endswith(".py"):
        return argv[1]
    return script or None


def check_script(argv: list[str], cwd: str | os.PathLike, script: str | None = None) -> Path | None:
    """The script's path (None when the command names none); RunError when it is missing."""
    name = script_of(argv, script)
    if not name:
        return None
    script_path = Path(name) if Path(name).is_absolute() else Path(cwd) / name
    if not script_path.is_file():
        raise RunError(f"training script not found: {script_path}")
    return script_path


def check_launch(argv: list[str], cwd: str | os.PathLike, script: str | None = None) -> list[str]:
    """Clear errors before anything starts. Returns argv with the interpreter resolved."""
    if not argv:
        raise RunError("nothing to run: empty command")
    workdir = check_trainer_dir(cwd)
    exe = resolve_executable(argv[0], workdir)
    check_script(argv, workdir, script)
    return [exe, *argv[1:]]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("PYTHONIOENCODING", "utf-8")
    if extra:
        env.update(extra)
    return env


SUPERVISOR = Path(__file__).with_name("supervisor.py")
LEFTOVER_GRACE = 3.0  # seconds a finished trainer's leftover processes get between TERM and KILL


def supervised(argv: list[str], leftover_grace: float = LEFTOVER_GRACE) -> list[str]:
    """On Linux the trainer runs under supervisor.py, a child subreaper that keeps every process
    of the run (even a daemon that forked, called setsid() and forked again) in one tree under
    it, and takes leftovers down when the trainer ends. Elsewhere the command as it is."""
    if not sys.platform.startswith("linux") or not SUPERVISOR.is_file():
        return list(argv)
    return [sys.executable, "-E", "-S", str(SUPERVISOR), "--grace", f"{leftover_grace:g}", "--", *argv]


def spawn(argv: list[str], cwd: str | os.PathLike, log_path: Path,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `argv` (under the supervisor on Linux) in a new session, output into `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    argv = supervised(argv)
    kwargs: dict = {}
    if IS_WINDOWS:
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        kwargs["start_new_session"] = True
    with open(log_path, "ab") as log:
        try:
            return subprocess.Popen(
                argv, cwd=str(cwd), env=env if env is not None else child_env(),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, **kwargs,
            )
        except OSError as exc:
            raise RunError(f"cannot start {argv[0]}: {exc}") from exc


# --- /proc helpers (Linux); elsewhere they degrade to os.kill(pid, 0) --------------------------

def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text(errors="replace")
    except (OSError, ValueError):
        return None
    # the command name (field 2) is in parentheses and may contain spaces
    close = raw.rfind(")")
    return [raw[: raw.find(" ")], raw[raw.find("(") + 1 : close]] + raw[close + 2 :].split()


def proc_start_time(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[21]) if fields else None


def pid_alive(pid: int) -> bool:
    """True for a running process; zombies (exited, not yet reaped) count as gone."""
    if pid <= 0:
        return False
    fields = _stat_fields(pid)
    if fields is not None:
        return fields[2] not in ("Z", "X")
    if PROC.is_dir() and not IS_WINDOWS:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def same_process(ident: ProcessId) -> bool:
    if not pid_alive(ident.pid):
        return False
    if ident.start_time is None:
        return True
    return proc_start_time(ident.pid) == ident.start_time


def process_table() -> dict[int, tuple[int, int, int]]:
    """pid -> (ppid, pgid, start_time) for every live process, from /proc."""
    table: dict[int, tuple[int, int, int]] = {}
    if not PROC.is_dir():
        return table
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields and fields[2] not in ("Z", "X"):
            table[int(entry.name)] = (int(fields[3]), int(fields[4]), int(fields[21]))
    return table


def tree_members(root: int, pgid: int, known: dict[int, int] | None = None) -> dict[int, int]:
    """pid -> start_time of the root, its descendants and anything in its process group.

    Descendants are found through ppid links, so a grandchild that left the group with setsid()
    is still found while its parent lives; `known` carries pids found earlier (a grandchild whose
    parent died is re-parented and only remembered this way).
    """
    table = process_table()
    members: dict[int, int] = {}
    for pid, start in (known or {}).items():
        if pid in table and table[pid][2] == start:
            members[pid] = start
    if root in table:
        members[root] = table[root][2]
    for pid, (_, group, start) in table.items():
        if group == pgid:
            members[pid] = start
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _, start) in table.items():
            if ppid in members and pid not in members:
                members[pid] = start
                changed = True
    return members


def _signal_members(members: dict[int, int], pgid: int, sig: int) -> None:
    if pgid > 1 and pgid != os.getpgrp():  # never our own group
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass
    for pid, start in members.items():
        if pid == os.getpid() or proc_start_time(pid) != start:
            continue  # gone, or the pid now belongs to someone else
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def terminate_tree(ident: ProcessId, grace: float, is_done=None, poll: float = 0.02) -> None:
    """TERM the group and the tree, wait up to `grace` seconds, then KILL what is left. Blocking:
    call it from a worker thread. `is_done()` may report the root as reaped (for our own child)."""
    if IS_WINDOWS:
        _terminate_tree_windows(ident, grace, is_done, poll)
        return
    members = tree_members(ident.pid, ident.pgid)
    _signal_members(members, ident.pgid, signal.SIGTERM)
    deadline = time.monotonic() + max(0.0, grace)
    while time.monotonic() < deadline:
        members = tree_members(ident.pid, ident.pgid, members)
        if not members:
            return
        time.sleep(poll)
    for _ in range(50):  # KILL until nothing is left; new children may appear while we do it
        members = tree_members(ident.pid, ident.pgid, members)
        if not members:
            return
        _signal_members(members, ident.pgid, signal.SIGKILL)
        time.sleep(poll)


def _terminate_tree_windows(ident: ProcessId, grace: float, is_done, poll: float) -> None:
    # Untested here: CTRL_BREAK reaches the new process group, taskkill /T takes the tree.
    try:
        os.kill(ident.pid, signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
    except OSError:
        pass
    deadline = time.monotonic() + max(0.0, grace)
    while time.monotonic() < deadline:
        if is_done is not None and is_done():
            return
        time.sleep(poll)
    subprocess.run(["taskkill", "/T", "/F", "/PID", str(ident.pid)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def terminate_tree_async(ident: ProcessId, grace: float, is_done=None) -> threading.Thread:
    thread = threading.Thread(target=terminate_tree, args=(ident, grace, is_done),
                              name=f"stop-{ident.pid}", daemon=True)
    thread.start()
    return thread


def identify(proc: subprocess.Popen) -> ProcessId:
    pgid = proc.pid
    if not IS_WINDOWS:
        try:
            pgid = os.getpgid(proc.pid)
        except OSError:
            pass
    return ProcessId(proc.pid, pgid, proc_start_time(proc.pid))
