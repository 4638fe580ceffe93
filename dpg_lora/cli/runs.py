"""`dpg-lora runs [--json]`: the runs on record, newest first, with how each one is now."""
from __future__ import annotations

import argparse
import json

from dpg_lora.remote.registry import started_text, statuses
from dpg_lora.runner.records import default_runs_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="list training runs (local and remote)",
                       description="List the runs on record: id, host, script, state, exit code, "
                                   "start time and the local log. Live runs are asked how they are.")
    p.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    p.set_defaults(func=runs_command)


def runs_command(args: argparse.Namespace) -> int:
    found = statuses(default_runs_dir())
    if args.json:
        print(json.dumps([s.as_dict() for s in found], indent=2, ensure_ascii=False))
        return 0
    rows = [("ID", "HOST", "SCRIPT", "STATE", "EXIT", "STARTED", "LOG")]
    for s in found:
        r = s.record
        rows.append((r.id, r.host or "-", r.script or "-", s.state + (f" ({s.note})" if s.note else ""),
                     "-" if s.exit_code is None else str(s.exit_code), started_text(r.started), r.log_path))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    if len(rows) == 1:
        print(f"(no runs in {default_runs_dir()})")
    return 0
