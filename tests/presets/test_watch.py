"""The watcher with real files. Readiness and arrival are polled with generous timeouts."""
from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

import pytest

from dpg_lora.fileio import atomic_write_text
from dpg_lora.watch import ADDED, DELETED, MODIFIED, FileChanged, FolderChanged, Watcher, drain

TIMEOUT = 10.0


def next_event(watcher: Watcher, timeout: float = TIMEOUT):
    return watcher.events.get(timeout=timeout)


def collect(watcher: Watcher, settle: float = 0.6) -> list:
    """The first event (waited for), then everything that follows until `settle` s of quiet."""
    events = [next_event(watcher)]
    while True:
        try:
            events.append(watcher.events.get(timeout=settle))
        except queue.Empty:
            return events


def folder_paths(events) -> set[Path]:
    return {p for e in events if isinstance(e, FolderChanged) for p in e.paths}


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "presets ü"
    d.mkdir()
    return d.resolve()


@pytest.fixture
def watcher(folder):
    w = Watcher([folder])
    w.start()
    assert w.ready.wait(TIMEOUT)
    yield w
    assert w.stop()


def test_create_modify_rename_delete(watcher, folder):
    a = folder / "a.json"
    a.write_text("{}")
    assert folder_paths(collect(watcher)) == {a}

    with open(a, "a") as fh:
        fh.write(" ")
    [event] = collect(watcher)
    assert event == FolderChanged(folder, (a,))

    b = folder / "日本 b.json"
    os.rename(a, b)
    assert folder_paths(collect(watcher)) == {a, b}

    b.unlink()
    assert folder_paths(collect(watcher)) == {b}
    assert drain(watcher.events) == []


def test_burst_of_writes_is_one_event(folder):
    # a wide quiet gap so that a busy test machine cannot split the burst
    with Watcher([folder], quiet_ms=200, max_burst_ms=3000) as w:
        assert w.ready.wait(TIMEOUT)
        old = [folder / f"old{i}.json" for i in range(5)]
        for p in old:
            p.write_text("{}")
        assert folder_paths(collect(w)) == set(old)
        # like a git checkout: delete, add and modify many files at once
        new = [folder / f"new{i}.json" for i in range(30)]
        for p in old[:3]:
            p.unlink()
        for p in new:
            atomic_write_text(p, "{}")
        for p in old[3:]:
            p.write_text('{"x": 1}')
        events = collect(w, settle=1.0)
        assert len(events) == 1, events
        assert set(events[0].paths) == set(old) | set(new)


def test_temp_hidden_and_other_suffixes_are_filtered(watcher, folder):
    (folder / ".x.json.123.tmp").write_text("{")
    (folder / ".hidden.json").write_text("{")
    (folder / "notes.txt").write_text("x")
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.json").write_text("{}")  # not recursive
    time.sleep(0.5)
    marker = folder / "marker.json"
    marker.write_text("{}")
    assert folder_paths(collect(watcher)) == {marker}


def test_watched_file_saved_atomically_deleted_recreated(tmp_path):
    doc = tmp_path / "graphs" / "my graph.json"
    doc.parent.mkdir()
    doc.write_text("{}")
    other = doc.parent / "other.json"
    with Watcher(files=[doc]) as w:
        assert w.ready.wait(TIMEOUT)
        other.write_text("{}")  # a sibling is not reported
        atomic_write_text(doc, '{"saved": 1}')  # write temp + rename, like an editor
        assert [e for e in collect(w) if isinstance(e, FileChanged)] == [FileChanged(doc.resolve(), MODIFIED)]
        assert not any(isinstance(e, FolderChanged) for e in drain(w.events))
        doc.unlink()
        assert collect(w) == [FileChanged(doc.resolve(), DELETED)]
        doc.write_text("{}")
        assert collect(w) == [FileChanged(doc.resolve(), ADDED)]


def test_folder_and_open_file_in_one_burst(folder):
    doc = folder / "open.json"
    doc.write_text("{}")
    with Watcher([folder], [doc]) as w:
        assert w.ready.wait(TIMEOUT)
        doc.write_text('{"a": 1}')
        events = collect(w)
        assert events == [FolderChanged(folder, (doc,)), FileChanged(doc, MODIFIED)]


def test_two_folders_one_event_each(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    with Watcher([one, two], quiet_ms=200) as w:
        assert w.ready.wait(TIMEOUT)
        (one / "a.json").write_text("{}")
        (two / "b.json").write_text("{}")
        events = collect(w)
        assert {e.folder for e in events} == {one.resolve(), two.resolve()}
        assert folder_paths(events) == {one.resolve() / "a.json", two.resolve() / "b.json"}


def test_missing_folder_then_update_arms_it(tmp_path):
    later = tmp_path / "user" / "presets"
    w = Watcher([later])
    w.start()
    assert w.ready.is_set() and not w.running
    later.mkdir(parents=True)
    w.update()
    try:
        assert w.ready.wait(TIMEOUT) and w.running
        (later / "new.json").write_text("{}")
        assert folder_paths(collect(w)) == {later.resolve() / "new.json"}
    finally:
        assert w.stop()


def test_update_switches_watched_file(tmp_path):
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir(), b_dir.mkdir()
    a, b = a_dir / "a.json", b_dir / "b.json"
    a.write_text("{}"), b.write_text("{}")
    with Watcher(files=[a]) as w:
        assert w.ready.wait(TIMEOUT)
        w.update(files=[b])
        assert w.roots == (b_dir.resolve(),)
        assert w.ready.wait(TIMEOUT)
        a.write_text('{"x": 1}')
        b.write_text('{"x": 1}')
        assert collect(w) == [FileChanged(b.resolve(), MODIFIED)]


def test_clean_stop_and_no_events_after(folder):
    before = threading.active_count()
    w = Watcher([folder])
    w.start()
    assert w.ready.wait(TIMEOUT) and w.running
    assert w.stop(timeout=TIMEOUT)
    assert not w.running and w.stop()  # idempotent
    (folder / "late.json").write_text("{}")
    time.sleep(0.5)
    assert drain(w.events) == []
    assert threading.active_count() <= before
