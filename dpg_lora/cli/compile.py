"""`dpg-lora compile GRAPH [--out CONFIG] [--print config|command]`.

One rule for printing and writing: a config with errors is neither printed nor written (exit 1,
the errors on stderr), so what is printed is always exactly what `--out` writes and what `run`
would start with. With `--out`, the printed command names that file as its --config_path.
"""
from __future__ import annotations

import argparse
import os
import sys

from dpg_lora.cli._common import compile_file, print_diagnostics, refuse_input_as_output, write_output
from dpg_lora.cli.scripts import folder_context
from dpg_lora.compiler import CompileResult, shell_command


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compile", help="compile a graph into the trainer config and command",
                       description="Compile a graph. Problems go to stderr, one per line; "
                                   "on errors nothing is printed or written and the exit code is 1; "
                                   "2 on an unreadable file or an output that cannot be written.")
    p.add_argument("graph", help="graph file (.json)")
    p.add_argument("--out", metavar="CONFIG",
                   help="write the config here (atomically; never onto the graph file)")
    p.add_argument("--print", dest="show", choices=("config", "command"),
                   help="print the config (the exact bytes --out writes) or the shell-quoted command "
                        "(naming --out as its config file when given)")
    p.add_argument("--trainer-dir", metavar="DIR",
                   help="compile against this T2ITrainer folder's scripts (their arguments and defaults)")
    p.add_argument("--verbose", "-v", action="store_true", help="also list info diagnostics")
    p.set_defaults(func=run)


def command_for(result: CompileResult, out: str | None) -> str:
    """The command that trains with the config written to `out` (run from the trainer folder)."""
    argv = list(result.argv)
    if out and "--config_path" in argv:
        default = result.config_file(os.getcwd())
        if not _same_place(out, default):
            argv[argv.index("--config_path") + 1] = os.path.abspath(out)
    return shell_command(argv)


def _same_place(a: str, b: str) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def run(args: argparse.Namespace) -> int:
    if args.out:
        refused = refuse_input_as_output(args.out, args.graph)
        if refused is not None:
            return refused
    result = compile_file(args.graph, folder_context(args))
    if isinstance(result, int):
        return result
    print_diagnostics(result, args.verbose)
    if result.errors:
        print(f"dpg-lora: {len(result.errors)} error(s): nothing printed or written", file=sys.stderr)
        return 1
    if args.out:
        failed = write_output(args.out, result.config_text, args.graph)
        if failed is not None:
            return failed
    show = args.show or (None if args.out else "config")
    if show == "config":
        sys.stdout.write(result.config_text)
    elif show == "command":
        print(command_for(result, args.out))
    return 0
