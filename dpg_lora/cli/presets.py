"""`dpg-lora presets list [--json]`: built-in and user presets, broken files listed with their error.

Exit 0 even when some files are broken (they are part of the listing); 2 on bad settings.
"""
from __future__ import annotations

import argparse
import json
import sys

from dpg_lora.presets import PresetInfo, list_presets
from dpg_lora.settings import SettingsError, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="list built-in and user presets",
                       description="Work with presets. Built-in presets are read-only; user presets "
                                   "live in <DPG_LORA_USER_DIR>/presets.")
    actions = p.add_subparsers(dest="presets_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list presets (broken files are listed with their error)")
    listing.add_argument("--json", action="store_true",
                         help="one JSON array: name, description, path, source, script, node_count, error")
    listing.set_defaults(func=run_list)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _table(infos: list[PresetInfo]) -> str:
    rows = [("SOURCE", "NAME", "SCRIPT", "NODES", "FILE")]
    for info in infos:
        rows.append((info.source, info.name, info.script or "-",
                     "-" if info.error else str(info.node_count), info.path.name))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    for info in infos:
        if info.error:
            lines.append(f"broken: {info.error}")
    return "\n".join(line.rstrip() for line in lines)


def run_list(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return 2
    infos = list_presets(settings)
    if args.json:
        print(json.dumps([i.as_dict() for i in infos], ensure_ascii=False, indent=2))
    else:
        print(_table(infos) if infos else "no presets found")
    return 0
