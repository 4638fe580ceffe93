"""Keeps the editor's compile context on the Script Loader's trainer folder's scripts.

The folder is looked at when the graph changes, and on a loop turn (input, an event) at least
RECHECK_S after the last look, so an updated checkout brings its new arguments and defaults
without a restart; an idle editor is never woken for it. Unchanged files are only stat'ed; parsing
runs on a worker thread, which touches no Dear PyGui item and wakes the loop when it is done.
"""
from __future__ import annotations

import dataclasses
import threading
import time

from dpg_lora.scripts.layered import ProfileSet
from dpg_lora.scripts.loader import ProfileLoader, trainer_folder_of
from dpg_lora.ui.texts import tr

RECHECK_S = 3.0  # seconds between looks at an unchanged graph's trainer folder


class ProfileSync:
    def __init__(self, app):
        self.app = app
        self.loader = ProfileLoader()  # its cache: unchanged scripts are not parsed again
        self.seen: tuple = (None, None, -1, 0.0)  # (folder, document, revision, when) last looked at
        self._worker: threading.Thread | None = None
        self._done: ProfileSet | None = None  # set by the worker, taken by poll

    def poll(self, force: bool = False) -> bool:
        """Once per loop turn: apply a finished reading, start one when it is due. True when the
        shown defaults or fields changed. `force` reads now, on this thread (for commands and
        tests that need the result at once)."""
        done, self._done = self._done, None
        changed = done is not None and self._apply(done)
        app = self.app
        folder, doc, revision, when = self.seen
        now = time.monotonic()
        same_graph = doc is app.doc and revision == app.doc.revision
        if not force and same_graph and now - when < RECHECK_S:
            return changed
        wanted = trainer_folder_of(app.doc.graph, app.context.trainer_dir)
        if not force and wanted == folder and (wanted is None or now - when < RECHECK_S):
            self.seen = (folder, app.doc, app.doc.revision, when)  # no folder: the built-in table stays
            return changed
        if self._worker is not None and self._worker.is_alive():
            if not force:
                return changed  # looked at again on a later turn
            self._worker.join()
        self.seen = (wanted, app.doc, app.doc.revision, now)
        if force:
            self._done = None
            return self._apply(self.loader.load(wanted)) or changed
        self._worker = threading.Thread(target=self._read, args=(wanted,), name="trainer-scripts", daemon=True)
        self._worker.start()
        return changed

    def _read(self, folder: str | None) -> None:  # worker thread: no Dear PyGui here
        profiles = self.loader.load(folder)
        if profiles is self.app.context.profiles:
            return  # unchanged (the same object): nothing to draw, no wake-up
        self._done = profiles
        waker = getattr(self.app, "waker", None)
        if waker is not None:
            waker.wake()

    def _apply(self, profiles: ProfileSet) -> bool:
        app = self.app
        if profiles is app.context.profiles:
            return False
        app.context = dataclasses.replace(app.context, profiles=profiles)
        app.doc.context = app.context
        app.shown_revision = None  # same revision, new defaults and fields: redraw
        if profiles.problems:
            first, more = profiles.problems[0], len(profiles.problems) - 1
            app.status(tr("sync.scripts_problem_more", problem=first, more=more) if more
                       else tr("sync.scripts_problem", problem=first), error=True)
        return True

    def close(self) -> None:
        if self._worker is not None:
            self._worker.join(timeout=10)
