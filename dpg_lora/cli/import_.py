"""`dpg-lora import FILE [--script NAME] [--trainer-dir DIR] -o GRAPH.json`: a training config or an
original workflow as a graph; with --trainer-dir a config's keys go on the fields of that folder's
scripts, its new arguments too. (The module name ends in `_` because `import` is a keyword.)"""
from __future__ import annotations

import argparse
import sys

from dpg_lora.graph import save_graph
from dpg_lora.scripts import SCRIPTS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="turn a training config or an original editor workflow into a graph",
                       description="Import a T2ITrainer training config, an original editor workflow or a "
                                   "dpg-lora graph. Notes go to stderr, one per line (`severity CODE node.field: "
                                   "message`), the summary to stdout; the graph is written even with errors. "
                                   "Exit 0 without errors, 1 with errors, 2 when the file is unreadable, "
                                   "not JSON or not an object.")
    p.add_argument("file", help="training config, workflow or graph (.json)")
    p.add_argument("--script", choices=tuple(SCRIPTS), metavar="NAME",
                   help="the trainer script to import for (default: the file's own, else a guess)")
    p.add_argument("-o", "--out", required=True, metavar="GRAPH.json", help="where to write the graph (atomically)")
    p.add_argument("--trainer-dir", metavar="DIR",
                   help="place a config's keys on the fields of this T2ITrainer folder's scripts (their new "
                        "arguments too, instead of Extra settings)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dpg_lora.cli._common import cannot_write, refuse_input_as_output
    from dpg_lora.importers import ImportError_, import_file

    refused = refuse_input_as_output(args.out, args.file)
    if refused is not None:
        return refused
    from dpg_lora.cli.scripts import folder_context

    context = folder_context(args)  # the command's context, with --trainer-dir's scripts when given
    try:
        graph, notes = import_file(args.file, script=args.script, context=context)
    except ImportError_ as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return 2
    try:
        save_graph(graph, args.out)
    except OSError as exc:
        return cannot_write(args.out, exc)
    from dpg_lora.compiler import compile_graph
    from dpg_lora.importers.places import pinned

    for note in pinned(notes, graph, compile_graph(graph, context)):
        print(note.line(), file=sys.stderr)
    errors = sum(note.severity == "error" for note in notes)
    print(f"wrote {args.out} ({len(graph.nodes)} nodes, {len(graph.links)} links, {len(notes)} notes, "
          f"{errors} error{'s' * (errors != 1)})")
    return 1 if errors else 0
