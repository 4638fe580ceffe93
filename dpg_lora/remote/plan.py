"""What each machine of a run runs: the compiled command, or one `accelerate launch` per machine.

With several hosts (machine 0 first) every machine runs the script under accelerate with
--num_machines, its --machine_rank in list order, --main_process_ip (machine 0's address as the
others reach it: the Script Loader's value if set, else the HostName ssh connects to) and
--main_process_port; --num_processes and --multi_gpu come from the Script Loader (accelerate reads
--num_processes as the total over all machines; with the python launcher it is one per machine).
"""
from __future__ import annotations

from typing import Callable, Sequence

ACCELERATE = ("-m", "accelerate.commands.launch")
DEFAULT_PORT = "29500"
MACHINE_FLAGS = ("--num_machines", "--machine_rank", "--main_process_ip", "--main_process_port")


def _split_accelerate(argv: Sequence[str]) -> tuple[str, list[str], list[str], dict[str, str]]:
    """(interpreter, launcher options without machine flags, script and its args, machine flags)."""
    python = argv[0]
    if tuple(argv[1:3]) != ACCELERATE:
        return python, [], list(argv[1:]), {}
    rest = list(argv[3:])
    options: list[str] = []
    machine: dict[str, str] = {}
    i = 0
    while i < len(rest) and rest[i].startswith("--"):
        flag = rest[i]
        takes_value = flag != "--multi_gpu" and i + 1 < len(rest)
        if flag in MACHINE_FLAGS:
            machine[flag] = rest[i + 1]
        else:
            options += rest[i:i + 2] if takes_value else [flag]
        i += 2 if takes_value else 1
    return python, options, rest[i:], machine


def machine_argvs(argv: Sequence[str], count: int, main_ip: str | Callable[[], str]) -> list[list[str]]:
    """One argv per machine. `main_ip` is the address, or a function giving it (asked only when
    the Script Loader does not name one)."""
    if count <= 1:
        return [list(argv)]
    python, options, tail, machine = _split_accelerate(argv)
    if "--num_processes" not in options:
        options = ["--num_processes", str(count), *options]
    ip = machine.get("--main_process_ip") or (main_ip() if callable(main_ip) else main_ip)
    port = machine.get("--main_process_port") or DEFAULT_PORT
    return [[python, *ACCELERATE, *options, "--num_machines", str(count), "--machine_rank", str(rank),
             "--main_process_ip", ip, "--main_process_port", port, *tail] for rank in range(count)]


def plans(argv: Sequence[str], cwd: str, hosts: Sequence[str],
          main_ip: str | Callable[[], str]) -> list[dict]:
    """Plan dicts (host, cwd, argv) for `dpg_lora.remote.remote_run.RemoteRun.create`."""
    hosts = list(hosts) or [""]
    return [{"host": host, "cwd": cwd, "argv": one}
            for host, one in zip(hosts, machine_argvs(argv, len(hosts), main_ip))]
