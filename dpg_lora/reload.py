"""Reload-or-ask: what to do when the open graph's file changes on disk. No GUI here.

    decide(state, disk_content) -> ReloadDecision     one of IGNORE / RELOAD / ASK / ERROR / DELETED
    resolve(decision, choice)   -> Resolution         what the UI applies to its documents

The UI keeps `OpenFileState` for the open document: its path, the text it was loaded from or
last saved (the baseline) and whether it has unsaved edits. It applies a Resolution by replacing
the graph in place (keeping its pan and zoom), updating the baseline, or opening a new document.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

from dpg_lora.graph import Graph, GraphFileError, graph_from_dict
from dpg_lora.jsonfile import JsonFileError, parse_json


class Action(str, Enum):
    IGNORE = "ignore"    # the same graph as ours (our own save, a touch, a reformat)
    RELOAD = "reload"    # no unsaved edits: take the file in place, keep the view
    ASK = "ask"          # unsaved edits and a different file: ask with `choices`
    ERROR = "error"      # half-written or invalid: error badge, keep the last good version open
    DELETED = "deleted"  # the file is gone: keep the document open as unsaved work


class Choice(str, Enum):
    TAKE_THEIRS = "take_theirs"    # load the file, drop my edits
    KEEP_MINE = "keep_mine"        # keep my edits; saving will overwrite the file
    OPEN_BESIDE = "open_beside"    # keep my edits and open the file as a new untitled document


CHOICE_LABELS = {Choice.TAKE_THEIRS: "Take theirs", Choice.KEEP_MINE: "Keep mine",
                 Choice.OPEN_BESIDE: "Open theirs beside"}


def text_hash(text: str) -> str:
    import hashlib  # loads libcrypto: not on the start path

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class OpenFileState:
    path: str
    baseline_text: str | None   # the text loaded or last saved; None when not known
    dirty: bool                 # unsaved edits

    @property
    def baseline_hash(self) -> str | None:
        return None if self.baseline_text is None else text_hash(self.baseline_text)


@dataclass(frozen=True)
class ReloadDecision:
    action: Action
    path: str
    message: str
    text: str | None = None      # the file's text (the new baseline when it is taken or ignored)
    graph: Graph | None = None   # the file's graph (RELOAD, ASK)
    choices: tuple[Choice, ...] = ()

    @property
    def clears_error_badge(self) -> bool:
        return self.action != Action.ERROR


@dataclass(frozen=True)
class Resolution:
    replace_graph: Graph | None = None   # put this graph into the open document (view kept)
    new_baseline: str | None = None      # the open document's new baseline text
    saved: bool = False                  # the open document now matches its file
    open_beside: Graph | None = None     # open this graph as a new untitled document
    keep_open_unsaved: bool = False      # the open document stays, with unsaved work


# ---------------------------------------------------------------- reading

def _to_text(content: bytes | str) -> str:
    if isinstance(content, bytes):
        return content.decode("utf-8-sig")
    return content[1:] if content.startswith("\ufeff") else content


def parse_graph_text(text: str, source: str) -> Graph:
    """A graph from file text; raises GraphFileError (also for an empty, half-written file)."""
    if not text.strip():
        raise GraphFileError(source, "", "the file is empty (still being written?)")
    try:
        data = parse_json(text, source)  # the same strict reader as load_graph
    except JsonFileError as exc:
        raise GraphFileError(exc.path, exc.where, exc.message) from None
    return graph_from_dict(data, source)


def read_disk(path: str | os.PathLike) -> bytes | None:
    """The file's bytes, or None when it does not exist. Other OSErrors propagate."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


# ---------------------------------------------------------------- deciding

def decide(state: OpenFileState, disk: bytes | str | None) -> ReloadDecision:
    """What to do with `disk` (the file's new content; None when it was deleted)."""
    path = state.path
    if disk is None:
        return ReloadDecision(Action.DELETED, path, f"{path} was deleted or moved; "
                              "the graph stays open as unsaved work")
    try:
        text = _to_text(disk)
    except UnicodeDecodeError as exc:
        return ReloadDecision(Action.ERROR, path, f"{path}: byte {exc.start}: not UTF-8 text; "
                              "keeping the last good version")
    if state.baseline_text is not None and text_hash(text) == state.baseline_hash:
        return ReloadDecision(Action.IGNORE, path, "unchanged", text=text)
    try:
        theirs = parse_graph_text(text, path)
    except GraphFileError as exc:
        return ReloadDecision(Action.ERROR, path, f"{exc}; keeping the last good version")
    if state.baseline_text is not None and _same_graph(theirs, state.baseline_text, path):
        return ReloadDecision(Action.IGNORE, path, "same graph, different text", text=text)
    if not state.dirty:
        return ReloadDecision(Action.RELOAD, path, f"{path} changed on disk; reloaded",
                              text=text, graph=theirs)
    return ReloadDecision(Action.ASK, path, f"{path} changed on disk and you have unsaved edits",
                          text=text, graph=theirs, choices=tuple(Choice))


def _same_graph(theirs: Graph, baseline_text: str, path: str) -> bool:
    try:
        return parse_graph_text(baseline_text, path) == theirs
    except GraphFileError:
        return False


def check_file(state: OpenFileState) -> ReloadDecision:
    """Read the file and decide; an unreadable file is an ERROR decision, never an exception."""
    try:
        disk = read_disk(state.path)
    except OSError as exc:
        return ReloadDecision(Action.ERROR, state.path, f"{state.path}: cannot read: "
                              f"{exc.strerror or exc}; keeping the last good version")
    return decide(state, disk)


def resolve(decision: ReloadDecision, choice: Choice | None = None) -> Resolution:
    """What the UI does for a decision (and, for ASK, the user's choice)."""
    action = decision.action
    if action == Action.IGNORE:
        return Resolution(new_baseline=decision.text)
    if action == Action.ERROR:
        return Resolution()
    if action == Action.DELETED:
        return Resolution(keep_open_unsaved=True)
    if action == Action.RELOAD:
        return Resolution(replace_graph=decision.graph, new_baseline=decision.text, saved=True)
    if choice is None:
        raise ValueError("an ASK decision needs the user's choice")
    if choice == Choice.TAKE_THEIRS:
        return Resolution(replace_graph=decision.graph, new_baseline=decision.text, saved=True)
    if choice == Choice.KEEP_MINE:
        # the baseline follows the file, so the same content does not ask again
        return Resolution(new_baseline=decision.text, keep_open_unsaved=True)
    if choice == Choice.OPEN_BESIDE:
        return Resolution(new_baseline=decision.text, keep_open_unsaved=True,
                          open_beside=decision.graph)
    raise ValueError(f"unknown choice {choice!r}")
