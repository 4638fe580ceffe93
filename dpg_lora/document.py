"""The open document: a graph, its file, an undo history of commands, and a cached compile.

Pure (no Dear PyGui). The editor turns every user action into one method call here; each call
runs one undoable command (dpg_lora/commands.py, built by dpg_lora/editing.py), bumps
`revision`, and the UI refreshes once per new revision. The compile result and the graph index
(dpg_lora/graph_index.py) are rebuilt at most once per revision.
"""
from __future__ import annotations

import itertools
import os
import time
from typing import Any, Callable, Iterable

from dpg_lora import editing
from dpg_lora.commands import (
    UNSET, AddLink, AddNodes, Command, Compound, MoveNodes, RemoveLink, RemoveNodes, RenameKey, ReorderLink,
    ReplaceValues, SetCollapsed, SetValue,
)
from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.compiler import CompileResult, compile_graph
from dpg_lora.editing import CLIP_FORMAT, copy_payload, link_refusal, parse_payload
from dpg_lora.graph import Graph, Link, check_value, load_graph, save_graph
from dpg_lora.graph_index import GraphIndex
from dpg_lora.layout import arrange
from dpg_lora.script_fields import field_named
from dpg_lora.specs import REGISTRY, key_kind_of
from dpg_lora.specs.types import NodeSpec

COALESCE_SECONDS = 1.5  # consecutive edits of one field within this window are one undo step

_revisions = itertools.count(1)  # unique across documents, so a new document always looks new


# ---------------------------------------------------------------- the document

