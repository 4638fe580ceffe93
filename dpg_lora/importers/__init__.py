"""Import files from elsewhere into a dpg-lora graph: T2ITrainer training configs, the original
editor's workflows, and (passed through) dpg-lora graphs. Each import lists what it could not
carry over as notes instead of fixing it silently."""
from __future__ import annotations

import os
from typing import Any

from dpg_lora import fileio
from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.graph import FORMAT, Graph, GraphFileError, graph_from_dict
from dpg_lora.importers.config import import_config
from dpg_lora.importers.notes import (
    BadGraphFileError, ImportError_, ImportNote, NotAnObjectError, NotJSONError, Notes, UnreadableFileError,
)
from dpg_lora.importers.workflow import import_workflow, is_workflow

KINDS = ("graph", "workflow", "config")


def detect_kind(data: Any) -> str:
    """"graph", "workflow" or "config"; raises NotAnObjectError for a non-object."""
    if not isinstance(data, dict):
        raise NotAnObjectError(f"expected a JSON object, got {type(data).__name__}")
    if data.get("format") == FORMAT:
        return "graph"
    return "workflow" if is_workflow(data) else "config"


def read_json(path: str | os.PathLike) -> Any:
    try:
        return fileio.read_json(path)
    except fileio.JsonFileError as exc:
        error = NotJSONError if exc.kind == "not_json" else UnreadableFileError
        raise error(str(exc)) from None


def import_data(data: Any, script: str | None = None, name: str = "",
                context: CompileContext = EMPTY_CONTEXT) -> tuple[Graph, Notes]:
    """A parsed file of any kind -> (graph, notes); a config's keys go on the fields of `context`'s
    scripts (a workflow holds the original editor's fields only)."""
    kind = detect_kind(data)
    if kind == "graph":
        try:
            return graph_from_dict(data, name or "<graph>"), Notes()
        except GraphFileError as exc:
            raise BadGraphFileError(str(exc)) from None
    if kind == "workflow":
        return import_workflow(data, script, name)
    return import_config(data, script, name, context)


def import_file(path: str | os.PathLike, script: str | None = None,
                context: CompileContext = EMPTY_CONTEXT) -> tuple[Graph, Notes]:
    """Read `path` (a training config, an original workflow or a dpg-lora graph) as a graph.

    Raises an ImportError_ subclass only when the file is unreadable, not JSON or not an object.
    """
    data = read_json(path)
    name = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    try:
        return import_data(data, script, name, context)
    except NotAnObjectError as exc:
        raise NotAnObjectError(f"{os.fspath(path)}: {exc}") from None


__all__ = ["KINDS", "BadGraphFileError", "ImportError_", "ImportNote", "NotAnObjectError", "NotJSONError",
           "Notes", "UnreadableFileError", "detect_kind", "import_config", "import_data", "import_file",
           "import_workflow", "read_json"]
