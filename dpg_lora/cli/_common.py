"""What several subcommands share: reading a graph file and compiling it, reporting as the CLI does,
and writing an output file safely (never onto an input, every failure one message and exit 2)."""
from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import CompileResult, compile_graph
from dpg_lora.fileio import atomic_write_text, same_file
from dpg_lora.graph import GraphFileError, load_graph


def fail(message: str) -> int:
    """An unreadable or malformed input: one line on stderr, exit code 2."""
    print(f"dpg-lora: {message}", file=sys.stderr)
    return 2


def grace_seconds(text: str) -> float:
    """argparse type for --grace: a finite number of seconds >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds >= 0, got {text!r}")
    return value


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


def refuse_input_as_output(output: str | os.PathLike, *inputs: str | os.PathLike) -> int | None:
    """Exit code 2 (after saying so) when writing `output` would replace one of `inputs`, however
    the path is spelled (relative, `..`, a symlink, a hard link); None when it is safe."""
    for source in inputs:
        if same_file(output, source):
            return fail(f"{os.fspath(output)} is the input file {os.fspath(source)}; "
                        "writing there would replace it (nothing written; choose another output)")
    return None


def cannot_write(path: str | os.PathLike, exc: OSError) -> int:
    """Exit code 2 after naming the file and why; a folder on the way is named when it is the cause."""
    from dpg_lora.settings import creatable_dir_problem

    reason = exc.strerror or str(exc)
    folder = Path(os.path.abspath(path)).parent
    if not folder.is_dir():
        problem = creatable_dir_problem(folder) or f"cannot be created ({reason})"
        reason = f"its folder {folder} {problem}"
    return fail(f"cannot write {os.fspath(path)}: {reason}")


def write_output(path: str | os.PathLike, text: str, *inputs: str | os.PathLike) -> int | None:
    """Write `text` atomically to `path` unless it is one of `inputs`; None on success, else the
    exit code (2) after one message."""
    refused = refuse_input_as_output(path, *inputs)
    if refused is not None:
        return refused
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        return cannot_write(path, exc)
    return None


def silence_stdout() -> None:
    """Point stdout at the null device, so nothing more is written to a pipe whose reader left."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
