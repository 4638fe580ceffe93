"""What a Run would start, and whether it can: the launch plan and the pre-launch checks.

The plan is the request Run submits (`request_of`: host, trainer folder, the exact argv, the
config text) plus where the config file is written and, for several hosts, each machine's argv.
The checks are the ones `dpg-lora run --dry-run` makes (`launch_problem` is the CLI's view of the
same functions): validation errors, the trainer folder, the interpreter, the script, the config
file's folder, the W&B login; for a run on another host, the one-round-trip host check
(`host_check`, `RemoteRun.check`). Each check has a plain status and a reason code the UI turns
into words (REASONS lists them all); `message` keeps the core's own sentence.

`plan_launch` reads the file system (and, for several hosts, asks ssh for machine 0's address):
callers with a UI run it off their UI thread (`PlanJob`).
"""
from __future__ import annotations

import os
import posixpath
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, TypeVar

from dpg_lora.runner.process import RunError, check_script, check_trainer_dir, resolve_executable
from dpg_lora.runner.training_run import RunRequest

if TYPE_CHECKING:
    from dpg_lora.compiler import CompileResult

PASS, WARN, BLOCK, LATER, UNKNOWN = "pass", "warn", "block", "later", "unknown"
STATUSES = (PASS, WARN, BLOCK, LATER, UNKNOWN)
CHECKS = ("validation", "trainer_dir", "interpreter", "script", "config_file", "wandb", "host")
# Every (check, reason) a plan can hold; the UI has one text for each (tests check that).
REASONS = {
    "validation": ("no_errors", "errors", "warnings"),
    "trainer_dir": ("found", "missing", "not_set"),
    "interpreter": ("found", "missing"),
    "script": ("found", "missing", "none"),
    "config_file": ("writable", "is_folder", "not_writable", "is_graph"),
    "wandb": ("not_used", "logged_in", "no_login", "not_checked", "on_host"),
    "host": ("on_host", "checking", "reachable", "failed"),
}


@dataclass(frozen=True)
class Check:
    name: str  # one of CHECKS
    status: str  # one of STATUSES
    reason: str  # one of REASONS[name]
    subject: str = ""  # what it is about: a path, a count, a host, how W&B logs in
    message: str = ""  # the core's own sentence for a problem (what the CLI prints)


@dataclass(frozen=True)
class LaunchPlan:
    request: RunRequest
    config_file: str  # where the config is written: absolute here; on a host, as it is there
    machines: tuple[tuple[str, tuple[str, ...]], ...]  # (host, argv) per machine, machine 0 first
    checks: tuple[Check, ...]

    @property
    def blocked(self) -> bool:
        return any(c.status == BLOCK for c in self.checks)

    @property
    def remote(self) -> bool:
        return any(self.request.hosts)


def request_of(result: "CompileResult", base_dir: str | os.PathLike, graph: str | None = None) -> RunRequest:
    """The request Run submits for a compiled graph: a trainer folder on this machine is taken
    against `base_dir` (the editor's start folder), one on a host stays as written there."""
    if result.hosts:
        return RunRequest.make(result.argv, result.cwd or ".", result.config_text,
                               result.config_path, result.script, hosts=result.hosts, graph=graph)
    cwd = Path(result.cwd or ".")
    cwd = cwd if cwd.is_absolute() else Path(base_dir) / cwd
    return RunRequest.make(result.argv, cwd, result.config_text, result.config_path, result.script,
                           graph=graph)


def config_file_of(request: RunRequest) -> str:
    """Where the run writes its config: `config_path` against the trainer folder."""
    path = request.config_path or ""
    if any(request.hosts):
        return path if posixpath.isabs(path) else posixpath.join(request.cwd, path)
    return path if os.path.isabs(path) else os.path.join(request.cwd, path)


# --- the checks ----------------------------------------------------------------------------------

def validation_check(result: "CompileResult") -> Check:
    errors = len(result.errors)
    if errors:
        return Check("validation", BLOCK, "errors", str(errors))
    warnings = sum(d.severity == "warning" for d in result.diagnostics)
    if warnings:
        return Check("validation", WARN, "warnings", str(warnings))
    return Check("validation", PASS, "no_errors")


def wandb_check(config: dict, wandb_login: str | None, remote: bool) -> Check:
    """Whether wandb would stop the run at its login prompt (validation.environment decides)."""
    from dpg_lora.validation.environment import environment_findings

    report_to = config.get("report_to")
    if report_to != "wandb":
        return Check("wandb", PASS, "not_used", str(report_to or ""))
    if remote:
        return Check("wandb", UNKNOWN, "on_host")
    if wandb_login is None:
        return Check("wandb", UNKNOWN, "not_checked")
    findings = environment_findings(config, wandb_login)
    if findings:
        return Check("wandb", WARN, "no_login", message=findings[0].message)
    return Check("wandb", PASS, "logged_in", wandb_login)


def folder_not_set(trainer_dir: str | None, cwd: str | os.PathLike) -> Check | None:
    """A run on this machine whose trainer folder is not set (`trainer_dir` as the graph or the
    command line gives it: empty or "." and no DPG_LORA_TRAINER_DIR) would start in `cwd`, the
    folder dpg-lora was started from. The editor's Run refuses that and asks for a folder; the
    CLI's `run` (started in that folder on purpose, e.g. `cd T2ITrainer`) says it and goes on."""
    from dpg_lora.trainer_folder import folder_is_set

    if folder_is_set(trainer_dir):
        return None
    return Check("trainer_dir", BLOCK, "not_set", str(cwd),
                 f"no trainer folder set: the run starts in {cwd}, the folder dpg-lora was started from "
                 "(set the Script Loader's Trainer directory, DPG_LORA_TRAINER_DIR or --trainer-dir)")


