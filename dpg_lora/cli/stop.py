"""`dpg-lora stop ID`: stop a run's whole process tree (every machine), TERM then KILL."""
from __future__ import annotations

import argparse
import sys

from dpg_lora.cli._common import fail, grace_seconds
from dpg_lora.remote.registry import RunNotFound, find_record
from dpg_lora.remote.remote_run import RemoteRun
from dpg_lora.runner.records import default_runs_dir
from dpg_lora.runner.training_run import DEFAULT_GRACE, TrainingRun, can_reattach


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stop", help="stop a run",
                       description="Stop run ID (see `dpg-lora runs`): TERM to its whole process "
                                   "tree on every machine, KILL after the grace period. Returns "
                                   "when nothing of it is left.")
    p.add_argument("id", help="run id (or a unique start of one)")
    p.add_argument("--grace", type=grace_seconds, default=DEFAULT_GRACE, metavar="SECONDS",
                   help=f"seconds between TERM and KILL (default {DEFAULT_GRACE:g})")
    p.set_defaults(func=stop_command)


def stop_command(args: argparse.Namespace) -> int:
    try:
        record = find_record(default_runs_dir(), args.id)
    except RunNotFound as exc:
        return fail(str(exc))
    if record.is_final:
        print(f"dpg-lora: {record.id} already ended ({record.state})", file=sys.stderr)
        return 0
    grace = max(0.0, args.grace)
    if record.machines:
        run: TrainingRun = RemoteRun.reattach(record, grace=grace)
    elif can_reattach(record):
        run = TrainingRun.reattach(record, grace=grace)
    else:
        print(f"dpg-lora: {record.id} is not running", file=sys.stderr)
        return 0
    run.stop(grace)
    if not run.wait(grace + 120):
        return fail(f"{record.id}: the trainer did not stop in time")
    print(f"dpg-lora: {record.id} {run.state}" + (f": {run.record.message}" if run.record.message else ""),
          file=sys.stderr)
    return 0 if run.state in ("stopped", "finished", "failed") else 1
