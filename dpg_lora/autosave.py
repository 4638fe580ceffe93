"""Autosave snapshots of unsaved graphs, and recovery after a crash.

Layout: <user dir>/autosave/<session>/lock and one <doc key hash>.json snapshot per document.
Each editor process is one session and holds an exclusive lock on its `lock` file while it runs
(flock on POSIX, msvcrt.locking on Windows). The OS drops the lock when the process dies, however
it dies, so a lock that can be taken means the session is dead and its snapshots may be offered;
a snapshot of a live editor is never offered, even when a dead process's pid has been reused.

A snapshot holds the graph text, the file it belongs to (null for untitled) and a timestamp;
it is offered only when it is newer than that file.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Union

from dpg_lora.fileio import atomic_write_text
from dpg_lora.reload import text_hash

FORMAT = "dpg-lora-autosave"
VERSION = 1
LOCK_NAME = "lock"
DEFAULT_INTERVAL = 5.0

DocText = Union[str, Callable[[], str]]  # a callable is only called when a snapshot is due


# ---------------------------------------------------------------- session locks

def _try_lock(fh: IO) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh: IO) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass


def session_alive(session_dir: Path) -> bool:
    """True while the process that owns `session_dir` holds its lock."""
    try:
        fh = open(session_dir / LOCK_NAME, "r+b")
    except OSError:
        return False  # no lock file: the session never started or was cleaned up
    with fh:
        if _try_lock(fh):
            _unlock(fh)
            return False
        return True


# ---------------------------------------------------------------- snapshots

@dataclass(frozen=True)
class Snapshot:
    snapshot_path: Path
    path: str | None      # the graph file it belongs to; None for an untitled graph
    saved_at: float       # wall clock (time.time()) of the snapshot
    text: str
    pid: int
    session: str

    @property
    def title(self) -> str:
        return os.path.basename(self.path) if self.path else "untitled"

    def discard(self) -> None:
        """Forget this snapshot (recovered or declined); removes its dead session when empty."""
        try:
            self.snapshot_path.unlink()
        except FileNotFoundError:
            pass
        _remove_if_empty(self.snapshot_path.parent)


def _remove_if_empty(session_dir: Path) -> None:
    try:
        rest = [p for p in session_dir.iterdir() if p.name != LOCK_NAME and not p.name.startswith(".")]
    except OSError:
        return
    if not rest and not session_alive(session_dir):
        shutil.rmtree(session_dir, ignore_errors=True)


def read_snapshot(snapshot_path: Path) -> Snapshot | None:
    try:
        data = json.loads(snapshot_path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Snapshot(snapshot_path, data.get("path"), float(data["saved_at"]), str(data["text"]),
                        int(data.get("pid", 0)), str(data.get("session", snapshot_path.parent.name)))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _newer_than_file(snapshot: Snapshot) -> bool:
    if not snapshot.path:
        return True
    try:
        return snapshot.saved_at > os.stat(snapshot.path).st_mtime
    except OSError:
        return True  # the file is gone: the snapshot is all there is


def find_recoverable(user_dir: str | os.PathLike, exclude_session: str | None = None,
                     prune: bool = True) -> list[Snapshot]:
    """Snapshots of dead sessions that are newer than their file, newest first.

    With `prune`, dead sessions' stale snapshots (their file was saved later) and unreadable
    snapshots are removed.
    """
    root = Path(user_dir) / "autosave"
    try:
        session_dirs = [p for p in root.iterdir() if p.is_dir()]
    except OSError:
        return []
    found: list[Snapshot] = []
    for session_dir in session_dirs:
        if session_dir.name == exclude_session or session_alive(session_dir):
            continue
        for snapshot_path in session_dir.glob("*.json"):
            if snapshot_path.name.startswith("."):
                continue
            snapshot = read_snapshot(snapshot_path)
            if snapshot is not None and _newer_than_file(snapshot):
                found.append(snapshot)
            elif prune:
                snapshot_path.unlink(missing_ok=True)
        if prune:
            _remove_if_empty(session_dir)
    return sorted(found, key=lambda s: s.saved_at, reverse=True)


class Autosaver:
    """Snapshots dirty documents at most every `interval` seconds; call `tick` from the UI loop.

    `tick(now, doc_text, dirty, path)` takes `now` from any monotonic clock. A document is keyed
    by `key` (default: its path, or "untitled"); pass a key per document when several are open.
    """

    def __init__(self, user_dir: str | os.PathLike, interval: float = DEFAULT_INTERVAL):
        self.root = Path(user_dir) / "autosave"
        self.interval = interval
        self.pid = os.getpid()
        self.session = f"{self.pid}-{os.urandom(4).hex()}"
        self.session_dir = self.root / self.session
        self._lock_fh: IO | None = None
        self._last: dict[str, tuple[float, str]] = {}  # key -> (tick time, text hash)

    @staticmethod
    def doc_key(path: str | os.PathLike | None, key: str | None = None) -> str:
        if key:
            return key
        return os.path.abspath(os.fspath(path)) if path else "untitled"

    def snapshot_path(self, key: str) -> Path:
        digest = text_hash(key)[:16]
        return self.session_dir / f"{digest}.json"

    def _ensure_session(self) -> None:
        if self._lock_fh is not None:
            return
        self.session_dir.mkdir(parents=True, exist_ok=True)
        fh = open(self.session_dir / LOCK_NAME, "a+b")
        if not _try_lock(fh):
            fh.close()
            raise RuntimeError(f"autosave session {self.session_dir} is locked by another process")
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": self.pid, "started": time.time()}).encode())
        fh.flush()
        self._lock_fh = fh

    def tick(self, now: float, doc_text: DocText, dirty: bool, path: str | os.PathLike | None,
             key: str | None = None) -> Path | None:
        """Write a snapshot when `dirty` and due; drop the document's snapshot when clean.

        Returns the snapshot path when one was written.
        """
        key = self.doc_key(path, key)
        if not dirty:
            if key in self._last:
                self.discard(path, key)
            return None
        last = self._last.get(key)
        if last is not None and now - last[0] < self.interval:
            return None
        text = doc_text() if callable(doc_text) else doc_text
        digest = text_hash(text)
        if last is not None and last[1] == digest:
            self._last[key] = (now, digest)
            return None
        self._ensure_session()
        target = self.snapshot_path(key)
        record = {"format": FORMAT, "version": VERSION,
                  "path": os.path.abspath(os.fspath(path)) if path else None, "key": key,
                  "saved_at": time.time(), "saved_at_iso": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                  "pid": self.pid, "session": self.session, "text": text}
        atomic_write_text(target, json.dumps(record, ensure_ascii=False))
        self._last[key] = (now, digest)
        return target

    def due_at(self, path: str | os.PathLike | None, key: str | None = None) -> float:
        """The `now` from which `tick` may write this document again (0.0: at once)."""
        last = self._last.get(self.doc_key(path, key))
        return last[0] + self.interval if last is not None else 0.0

    def discard(self, path: str | os.PathLike | None = None, key: str | None = None) -> None:
        """Remove a document's snapshot: after a clean save, or when its edits are dropped."""
        key = self.doc_key(path, key)
        self._last.pop(key, None)
        self.snapshot_path(key).unlink(missing_ok=True)

    def find_recoverable(self) -> list[Snapshot]:
        """Other, dead sessions' snapshots worth offering (never this session's)."""
        return find_recoverable(self.root.parent, exclude_session=self.session)

    def close(self) -> None:
        """A clean exit: remove this session's snapshots and release the lock."""
        self._last.clear()
        fh, self._lock_fh = self._lock_fh, None
        if fh is not None:
            _unlock(fh)
            fh.close()
        shutil.rmtree(self.session_dir, ignore_errors=True)

    def __enter__(self) -> "Autosaver":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

