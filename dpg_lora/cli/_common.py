"""What several subcommands share: reading a graph file and compiling it, reporting as the CLI does."""
from __future__ import annotations

import sys

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import CompileResult, compile_graph
from dpg_lora.graph import GraphFileError, load_graph


def fail(message: str) -> int:
    """An unreadable or malformed input: one line on stderr, exit code 2."""
    print(f"dpg-lora: {message}", file=sys.stderr)
    return 2


def compile_file(path: str, context: CompileContext) -> CompileResult | int:
    """The compile result of a graph file, or exit code 2 after saying why it could not be read."""
    try:
        return compile_graph(load_graph(path), context)
    except GraphFileError as exc:
        return fail(str(exc))


def print_diagnostics(result: CompileResult, verbose: bool = False) -> None:
    """One line each on stderr; info lines only when `verbose`."""
    for diag in result.diagnostics:
        if diag.severity != "info" or verbose:
            print(diag.line(), file=sys.stderr)
