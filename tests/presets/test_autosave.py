from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dpg_lora.autosave import Autosaver, find_recoverable, session_alive

from .helpers import graph_text

CHILD = r"""
import sys, time
from dpg_lora.autosave import Autosaver
user_dir, path, text = sys.argv[1], sys.argv[2] or None, sys.argv[3]
saver = Autosaver(user_dir, interval=0.0)
print(saver.tick(time.monotonic(), text, True, path), flush=True)
print(saver.session, flush=True)
time.sleep(120)
"""


def _start_child(user_dir: Path, path: str, text: str) -> tuple[subprocess.Popen, Path, str]:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(user_dir), path, text],
                            stdout=subprocess.PIPE, text=True, encoding="utf-8")
    snapshot = Path(proc.stdout.readline().strip())
    session = proc.stdout.readline().strip()
    return proc, snapshot, session


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    proc.wait(timeout=30)
    proc.stdout.close()


@pytest.mark.parametrize("with_file", [False, True])
def test_recovery_after_killing_a_real_process(tmp_path, with_file):
    user_dir = tmp_path / "user ü"
    text = graph_text("unsaved work ü")
    path = ""
    if with_file:
        doc = tmp_path / "graph ü.json"
        doc.write_text(graph_text("on disk"), encoding="utf-8")
        os.utime(doc, (time.time() - 60, time.time() - 60))
        path = str(doc)
    proc, snapshot, session = _start_child(user_dir, path, text)
    try:
        assert snapshot.is_file()
        data = json.loads(snapshot.read_text(encoding="utf-8"))
        assert data["text"] == text and data["pid"] == proc.pid and data["saved_at"] > 0
        assert data["path"] == (os.path.abspath(path) if path else None)
        # a live editor's snapshot is never offered
        assert session_alive(snapshot.parent)
        assert find_recoverable(user_dir) == []
    finally:
        _kill(proc)
    assert not session_alive(snapshot.parent)
    [found] = find_recoverable(user_dir)
    assert found.text == text and found.session == session and found.pid == proc.pid
    assert found.path == (os.path.abspath(path) if path else None)
    assert found.title == ("graph ü.json" if path else "untitled")
    # a new editor process sees it too, and does not offer its own snapshots
    mine = Autosaver(user_dir, interval=0.0)
    mine.tick(0.0, "my own", True, None)
    assert [s.text for s in mine.find_recoverable()] == [text]
    found.discard()
    assert find_recoverable(user_dir, exclude_session=mine.session) == []
    assert not snapshot.parent.exists()  # the dead session folder is gone
    mine.close()


def test_snapshot_older_than_its_file_is_not_offered(tmp_path):
    user_dir = tmp_path / "user"
    doc = tmp_path / "g.json"
    doc.write_text("{}")
    proc, snapshot, _ = _start_child(user_dir, str(doc), "old edits")
    _kill(proc)
    later = time.time() + 5
    os.utime(doc, (later, later))  # the file was saved after the snapshot
    assert find_recoverable(user_dir) == []
    assert not snapshot.exists()  # pruned
    doc.unlink()
    assert find_recoverable(user_dir) == []


def test_tick_interval_dirty_and_clean(tmp_path):
    saver = Autosaver(tmp_path, interval=5.0)
    doc = str(tmp_path / "g.json")
    calls = []

    def text():
        calls.append(1)
        return f"text {len(calls)}"

    assert saver.tick(0.0, text, False, doc) is None and calls == []  # clean: nothing
    first = saver.tick(1.0, text, True, doc)
    assert first is not None and json.loads(first.read_text())["text"] == "text 1"
    assert saver.tick(3.0, text, True, doc) is None and len(calls) == 1  # not due: text not built
    assert saver.tick(6.5, text, True, doc) == first
    assert json.loads(first.read_text())["text"] == "text 2"
    assert saver.tick(12.0, "text 2", True, doc) is None  # due but unchanged: no write
    assert not list(first.parent.glob(".*.tmp"))
    # a clean save drops the snapshot
    assert saver.tick(13.0, "text 2", False, doc) is None
    assert not first.exists()
    saver.close()
    assert not saver.session_dir.exists()


def test_documents_are_kept_apart_and_discarded(tmp_path):
    saver = Autosaver(tmp_path, interval=0.0)
    a = saver.tick(0.0, "A", True, tmp_path / "a.json")
    b = saver.tick(0.0, "B", True, None, key="untitled-2")
    c = saver.tick(0.0, "C", True, None)
    assert len({a, b, c}) == 3
    saver.discard(tmp_path / "a.json")
    assert not a.exists() and b.exists() and c.exists()
    saver.discard(key="untitled-2")
    assert not b.exists()
    saver.close()
    assert not c.exists()


def test_unreadable_snapshots_are_skipped(tmp_path):
    dead = tmp_path / "autosave" / "1-dead"
    dead.mkdir(parents=True)
    (dead / "lock").write_text("")
    (dead / "bad.json").write_text("{")
    (dead / "other.json").write_text('{"format": "something else"}')
    good = {"format": "dpg-lora-autosave", "version": 1, "path": None, "saved_at": time.time(),
            "pid": 1, "session": "1-dead", "text": "recover me"}
    (dead / "good.json").write_text(json.dumps(good))
    assert [s.text for s in find_recoverable(tmp_path)] == ["recover me"]
    assert sorted(p.name for p in dead.iterdir()) == ["good.json", "lock"]


def test_lock_taken_with_first_snapshot_and_released_on_close(tmp_path):
    saver = Autosaver(tmp_path, interval=0.0)
    assert not saver.session_dir.exists()
    saver.tick(0.0, "x", True, None)
    assert session_alive(saver.session_dir)
    saver.close()
    assert not session_alive(saver.session_dir)
