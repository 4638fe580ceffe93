"""Command line: `dpg-lora [GRAPH]` opens the editor; subcommands live in sibling modules.

Each module in this package that defines `register(subparsers)` adds one subcommand and sets
`func` on its parser to a handler `(args) -> int`. Exit codes: 0 ok, 1 errors found, 2 bad input.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

SUBCOMMANDS_ORDER = ["compile", "validate", "import_", "run", "presets", "screenshot"]


def _subcommand_modules():
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    ordered = [n for n in SUBCOMMANDS_ORDER if n in names] + sorted(
        n for n in names if n not in SUBCOMMANDS_ORDER
    )
    for name in ordered:
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "register"):
            yield module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dpg-lora",
        description="Node editor for T2ITrainer LoRA configs. Without a subcommand it opens the editor.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _subcommand_modules():
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `dpg-lora` and `dpg-lora GRAPH.json` open the editor.
    known = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()
    if not argv or (argv[0] not in known and not argv[0].startswith("-")):
        from dpg_lora.cli import _editor

        _read_settings()  # the editor opens anyway and shows a bad setting in its status bar
        return _editor.open_editor(argv)
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
        return load_settings()
    except SettingsError as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return None
