"""Keeps the editor's compile context on the Script Loader's trainer folder's scripts.

The folder is looked at when the graph changes and every few seconds (an updated checkout brings
its new arguments and defaults without a restart). Unchanged files are only stat'ed; parsing runs
on a worker thread, which touches no Dear PyGui item: the render loop picks its result up in `poll`.
"""
from __future__ import annotations

import dataclasses
import threading
import time

from dpg_lora.scripts.layered import ProfileSet
from dpg_lora.scripts.loader import ProfileLoader, trainer_folder_of

RECHECK_S = 3.0  # seconds between looks at the trainer folder


class ProfileSync:
    def __init__(self, app):
        self.app = app
        self.loader = ProfileLoader()  # its cache: unchanged scripts are not parsed again
        self.seen: tuple = (None, -1, 0.0)  # (folder, revision, when) last looked at
        self._worker: threading.Thread | None = None
        self._done: tuple[str | None, ProfileSet] | None = None  # set by the worker, read by poll

    def poll(self, force: bool = False) -> None:
        """Once per loop turn: apply a finished reading, start a new one when it is due.
        `force` reads now, on this thread (commands and tests that need the result at once)."""
        done, self._done = self._done, None
        if done is not None:
            self._apply(done[1])
        app = self.app
        folder, revision, when = self.seen
        now = time.monotonic()
        if not force and revision == app.doc.revision and now - when < RECHECK_S:
            return
        wanted = trainer_folder_of(app.doc.graph, app.context.trainer_dir)
        if not force and wanted == folder and now - when < RECHECK_S:
            self.seen = (folder, app.doc.revision, when)
            return
        if self._worker is not None and self._worker.is_alive():
            if not force:
                return  # look again next turn
            self._worker.join()
        self.seen = (wanted, app.doc.revision, now)
        if force:
            self._apply(self.loader.load(wanted))
            return
        self._worker = threading.Thread(target=self._read, args=(wanted,), name="trainer-scripts", daemon=True)
        self._worker.start()

    def _read(self, folder: str | None) -> None:  # worker thread: no Dear PyGui here
        self._done = (folder, self.loader.load(folder))

    def _apply(self, profiles: ProfileSet) -> None:
        app = self.app
        if profiles is app.context.profiles:
            return
        app.context = dataclasses.replace(app.context, profiles=profiles)
        app.doc.context = app.context
        app.shown_revision = None  # same revision, new defaults and fields: redraw
        if profiles.problems:
            more = f" (+{len(profiles.problems) - 1} more)" if len(profiles.problems) > 1 else ""
            app.status(f"Trainer scripts: {profiles.problems[0]}{more}", error=True)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.join(timeout=10)
