"""A file watcher thread: preset folders and open graph files -> coalesced events on a queue.

It never touches the GUI: the UI drains `Watcher.events` once per frame; `wake` (a function the
UI hands in) is called after each burst's events are queued, so a sleeping render loop runs. watchfiles (inotify,
FSEvents, ReadDirectoryChangesW) groups a burst of changes; a burst ends after `quiet_ms` with no
new change (watchfiles' `step`) or after `max_burst_ms` (its `debounce`). Each burst gives at most
one FolderChanged per folder and one FileChanged per watched file. force_polling is not used: it
compares mtimes coarsely and misses quick successive edits.
"""
from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Literal, Union

import watchfiles

ADDED: Literal["added"] = "added"
MODIFIED: Literal["modified"] = "modified"
DELETED: Literal["deleted"] = "deleted"


@dataclass(frozen=True)
class FolderChanged:
    """Files with a watched suffix were added, changed, renamed or removed in `folder`."""
    folder: Path
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class FileChanged:
    """A watched file changed; `kind` compares its existence before and after the burst."""
    path: Path
    kind: Literal["added", "modified", "deleted"]


@dataclass(frozen=True)
class WatchFailed:
    message: str


WatchEvent = Union[FolderChanged, FileChanged, WatchFailed]


def _nothing() -> None:
    pass


def _abs(path: str | os.PathLike) -> Path:
    """Absolute, with the folder's symlinks resolved (as the OS reports it) but not the file's."""
    path = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    return path.parent.resolve() / path.name


def _folder(path: str | os.PathLike) -> Path:
    return Path(os.path.expanduser(os.fspath(path))).resolve()


class Watcher:
    """Watches folders (non-recursively, files ending in `suffixes`) and single files.

    A single file is watched through its folder, so editors that save by writing a temporary
    file and renaming it over the original are followed.
    """

    def __init__(self, folders: Iterable[str | os.PathLike] = (), files: Iterable[str | os.PathLike] = (),
                 events: queue.Queue | None = None, *, quiet_ms: int = 60, max_burst_ms: int = 700,
                 suffixes: tuple[str, ...] = (".json",), wake: Callable[[], None] | None = None):
        self.events: queue.Queue = events if events is not None else queue.Queue()
        self.wake = wake or _nothing
        self.quiet_ms, self.max_burst_ms = quiet_ms, max_burst_ms
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.ready = threading.Event()  # set once the OS watches are in place
        self._folders: frozenset[Path] = frozenset(_folder(f) for f in folders)
        self._files: frozenset[Path] = frozenset(_abs(f) for f in files)
        self._existing: set[Path] = {f for f in self._files if f.exists()}
        self._roots: tuple[Path, ...] = ()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ lifecycle

    def _current_roots(self) -> tuple[Path, ...]:
        roots = {f for f in self._folders if f.is_dir()} | {f.parent for f in self._files if f.parent.is_dir()}
        return tuple(sorted(roots))

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._roots = self._current_roots()
            self._stop = threading.Event()
            self.ready.clear()
            if not self._roots:
                self.ready.set()  # nothing exists to watch yet; update() re-arms
                return
            self._thread = threading.Thread(target=self._run, args=(self._roots, self._stop),
                                            name="dpg-lora-watcher", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop and join; True when the thread has ended."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    @property
    def roots(self) -> tuple[Path, ...]:
        return self._roots

    def update(self, folders: Iterable[str | os.PathLike] | None = None,
               files: Iterable[str | os.PathLike] | None = None) -> None:
        """Change what is watched (e.g. another graph opened, the user folder created).

        The thread restarts only when the set of watched folders changes.
        """
        if folders is not None:
            self._folders = frozenset(_folder(f) for f in folders)
        if files is not None:
            self._files = frozenset(_abs(f) for f in files)
            self._existing = {f for f in self._files if f.exists()}
        if self._current_roots() != self._roots or (self._thread is None and self._current_roots()):
            self.stop()
            self.start()

    def __enter__(self) -> "Watcher":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ thread

    def _run(self, roots: tuple[Path, ...], stop: threading.Event) -> None:
        try:
            # yield_on_timeout gives an empty first yield once the OS watches exist -> `ready`
            for changes in watchfiles.watch(*roots, watch_filter=None, debounce=self.max_burst_ms,
                                            step=self.quiet_ms, stop_event=stop, rust_timeout=200,
                                            yield_on_timeout=True, raise_interrupt=False,
                                            recursive=False):
                self.ready.set()
                if changes and not stop.is_set():
                    events = self.coalesce(changes)
                    for event in events:
                        self.events.put(event)
                    if events:
                        self.wake()
        except Exception as exc:  # the folder vanished, too many watches, ...
            if not stop.is_set():
                self.events.put(WatchFailed(f"file watcher stopped: {exc}"))
                self.wake()
        finally:
            self.ready.set()

    def _wanted(self, path: Path) -> bool:
        name = path.name
        return not name.startswith(".") and name.lower().endswith(self.suffixes)

    def coalesce(self, changes: Iterable[tuple[watchfiles.Change, str]]) -> list[WatchEvent]:
        """One burst of raw changes -> one event per touched folder and per touched watched file."""
        folders, files = self._folders, self._files
        by_folder: dict[Path, set[Path]] = {}
        touched_files: set[Path] = set()
        for _change, raw in changes:
            path = _abs(raw)
            if path in files:
                touched_files.add(path)
            if path.parent in folders and self._wanted(path):
                by_folder.setdefault(path.parent, set()).add(path)
            elif path in folders:  # the folder itself was removed or replaced
                by_folder.setdefault(path, set())
        events: list[WatchEvent] = [FolderChanged(folder, tuple(sorted(paths)))
                                    for folder, paths in sorted(by_folder.items())]
        for path in sorted(touched_files):
            existed, exists = path in self._existing, path.exists()
            if exists:
                self._existing.add(path)
                events.append(FileChanged(path, MODIFIED if existed else ADDED))
            elif existed:
                self._existing.discard(path)
                events.append(FileChanged(path, DELETED))
        return events


def drain(events: queue.Queue, limit: int = 1000) -> list[WatchEvent]:
    """Everything waiting on the queue, without blocking (for the UI's per-frame poll)."""
    out: list[WatchEvent] = []
    while len(out) < limit:
        try:
            out.append(events.get_nowait())
        except queue.Empty:
            break
    return out
