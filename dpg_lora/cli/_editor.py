"""Opens the Dear PyGui editor (imported lazily so the CLI works without a display)."""
from __future__ import annotations

import argparse
import sys

from dpg_lora.cli._display import HEADLESS_HINT, display_problem


def open_editor(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dpg-lora", description="Open the node editor.")
    parser.add_argument("graph", nargs="?", help="graph file to open")
    args = parser.parse_args(argv)
    problem = display_problem()
    if problem:
        print(f"dpg-lora: {problem}. The editor needs a graphical desktop. {HEADLESS_HINT}",
              file=sys.stderr)
        return 2
    from dpg_lora.ui.app import run_editor

    return int(run_editor(args.graph) or 0)
