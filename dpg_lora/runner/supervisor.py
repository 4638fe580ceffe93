"""The small process between dpg-lora and a trainer on Linux, so that nothing a run starts
outlives it.

    python supervisor.py --grace SECONDS -- TRAINER ARGV...

It makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a process of the run whose
parent exits, even one that left the session and process group with setsid() (a double-forking
daemon), is re-parented to the supervisor instead of to init, so the whole run stays one tree
under it, found by parent links in /proc. It starts the trainer (same folder, environment and
output), reaps every orphan that exits, and on TERM/INT/HUP passes TERM to the whole tree. When
the trainer ends, whatever it left behind gets TERM, then KILL after the grace period, and the
supervisor exits as the trainer did (its exit code, or the same signal).

Standard library only and run as a file (`python -E -S`), so it starts fast and works whatever
the trainer folder and sys.path are.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(root: int) -> list[int]:
    """Live processes below `root` by parent links in /proc (zombies left out)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                raw = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2:].split()
        if fields and fields[0] not in ("Z", "X"):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), ()):
            found.append(pid)
            todo.append(pid)
    return found


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def reap() -> list[tuple[int, int]]:
    """(pid, wait status) of every child that has ended, without blocking."""
    ended = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append((pid, status))


def clear_tree(grace: float, poll: float = 0.02) -> None:
    """TERM everything below us, KILL what is left after `grace`, reap it all."""
    me = os.getpid()
    signal_all(descendants(me), signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        reap()
        if not descendants(me):
            return
        time.sleep(poll)
    for _ in range(100):  # KILL until nothing is left; a dying process may still fork
        left = descendants(me)
        if not left:
            break
        signal_all(left, signal.SIGKILL)
        time.sleep(poll)
        reap()
    reap()


def exit_like(status: int) -> None:
    """End this process the way the trainer ended: its exit code or its signal."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        time.sleep(1)  # the signal is delivered before this ends
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def main(argv: list[str]) -> None:
    if "--" not in argv or argv.index("--") + 1 >= len(argv):
        print("supervisor: usage: supervisor.py [--grace S] -- ARGV...", file=sys.stderr)
        os._exit(2)
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    grace = float(options[options.index("--grace") + 1]) if "--grace" in options else 5.0
    become_subreaper()
    stopping = []

    def on_stop(signum, _frame) -> None:
        stopping.append(signum)
        signal_all(descendants(os.getpid()), signal.SIGTERM)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_stop)
    try:
        trainer = subprocess.Popen(command)  # same folder, environment, stdin and output as ours
    except OSError as exc:
        print(f"dpg-lora: cannot start {command[0]}: {exc}", file=sys.stderr, flush=True)
        os._exit(127)
    status = None
    while status is None:
        try:
            pid, wait_status = os.waitpid(-1, 0)  # the trainer or any orphan handed to us
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid == trainer.pid:
            status = wait_status
    trainer.returncode = 0  # reaped above; keep Popen from waiting on it again
    clear_tree(grace)
    exit_like(status if status is not None else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
