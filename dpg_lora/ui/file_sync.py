"""The editor's link to the disk while it runs: watching, reloading, autosave and recovery.

- The watcher thread (dpg_lora/watch.py) puts events on a queue; `poll()` drains it on the UI
  thread: a preset folder change refreshes the browser, a change to the open graph file goes
  through reload-or-ask (dpg_lora/reload.py).
- Autosave (dpg_lora/autosave.py) snapshots unsaved work every few seconds; at start, work left
  by a crashed session is offered back.
Per frame this costs one queue-empty check and one float comparison. The watcher wakes the render
loop through the app's waker; autosave asks for a frame when a snapshot falls due (`next_due`).
"""
from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from dpg_lora import reload as reloading
from dpg_lora.document import Document
from dpg_lora.graph import GraphFileError, graph_to_text
from dpg_lora.ui.texts import tr

if TYPE_CHECKING:
    from dpg_lora.watch import Watcher

AUTOSAVE_CHECK_SECONDS = 1.0
CHOICE_KEYS = {reloading.Choice.TAKE_THEIRS: "sync.take_theirs", reloading.Choice.KEEP_MINE: "sync.keep_mine",
               reloading.Choice.OPEN_BESIDE: "sync.open_beside"}


def decision_text(decision) -> str:
    """What a reload decision says, in the current language (the path and error detail as they are)."""
    action, path = decision.action, decision.path
    if action == reloading.Action.ASK:
        return tr("sync.changed_unsaved", path=path)
    if action == reloading.Action.RELOAD:
        return tr("sync.reloaded", path=path)
    if action == reloading.Action.DELETED:
        return tr("sync.deleted", path=path)
    return tr("sync.not_reloaded", detail=decision.message)