class Document:
    def __init__(self, graph: Graph | None = None, path: str | os.PathLike | None = None,
                 clock: Callable[[], float] = time.monotonic, dirty: bool = False,
                 context: CompileContext = EMPTY_CONTEXT):
        self.graph = graph if graph is not None else Graph()
        self.path = os.fspath(path) if path else None
        self.clock = clock
        self.revision = next(_revisions)
        self._undo: list[tuple[Command, int]] = []  # (command, state token after it)
        self._redo: list[tuple[Command, int]] = []
        self._base_token = self.revision  # state token with nothing done
        self.saved_revision = -1 if dirty else self.revision  # e.g. an import is unsaved work
        self._last_edit = -1e9
        self._last_was_execute = False
        self._sealed = True
        self._context = context
        self._result: CompileResult | None = None
        self._index: GraphIndex | None = None
        self._cached_revision = -1

    # ------------------------------------------------------------ files
    @classmethod
    def open(cls, path: str | os.PathLike, **kw: Any) -> "Document":
        """Load a graph file; raises GraphFileError."""
        return cls(load_graph(path), os.fspath(path), **kw)

    def save(self, path: str | os.PathLike | None = None) -> str:
        target = os.fspath(path) if path else self.path
        if not target:
            raise ValueError("no file name yet; use Save As")
        save_graph(self.graph, target)
        self.path = target
        self.saved_revision = self._token
        self._sealed = True
        return target

    @property
    def _token(self) -> int:
        return self._undo[-1][1] if self._undo else self._base_token

    @property
    def dirty(self) -> bool:
        return self._token != self.saved_revision

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "untitled"

    @property
    def title(self) -> str:
        return ("*" if self.dirty else "") + self.name

    # ------------------------------------------------------------ compile cache
    @property
    def context(self) -> CompileContext:
        """The machine the graph is compiled for (the editor sets it from its settings)."""
        return self._context

    @context.setter
    def context(self, context: CompileContext) -> None:
        if context != self._context:
            self._context = context
            self._cached_revision = -1

    def _fresh(self) -> None:
        if self._cached_revision != self.revision or self._result is None:
            self._result = compile_graph(self.graph, self._context)
            self._index = None
            self._cached_revision = self.revision

    @property
    def result(self) -> CompileResult:
        self._fresh()
        assert self._result is not None
        return self._result

    @property
    def index(self) -> GraphIndex:
        """Graph queries for this revision (built on first use)."""
        self._fresh()
        if self._index is None:
            self._index = GraphIndex(self.graph, self.result)
        return self._index

    # ------------------------------------------------------------ history
    def execute(self, cmd: Command, coalesce: bool = False) -> Command:
        cmd.do(self.graph)
        now = self.clock()
        self.revision = next(_revisions)
        self._redo.clear()
        top = self._undo[-1][0] if self._undo else None
        if (coalesce and not self._sealed and top is not None
                and now - self._last_edit <= COALESCE_SECONDS and top.merge(cmd)):
            self._undo[-1] = (top, self.revision)  # a new state token: saved-ness follows
        else:
            self._undo.append((cmd, self.revision))
        self._sealed = not coalesce
        self._last_edit = now
        self._last_was_execute = True
        return cmd

    def seal(self) -> None:
        """End coalescing: the next edit of the same field is its own undo step."""
        self._sealed = True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        if not self._undo:
            return None
        cmd, token = self._undo.pop()
        self._last_was_execute = False
        cmd.undo(self.graph)
        self._redo.append((cmd, token))
        self.revision = next(_revisions)
        self._sealed = True
        return cmd.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        cmd, token = self._redo.pop()
        self._last_was_execute = False
        cmd.do(self.graph)
        self._undo.append((cmd, token))
        self.revision = next(_revisions)
        self._sealed = True
        return cmd.label

    def _run(self, cmd: Command | None, coalesce: bool = False) -> bool:
        if cmd is None:
            return False
        self.execute(cmd, coalesce)
        return True

    # ------------------------------------------------------------ values
    def spec(self, node_id: str) -> NodeSpec:
        return REGISTRY[self.graph.node(node_id).type]

    def set_value(self, node_id: str, field_name: str, value: Any, coalesce: bool = True) -> bool:
        """Set (or with UNSET, clear) a field. Returns False when nothing changed.

        Setting a key field (an item's own key) renames it through the dataset: see rename_key.
        """
        node = self.graph.node(node_id)
        fld = field_named(REGISTRY[node.type], field_name, self._context)
        if value is not UNSET:
            value, error = check_value(fld, value)
            if error:
                raise ValueError(f"{fld.label}: {error}")
        old = node.values.get(field_name, UNSET)
        if old == value and type(old) is type(value):
            return False
        if fld.is_key:
            return self.rename_key(node_id, value, coalesce=coalesce)
        self.execute(SetValue(node_id, field_name, value, old, label=f"edit {fld.label}"), coalesce)
        return True

    def replace_values(self, node_id: str, values: dict) -> bool:
        node = self.graph.node(node_id)
        if node.values == values:
            return False
        self.execute(ReplaceValues(node_id, dict(values), dict(node.values)), coalesce=True)
        return True

    def dataset_for(self, node_id: str) -> str | None:
        """The Dataset Config a node feeds (see GraphIndex.dataset_of)."""
        return self.index.dataset_of(node_id)

    def dataset_keys_for(self, node_id: str, kind: str) -> list[str]:
        """Keys of `kind` a KEY field on this node can name: its dataset's, or every dataset's."""
        return self.index.dataset_keys_for(node_id, kind)

    def rename_key(self, node_id: str, new_key: Any, coalesce: bool = False) -> bool:
        """Rename an item's key; KEY fields in its dataset that named the old key follow it."""
        return self._run(editing.rename_key(self.graph, self.index, node_id, new_key, self._context), coalesce)

    # ------------------------------------------------------------ nodes
    def add_node(self, node_type: str, pos: tuple[float, float] = (0.0, 0.0),
                 values: dict | None = None, link_to: tuple[str, str] | None = None,
                 link_from: tuple[str, str] | None = None) -> str:
        """A new node; optionally linked into `link_to` = (dst, pin) or fed by `link_from` = (src, pin).

        Both the node and its link are one undo step. Raises ValueError if the link is refused.
        """
        cmd, node_id = editing.add_node(self.graph, node_type, pos, values, link_to, link_from)
        self.execute(cmd)
        return node_id

    def remove_nodes(self, ids: Iterable[str]) -> bool:
        return self._run(editing.remove_nodes(self.graph, ids))

    def delete(self, node_ids: Iterable[str], links: Iterable[Link]) -> bool:
        """Delete selected nodes and links as one step."""
        return self._run(editing.delete(self.graph, node_ids, links))

    def move_nodes(self, positions: dict[str, tuple[float, float]], label: str = "move") -> bool:
        return self._run(editing.move_nodes(self.graph, positions, label))

    def arrange(self, sizes: dict[str, tuple[float, float]] | None = None) -> bool:
        """layout.arrange as one undoable move. `sizes` (drawn width and height at 100% zoom)
        make columns and stacks fit the real nodes so none overlaps."""
        laid = arrange(self.graph.model_copy(deep=True), sizes)
        return self.move_nodes({n.id: n.pos for n in laid.nodes}, label="arrange")

    def make_room(self, positions: dict[str, tuple[float, float]]) -> bool:
        """Move nodes out from under one that grew because of the last command (an edit that
        showed a problem, a link that opened rows): the move joins that command's undo step, so
        undo puts both back. Not after an undo or redo, nor with nothing done yet."""
        if not self._undo or self._redo or not self._last_was_execute:
            return False
        move = editing.move_nodes(self.graph, positions, "make room")
        if move is None:
            return False
        move.do(self.graph)
        top, _ = self._undo[-1]
        self.revision = next(_revisions)
        self._undo[-1] = (Compound([top, move], label=top.label), self.revision)
        self._sealed = True
        return True

    def set_collapsed(self, ids: Iterable[str], collapsed: bool) -> bool:
        """Collapse or expand nodes as one undoable step; False when nothing changes."""
        now = set(self.graph.view.collapsed)
        present = {n.id for n in self.graph.nodes}
        ids = [i for i in ids if i in present and (i in now) != collapsed]
        if not ids:
            return False
        verb = "collapse" if collapsed else "expand"
        self.execute(SetCollapsed(ids, collapsed, label=f"{verb} {len(ids)} node{'s' * (len(ids) > 1)}"))
        return True

    # ------------------------------------------------------------ links
    def link_refusal(self, src: str, dst: str, dst_pin: str) -> str | None:
        return link_refusal(self.graph, src, dst, dst_pin)

    def add_link(self, src: str, dst: str, dst_pin: str) -> str | None:
        """Link src's output into dst.dst_pin. Returns the reason when refused, else None."""
        cmd, reason = editing.add_link(self.graph, src, dst, dst_pin)
        self._run(cmd)
        return reason

    def find_link(self, src: str, dst: str, dst_pin: str) -> Link | None:
        return next((l for l in self.index.input_links(dst, dst_pin) if l.src == src), None)

    def remove_link(self, link: Link) -> bool:
        if not any(l is link for l in self.graph.links):
            return False
        self.execute(RemoveLink(link))
        return True

    def input_links(self, dst: str, pin: str) -> list[Link]:
        """Links into an input, in order."""
        return self.index.input_links(dst, pin)

    def reorder_link(self, dst: str, pin: str, old: int, new: int) -> bool:
        count = len(self.input_links(dst, pin))
        if old == new or not (0 <= old < count and 0 <= new < count):
            return False
        self.execute(ReorderLink(dst, pin, old, new))
        return True

    # ------------------------------------------------------------ clipboard
    def copy(self, ids: Iterable[str]) -> dict:
        return copy_payload(self.graph, ids)

    def paste(self, payload: dict, offset: tuple[float, float] = (40.0, 40.0),
              label: str = "paste") -> list[str]:
        """Add the payload's nodes with new ids and their internal links. Returns the new ids."""
        cmd, ids = editing.paste(self.graph, payload, offset, label)
        self._run(cmd)
        return ids

    def duplicate(self, ids: Iterable[str], offset: tuple[float, float] = (40.0, 40.0)) -> list[str]:
        return self.paste(self.copy(ids), offset, label="duplicate")


__all__ = ["CLIP_FORMAT", "COALESCE_SECONDS", "UNSET", "AddLink", "AddNodes", "Command", "Compound", "Document",
           "MoveNodes", "RemoveLink", "RemoveNodes", "RenameKey", "ReorderLink", "ReplaceValues", "SetValue",
           "copy_payload", "key_kind_of", "link_refusal", "parse_payload"]
