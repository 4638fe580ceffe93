"""`dpg-lora compile GRAPH [--out CONFIG] [--print config|command]`."""
from __future__ import annotations

import argparse
import sys

from dpg_lora.cli._common import compile_file, print_diagnostics
from dpg_lora.fileio import atomic_write_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compile", help="compile a graph into the trainer config and command",
                       description="Compile a graph. Problems go to stderr, one per line; "
                                   "exit 1 on errors (nothing is written), 2 on an unreadable file.")
    p.add_argument("graph", help="graph file (.json)")
    p.add_argument("--out", metavar="CONFIG", help="write the config here (atomically)")
    p.add_argument("--print", dest="show", choices=("config", "command"),
                   help="print the config (the exact bytes --out writes) or the shell-quoted command")
    p.add_argument("--verbose", "-v", action="store_true", help="also list info diagnostics")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = compile_file(args.graph, args.context)
    if isinstance(result, int):
        return result
    print_diagnostics(result, args.verbose)
    show = args.show or (None if args.out else "config")
    if show == "config":
        sys.stdout.write(result.config_text)
    elif show == "command":
        print(result.command)
    if result.errors:
        return 1
    if args.out:
        atomic_write_text(args.out, result.config_text)
    return 0