class FileSync:
    def __init__(self, app, *, watch: bool = True, autosave: bool = True, start: bool = True):
        """`start=False`: the watcher (and its watchfiles import) waits for `start()`, which the
        editor calls after its first frame."""
        self.app = app
        self.baseline: str | None = None  # the open file's text as loaded or last saved
        self.watcher: Watcher | None = None
        self.autosaver = None
        self._next_autosave = 0.0
        self._snapshot_revision: int | None = None  # the revision the last due autosave tick saw
        settings = app.settings
        self._watch = watch
        self._watched_file: str | None = None
        if start:
            self.start()
        if autosave:
            from dpg_lora.autosave import Autosaver

            self.autosaver = Autosaver(settings.user_dir)

    # ------------------------------------------------------------ document changes
    def opened(self, doc: Document) -> None:
        """A document was opened (or created): remember its file's text and watch that file."""
        self.baseline = None
        if doc.path:
            try:
                with open(doc.path, "rb") as fh:
                    self.baseline = fh.read().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.baseline = None
        self._watch_file(doc.path)

    def saved(self, doc: Document) -> None:
        self.baseline = graph_to_text(doc.graph)
        self._watch_file(doc.path)
        if self.autosaver is not None:
            self.autosaver.discard(doc.path)
            self.autosaver.discard(None)  # an untitled document that was just named

    def start(self) -> None:
        """Start watching the preset folders and the open file."""
        if not self._watch or self.watcher is not None:
            return
        from dpg_lora.watch import Watcher

        settings = self.app.settings
        path = self._watched_file
        self.watcher = Watcher(folders=[settings.presets_dir, settings.user_presets_dir],
                               files=[path] if path else [], wake=self.app.waker.wake)
        self.watcher.start()

    def _watch_file(self, path: str | None) -> None:
        self._watched_file = path
        if self.watcher is not None:
            self.watcher.update(files=[path] if path else [])

    # ------------------------------------------------------------ per frame
    def poll(self) -> bool:
        """Handle queued file events and a due autosave; True when something was shown."""
        shown = False
        if self.watcher is not None and not self.watcher.events.empty():
            from dpg_lora.watch import drain

            for event in drain(self.watcher.events):
                self._on_event(event)
            shown = True
        if self.autosaver is not None:
            now = time.monotonic()
            if now >= self._next_autosave:
                self._next_autosave = now + AUTOSAVE_CHECK_SECONDS
                doc = self.app.doc
                if now >= self.autosaver.due_at(doc.path):
                    self._snapshot_revision = doc.revision
                try:
                    self.autosaver.tick(now, lambda: graph_to_text(doc.graph), doc.dirty, doc.path)
                except (OSError, RuntimeError) as exc:
                    self.app.status(tr("sync.autosave_failed", error=exc), error=True)
                    shown = True
        return shown

    def next_due(self) -> float | None:
        """When the loop must run again for autosave: only while unsaved edits are not snapshotted."""
        doc = self.app.doc
        if self.autosaver is None or not doc.dirty or doc.revision == self._snapshot_revision:
            return None
        return max(self._next_autosave, self.autosaver.due_at(doc.path))

    def _on_event(self, event) -> None:
        from dpg_lora.watch import FileChanged, FolderChanged, WatchFailed

        app = self.app
        if isinstance(event, FolderChanged):
            app.refresh_presets()
        elif isinstance(event, FileChanged):
            doc = app.doc
            if doc.path and os.path.abspath(doc.path) == os.path.abspath(event.path):
                self._file_changed(doc)
        elif isinstance(event, WatchFailed):
            app.status(tr("sync.watch_stopped", error=getattr(event, "message", event)), error=True)

    def _file_changed(self, doc: Document) -> None:
        state = reloading.OpenFileState(doc.path, self.baseline, doc.dirty)
        decision = reloading.check_file(state)
        if decision.action == reloading.Action.ASK:
            buttons = [(tr(CHOICE_KEYS[c]), (lambda c=c: self._apply(doc, decision, c))) for c in decision.choices]
            self.app.dialogs.ask(tr("sync.changed_title"), decision_text(decision), buttons)
            return
        self._apply(doc, decision, None)

    def _apply(self, doc: Document, decision, choice) -> None:
        app = self.app
        resolution = reloading.resolve(decision, choice)
        if decision.action in (reloading.Action.ERROR, reloading.Action.DELETED, reloading.Action.RELOAD):
            app.status(decision_text(decision), error=decision.action == reloading.Action.ERROR)
        if resolution.new_baseline is not None:
            self.baseline = resolution.new_baseline
        if resolution.replace_graph is not None:
            app.set_document(Document(resolution.replace_graph, doc.path), keep_view=True)
        if resolution.keep_open_unsaved and app.doc is doc:
            doc.saved_revision = -1  # the file no longer matches: unsaved work
            app.shown_revision = None
        if resolution.open_beside is not None:
            app.set_document(Document(resolution.open_beside, None, dirty=True))
            app.status(tr("sync.opened_beside"))

    # ------------------------------------------------------------ recovery and exit
    def offer_recovery(self) -> None:
        if self.autosaver is None:
            return
        snapshots = self.autosaver.find_recoverable()
        if not snapshots:
            return
        snap = snapshots[0]

        def recover() -> None:
            try:
                graph = reloading.parse_graph_text(snap.text, snap.path or "autosave")
            except GraphFileError as exc:
                self.app.status(str(exc), error=True)
                return
            self.app.set_document(Document(graph, snap.path, dirty=True))
            snap.discard()
            self.app.status(tr("sync.recovered", title=snap.title, when=time.ctime(snap.saved_at)))

        when = time.ctime(snap.saved_at)
        message = (tr("sync.recover_message_more", title=snap.title, more=len(snapshots) - 1, when=when)
                   if len(snapshots) > 1 else tr("sync.recover_message", title=snap.title, when=when))
        self.app.dialogs.ask(tr("sync.recover_title"), message,
                             [(tr("sync.recover"), recover), (tr("sync.discard"), snap.discard),
                              (tr("sync.later"), None)])

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.autosaver is not None:
            self.autosaver.close()