def local_checks(request: RunRequest, graph: str | None = None) -> list[Check]:
    """The trainer folder, interpreter, script and config file checks on this machine, each on its
    own (a missing folder does not hide a missing interpreter)."""
    from dpg_lora.fileio import same_file
    from dpg_lora.settings import creatable_dir_problem

    argv, cwd = list(request.argv), Path(request.cwd)
    checks = []
    try:
        checks.append(Check("trainer_dir", PASS, "found", str(check_trainer_dir(cwd))))
    except RunError as exc:
        checks.append(Check("trainer_dir", BLOCK, "missing", str(cwd), str(exc)))
    if argv:
        try:
            checks.append(Check("interpreter", PASS, "found", resolve_executable(argv[0], cwd)))
        except RunError as exc:
            checks.append(Check("interpreter", BLOCK, "missing", argv[0], str(exc)))
    else:
        checks.append(Check("interpreter", BLOCK, "missing", "", "nothing to run: empty command"))
    try:
        script = check_script(argv, cwd, request.script)
        checks.append(Check("script", PASS, "found", str(script)) if script is not None
                      else Check("script", WARN, "none"))
    except RunError as exc:
        checks.append(Check("script", BLOCK, "missing", str(exc).split(": ", 1)[-1], str(exc)))
    config_abs = Path(config_file_of(request))
    if config_abs.is_dir():
        checks.append(Check("config_file", BLOCK, "is_folder", str(config_abs),
                            f"the config path {config_abs} is a folder"))
    elif graph and same_file(config_abs, graph):
        checks.append(Check("config_file", BLOCK, "is_graph", str(config_abs),
                            f"{config_abs} is the graph file {graph}; writing there would replace it"))
    else:
        problem = creatable_dir_problem(config_abs.parent)
        if problem:
            checks.append(Check("config_file", BLOCK, "not_writable", str(config_abs),
                                f"cannot write the config {config_abs}: its folder {problem}"))
        else:
            checks.append(Check("config_file", PASS, "writable", str(config_abs)))
    return checks


def launch_problem(argv: list[str], cwd: Path, config_abs: Path, script: str) -> str | None:
    """What would stop a real run on this machine before the trainer starts (the dry run and
    the editor's Run tab report the same checks)."""
    request = RunRequest.make(argv, cwd, config_path=str(config_abs), script=script)
    return next((c.message for c in local_checks(request) if c.status == BLOCK), None)


def host_check(request: RunRequest, runs_dir: str | os.PathLike) -> Check:
    """The start's first round trip to every host (it answers; trainer folder, script and
    interpreter there), without writing or starting anything. Blocks for up to ssh's timeouts."""
    from dpg_lora.remote.machine import MachineError
    from dpg_lora.remote.remote_run import RemoteRun

    hosts = ", ".join(h for h in request.hosts if h)
    run = RemoteRun.from_request(request, runs_dir)  # nothing is written until start()
    try:
        versions = run.check()
    except (MachineError, RunError) as exc:
        return Check("host", BLOCK, "failed", hosts, str(exc))
    return Check("host", PASS, "reachable", hosts, ", ".join(f"Python {v}" for v in versions))


def machine_plans(request: RunRequest) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each machine's (host, argv) as the run would start it; several hosts ask ssh (locally) for
    machine 0's address unless the Script Loader names one."""
    hosts = list(request.hosts)
    if len(hosts) <= 1:
        return ((hosts[0] if hosts else "", tuple(request.argv)),)
    from dpg_lora.remote.plan import plans
    from dpg_lora.remote.remote_run import main_ip_of

    return tuple((p["host"], tuple(p["argv"]))
                 for p in plans(request.argv, request.cwd, hosts, main_ip=lambda: main_ip_of(hosts[0])))


def plan_launch(result: "CompileResult", request: RunRequest, *, graph: str | None = None,
                wandb_login: str | None = None, host: Check | None = None) -> LaunchPlan:
    """The plan and its checks. `host`: the result of `host_check` when it was asked for; a run
    on another host otherwise says its folder, interpreter and script are checked at the start."""
    checks = [validation_check(result)]
    if any(request.hosts):
        checks.append(host or Check("host", LATER, "on_host", ", ".join(h for h in request.hosts if h)))
    else:
        unset = folder_not_set(result.cwd, request.cwd)  # the editor's Run asks for a folder then
        checks += [unset if unset is not None and c.name == "trainer_dir" else c
                   for c in local_checks(request, graph)]
    checks.append(wandb_check(result.config, wandb_login, any(request.hosts)))
    return LaunchPlan(request, config_file_of(request), machine_plans(request), tuple(checks))


T = TypeVar("T")


class PlanJob(Generic[T]):
    """`work()` on a worker thread; `poll()` hands its result to the caller's thread. Never
    touches a GUI; `wake` (from the UI) is called once the result is there."""

    def __init__(self, work: Callable[[], T], wake: Callable[[], None] | None = None,
                 name: str = "launch-plan") -> None:
        self._done: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)
        self._wake = wake
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._done.put((True, work()))
        except Exception as exc:  # handed to the caller, who shows it: a worker must not die silently
            self._done.put((False, exc))
        if self._wake is not None:
            self._wake()

    def poll(self) -> tuple[bool, object] | None:
        """(True, result) or (False, exception) once done, else None (never blocks)."""
        try:
            return self._done.get_nowait()
        except queue.Empty:
            return None

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
