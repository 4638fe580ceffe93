"""Command line: `dpg-lora [GRAPH]` opens the editor; subcommands live in sibling modules.

Each module in this package that defines `register(subparsers)` adds one subcommand and sets
`func` on its parser to a handler `(args) -> int`. Exit codes: 0 ok, 1 errors found, 2 bad input.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

SUBCOMMANDS_ORDER = ["compile", "validate", "import", "run", "presets", "screenshot"]


def command_modules() -> dict[str, str]:
    """Subcommand name -> module name, from the file names alone, so that finding the commands
    imports none of them (`import_.py` holds `import`). Only the command that runs is imported:
    `compile` never loads the runner, the importers or Dear PyGui."""
    here = os.path.dirname(__file__)
    names = sorted(f[:-3] for f in os.listdir(here) if f.endswith(".py") and not f.startswith("_"))
    commands = {n.rstrip("_"): n for n in names}
    ordered = [c for c in SUBCOMMANDS_ORDER if c in commands] + sorted(c for c in commands
                                                                      if c not in SUBCOMMANDS_ORDER)
    return {c: commands[c] for c in ordered}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with only `command` (what running it needs)."""
    parser = argparse.ArgumentParser(
        prog="dpg-lora",
        description="Node editor for T2ITrainer LoRA configs. Without a subcommand it opens the editor.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in command_modules().items():
        if command is None or name == command:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if hasattr(module, "register"):
                module.register(sub)
    return parser


EXIT_CLOSED_PIPE = 141  # what a shell reports for a tool stopped by SIGPIPE (`| head`)


def main(argv: list[str] | None = None) -> int:
    """Run one command. A reader that went away (`dpg-lora presets list | head`) ends any command
    quietly with exit code 141; a training run keeps going (see cli/run.py)."""
    try:
        try:
            code = _main(argv)
        finally:  # also after argparse's --help/usage exit
            sys.stdout.flush()  # a broken pipe surfaces here, not in the interpreter's exit flush
    except BrokenPipeError:
        from dpg_lora.cli._common import silence_stdout

        silence_stdout()
        return EXIT_CLOSED_PIPE
    return code


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    known = command_modules()
    # `dpg-lora` and `dpg-lora GRAPH.json` open the editor.
    if not argv or (argv[0] not in known and not argv[0].startswith("-")):
        from dpg_lora.cli import _editor

        _read_settings()  # the editor opens anyway and shows a bad setting in its status bar
        return _editor.open_editor(argv)
    parser = build_parser(argv[0] if argv[0] in known else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    settings = _read_settings()
    if settings is None:
        return 2
    from dpg_lora.compile_context import CompileContext

    args.context = CompileContext.from_settings(settings)  # what every compile of this command reads
    return int(args.func(args) or 0)


def _read_settings():
    """Read .env and the environment once; a bad value is a one-line message (then exit 2)."""
    from dpg_lora.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return None
    for warning in settings.warnings:
        print(f"dpg-lora: {warning}", file=sys.stderr)
    return settings
