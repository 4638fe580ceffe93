"""Opens the Dear PyGui editor (imported lazily so the CLI works without a display)."""
from __future__ import annotations

import argparse


def open_editor(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dpg-lora", description="Open the node editor.")
    parser.add_argument("graph", nargs="?", help="graph file to open")
    args = parser.parse_args(argv)
    from dpg_lora.ui.app import run_editor

    return int(run_editor(args.graph) or 0)
