"""Atomic writes keep the file's identity: mode, symlinks, no stale temp files of ours."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dpg_lora.fileio import atomic_write_text
from dpg_lora.graph import load_graph, save_graph
from tests.core.util import small_graph

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX modes and symlinks")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.json", "{}")
        os.umask(0o077)
        atomic_write_text(tmp_path / "b.json", "{}")
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.json") == 0o644
    assert mode(tmp_path / "b.json") == 0o600


@posix_only
def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "g.json"
    for wanted in (0o640, 0o604, 0o755):
        target.write_text("old", encoding="utf-8")
        os.chmod(target, wanted)
        save_graph(small_graph(), target)
        assert mode(target) == wanted
        assert load_graph(target).nodes


@posix_only
def test_writing_through_a_symlink_updates_its_target(tmp_path):
    real = tmp_path / "real dir" / "graph ü.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(os.path.relpath(real, tmp_path))
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)
    save_graph(small_graph(), chain)
    assert chain.is_symlink() and link.is_symlink()
    assert load_graph(real).nodes
    assert mode(real) == 0o640
    # no temp file left beside the link or the target
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert [p.name for p in real.parent.iterdir()] == ["graph ü.json"]


@posix_only
def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "made.json")
    atomic_write_text(link, "{}")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "{}"


def test_stale_temp_file_of_a_killed_save_is_cleaned_up(tmp_path):
    target = tmp_path / "g.json"
    # A save killed between writing its temp file and the rename, in another process.
    code = ("import os, sys; from dpg_lora import fileio\n"
            "os.replace = lambda *a: os._exit(9)\n"
            "fileio.atomic_write_text(sys.argv[1], 'half')\n")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code, str(target)], cwd=root,
                          env={**os.environ, "PYTHONPATH": str(root)}, timeout=30)
    assert proc.returncode == 9
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".g.json.")]
    assert len(stale) == 1 and stale[0].name.endswith(".tmp")
    # an old-style mkstemp leftover (no pid in its name), old enough to be dead
    legacy = tmp_path / ".g.json.k2j4_x9a.tmp"
    legacy.write_text("x")
    old = time.time() - 3600
    os.utime(legacy, (old, old))
    # not ours: another file's temp, and a user's hidden file
    other = tmp_path / ".h.json.123.abcdef01.tmp"
    other.write_text("x")
    mine = tmp_path / ".g.json.notes"
    mine.write_text("x")
    save_graph(small_graph(), target)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([".g.json.notes", ".h.json.123.abcdef01.tmp", "g.json"])


def test_a_recent_temp_file_of_a_live_process_is_kept(tmp_path):
    target = tmp_path / "g.json"
    busy = tmp_path / f".g.json.{os.getppid()}.0123abcd.tmp"  # a live process, mid-save
    busy.write_text("x")
    atomic_write_text(target, "{}")
    assert busy.exists()


def test_failed_write_leaves_no_temp_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "g.json"
    target.write_text("old", encoding="utf-8")

    def boom(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_a_folder_as_target_is_refused_with_a_clear_error(tmp_path):
    with pytest.raises(IsADirectoryError) as info:
        atomic_write_text(tmp_path, "{}")
    assert str(tmp_path) in str(info.value)
    assert [p for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.")] == []


@posix_only
def test_same_file_sees_every_spelling(tmp_path, monkeypatch):
    from dpg_lora.fileio import same_file

    real = tmp_path / "d" / "g.json"
    real.parent.mkdir()
    real.write_text("{}")
    (tmp_path / "link.json").symlink_to(real)
    os.link(real, tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path / "d")
    for spelling in ("g.json", "./g.json", "../d/g.json", str(tmp_path / "link.json"),
                     str(tmp_path / "hard.json"), str(real)):
        assert same_file(spelling, real), spelling
    assert not same_file(tmp_path / "other.json", real)
    assert not same_file(tmp_path / "d", real)


@posix_only
def test_a_device_or_pipe_is_written_in_place_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    atomic_write_text(fifo, "through the pipe")
    out, _ = reader.communicate(timeout=10)
    assert out == b"through the pipe"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    atomic_write_text(os.devnull, "gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
