"""`dpg-lora attach ID`: follow a run (local or remote) to its end; exit with the trainer's code.

Ctrl+C stops following; the run goes on. A run that already ended shows its log and its code.
"""
from __future__ import annotations

import argparse
import sys

from dpg_lora.cli._common import fail
from dpg_lora.cli.run import exit_code_of, follow
from dpg_lora.remote.registry import RunNotFound, find_record
from dpg_lora.remote.remote_run import RemoteRun
from dpg_lora.runner.manager import RunManager
from dpg_lora.runner.records import default_runs_dir
from dpg_lora.runner.training_run import TrainingRun, can_reattach


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attach", help="follow a run to its end",
                       description="Follow run ID (see `dpg-lora runs`) until it ends and exit with "
                                   "the trainer's exit code. Ctrl+C detaches; the run goes on.")
    p.add_argument("id", help="run id (or a unique start of one)")
    p.set_defaults(func=attach_command)


def attach_command(args: argparse.Namespace) -> int:
    runs_dir = default_runs_dir()
    try:
        record = find_record(runs_dir, args.id)
    except RunNotFound as exc:
        return fail(str(exc))
    if record.is_final:
        try:
            with open(record.log_path, "rb") as fh:
                sys.stdout.buffer.write(fh.read())
        except OSError as exc:
            print(f"dpg-lora: log not readable: {exc}", file=sys.stderr)
        sys.stdout.flush()
        return exit_code_of(record)
    if record.machines:
        run: TrainingRun = RemoteRun.reattach(record)
    elif can_reattach(record):
        run = TrainingRun.reattach(record)
    else:
        RunManager(runs_dir, recover=True)  # settles the record of a run that died unobserved
        return exit_code_of(find_record(runs_dir, record.id))
    print(f"dpg-lora: following {record.id} on {record.host or 'this machine'} (Ctrl+C detaches)",
          file=sys.stderr)
    return follow(run, tty=sys.stdout.isatty(), interrupt="detach")
