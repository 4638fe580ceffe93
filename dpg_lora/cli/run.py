"""`dpg-lora run GRAPH [--trainer-dir DIR] [--python EXE] [--host HOST ...] [--detach] [--dry-run]
[--grace SECONDS]`.

Compiles the graph, writes the config, starts the trainer and follows it: a live progress line
on a terminal, the plain log otherwise. Ctrl+C stops the whole trainer tree (TERM, then KILL
after the grace period). `--host` (or the Script Loader's host) runs it on that machine over ssh,
several `--host`s run it on each under accelerate; `--detach` starts it in its own session and
prints the run id alone on the last line (follow it with `dpg-lora attach ID`). Exit code: the
trainer's, 130 when stopped, 1 on compile errors, 2 on an unreadable graph or a trainer or host
that cannot start it.
"""
from __future__ import annotations

import argparse
import shutil
import signal
import sys
from pathlib import Path

from dpg_lora.cli._common import (compile_file, fail, grace_seconds, print_diagnostics,
                                  refuse_input_as_output, silence_stdout)
from dpg_lora.cli.scripts import folder_context
from dpg_lora.compiler import shell_command
from dpg_lora.runner.events import LinesEvent, ProgressEvent, SkippedEvent, EpochEvent
from dpg_lora.runner.parse import parse_progress
from dpg_lora.runner.prelaunch import folder_not_set, launch_problem
from dpg_lora.runner.process import RunError
from dpg_lora.runner.records import default_runs_dir
from dpg_lora.runner.training_run import DEFAULT_GRACE, RunRequest, TrainingRun
from dpg_lora.runner.view import progress_text

EXIT_STOPPED = 130


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="compile a graph and run the trainer",
                       description="Compile GRAPH, write its config and run the trainer, following "
                                   "its output. Ctrl+C stops the trainer and all its processes.")
    p.add_argument("graph", help="graph file (.json)")
    p.add_argument("--trainer-dir", metavar="DIR", help="run in this T2ITrainer folder instead")
    p.add_argument("--python", metavar="EXE", help="use this Python interpreter instead")
    p.add_argument("--host", action="append", metavar="HOST",
                   help="run on this ssh destination (user@host, ssh://user@host:port or an ssh "
                        "config alias) instead of the Script Loader's host; repeat for several "
                        "machines (machine 0 first)")
    p.add_argument("--detach", action="store_true",
                   help="start the run detached, print its id on the last line and return")
    p.add_argument("--dry-run", action="store_true", help="print the command and config path only")
    p.add_argument("--grace", type=grace_seconds, default=DEFAULT_GRACE, metavar="SECONDS",
                   help=f"seconds between TERM and KILL when stopping (default {DEFAULT_GRACE:g})")
    p.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    result = compile_file(args.graph, folder_context(args))  # that folder's scripts decide the defaults
    if isinstance(result, int):
        return result
    print_diagnostics(result)
    if result.errors:
        return 1

    cwd = Path(args.trainer_dir or result.cwd or ".")
    cwd = cwd if cwd.is_absolute() else Path.cwd() / cwd
    argv = list(result.argv)
    if args.python:
        argv[0] = args.python
    config_path = Path(result.config_path)
    config_abs = config_path if config_path.is_absolute() else cwd / config_path
    hosts = [h for h in (args.host or result.hosts) if h]
    if not hosts:  # a config on another host cannot overwrite the graph file here
        refused = refuse_input_as_output(config_abs, args.graph)
        if refused is not None:
            return refused
        problem = launch_problem(argv, cwd, config_abs, result.script)
        if problem:
            return fail(problem)
        unset = folder_not_set(args.trainer_dir or result.cwd, cwd)
        if unset is not None:  # runs here as documented, and says so (the editor asks instead)
            print(f"dpg-lora: note: {unset.message}", file=sys.stderr)
    if hosts or args.detach:
        return detached_command(args, result, argv, hosts)
    if args.dry_run:
        print(f"command: {shell_command(argv)}")
        print(f"cwd: {cwd}")
        print(f"config: {config_abs}")
        return 0

    request = RunRequest.make(argv, cwd, result.config_text, str(config_path), result.script)
    run = TrainingRun.from_request(request, default_runs_dir(), grace=max(0.0, args.grace))
    try:
        run.start()
    except RunError as exc:
        return fail(str(exc))
    return follow(run, tty=sys.stdout.isatty())


def detached_command(args: argparse.Namespace, result, argv: list[str], hosts: list[str]) -> int:
    """A run through the detached launcher: on `hosts` over ssh, or here when there are none."""
    from dpg_lora.remote.machine import MachineError
    from dpg_lora.remote.remote_run import RemoteRun
    from dpg_lora.remote.ssh import SshError, parse_destination

    for host in hosts:
        try:
            parse_destination(host)
        except SshError as exc:
            return fail(str(exc))
    if hosts:
        cwd = args.trainer_dir or result.cwd or "."  # a path on that host: left as written
    else:
        cwd = str(Path(args.trainer_dir or result.cwd or ".").absolute())
    request = RunRequest.make(argv, cwd, result.config_text, str(result.config_path), result.script,
                              hosts=hosts or [""])
    run = RemoteRun.from_request(request, default_runs_dir(), grace=max(0.0, args.grace))
    if args.dry_run:
        for i, m in enumerate(run.machines):
            where = f"on {m.host}" if m.host else "on this machine"
            print(f"machine {i} ({m.host or 'this machine'}): command: {shell_command(m.argv)}")
            print(f"machine {i}: cwd: {m.cwd} ({where})")
            print(f"machine {i}: config: {result.config_path} (in that folder, {where})")
        try:  # what a real run checks first; nothing is written or started
            versions = run.check()
        except (MachineError, RunError) as exc:
            return fail(str(exc))
        for i, (_m, version) in enumerate(zip(run.machines, versions)):
            print(f"machine {i}: checked: trainer folder, script and interpreter (Python {version})")
        return 0
    try:
        run.start()
    except RunError as exc:
        return fail(str(exc))
    if args.detach:
        run.close()
        where = ", ".join(m.label for m in run.machines)
        print(f"dpg-lora: started on {where}; follow with `dpg-lora attach {run.id}`, "
              f"stop with `dpg-lora stop {run.id}`", file=sys.stderr)
        print(run.id)
        return 0
    return follow(run, tty=sys.stdout.isatty())


def follow(run: TrainingRun, tty: bool, interrupt: str = "stop") -> int:
    """Show the run until it ends; Ctrl+C (and TERM/HUP) stop it, or with interrupt="detach"
    stop following it (the run goes on). Returns the exit code."""
    interrupts = 0
    acted = 0

    def on_signal(signum, _frame) -> None:
        # only count here: the handler may interrupt the main thread inside a lock we'd need
        nonlocal interrupts
        interrupts += 1

    handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, on_signal) for s in handled}
    printer = TtyPrinter(run) if tty else PlainPrinter()
    try:
        while True:
            if interrupts > acted and interrupt == "detach":
                printer.close()
                run.close()
                print(f"dpg-lora: detached; {run.id} goes on (`dpg-lora attach {run.id}`)",
                      file=sys.stderr)
                return EXIT_STOPPED
            if interrupts > acted:
                acted = interrupts
                if acted == 1:
                    printer.close()
                    print(f"dpg-lora: stopping the trainer (kill after {run.grace:g} s; "
                          "Ctrl+C again to kill now)", file=sys.stderr, flush=True)
                    run.stop()
                else:
                    run.stop(grace=0)
            ended = run.wait(0.05)  # read `ended` before draining so no final event is missed
            try:
                printer.show(run.events.drain(5000))
            except BrokenPipeError:
                # the reader went away (`| head`): the training goes on, its log is on disk
                printer = NullPrinter()
                silence_stdout()
            if ended and not len(run.events):
                break
    finally:
        try:
            printer.close()
        except BrokenPipeError:
            silence_stdout()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return exit_code_of(run.record)


def exit_code_of(rec) -> int:
    """Report a run's end on stderr; the CLI's exit code for it."""
    summary = f"dpg-lora: {rec.state}"
    if rec.exit_code is not None:
        summary += f" (exit code {rec.exit_code})"
    print(f"{summary}; log: {rec.log_path}", file=sys.stderr)
    if rec.state == "stopped":
        return EXIT_STOPPED
    if rec.state == "finished":
        return 0
    if rec.exit_code is None:
        return 1
    # a signal death is reported the shell way
    return rec.exit_code if rec.exit_code > 0 else 128 + (-rec.exit_code)


class NullPrinter:
    def show(self, events) -> None:
        pass

    def close(self) -> None:
        pass


class PlainPrinter:
    def show(self, events) -> None:
        out = sys.stdout
        for event in events:
            if isinstance(event, LinesEvent):
                out.write("\n".join(event.lines) + "\n")
            elif isinstance(event, SkippedEvent):
                out.write(f"[{event.count} lines skipped; full log on disk]\n")
        out.flush()

    def close(self) -> None:
        sys.stdout.flush()


class TtyPrinter:
    """Log lines scroll above one progress line that is redrawn in place."""

    def __init__(self, run: TrainingRun) -> None:
        self.run = run
        self.status = ""
        self.epoch = None

    def show(self, events) -> None:
        out = sys.stdout
        changed = False
        for event in events:
            if isinstance(event, LinesEvent):
                text = [line for line in event.lines if parse_progress(line) is None]
                if text:
                    self._clear()
                    out.write("\n".join(text) + "\n")
                    changed = True
            elif isinstance(event, SkippedEvent):
                self._clear()
                out.write(f"[{event.count} lines skipped; full log on disk]\n")
                changed = True
            elif isinstance(event, EpochEvent):
                self.epoch = (event.epoch, event.total)
            elif isinstance(event, ProgressEvent):
                status = progress_text(event.progress, self.epoch)
                if status != self.status:
                    self.status = status
                    changed = True
        if changed and self.status:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            out.write("\r\x1b[2K" + self.status[:width])
        out.flush()

    def _clear(self) -> None:
        if self.status:
            sys.stdout.write("\r\x1b[2K")

    def close(self) -> None:
        if self.status:
            sys.stdout.write("\n")
            self.status = ""
        sys.stdout.flush()
