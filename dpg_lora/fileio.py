"""Reading JSON files and writing files atomically, keeping the written file's identity.

A write goes to a hidden temp file `.<name>.<pid>.<random>.tmp` in the target's folder, is
fsynced and renamed over the target. Through a symlink the link's final target is written (the
link stays a link); an existing file keeps its mode (and owner, where we may set it); a new file
gets the mode the umask gives. Temp files of ours left by a killed save are removed on the next
save of that file: one whose pid is no longer running, or any older than an hour.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import time
from pathlib import Path

STALE_AFTER = 3600.0  # seconds: a temp file this old is a leftover even if its pid is reused
LEGACY_STALE_AFTER = 60.0  # mkstemp-named temp files (no pid in the name) from older versions
_TEMP = re.compile(r"(?:(?P<pid>\d+)\.[0-9a-f]{8}|[a-z0-9_]{8})")


def write_target(path: str | os.PathLike) -> Path:
    """The file a write to `path` changes: symlinks followed to their final target."""
    return Path(os.path.realpath(os.fspath(path)))


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when writing `a` would change the file `b` (same path however spelled, a symlink to
    it, or a hard link: same device and inode)."""
    ra, rb = write_target(a), write_target(b)
    if ra == rb:
        return True
    try:
        sa, sb = os.stat(ra), os.stat(rb)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's live process
        return True
    return True


def _remove_stale_temps(target: Path, keep: str) -> None:
    prefix, now = f".{target.name}.", time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name == keep or not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        match = _TEMP.fullmatch(name[len(prefix):-len(".tmp")])
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        pid = match.group("pid")
        if pid is None:
            stale = age > LEGACY_STALE_AFTER
        else:
            stale = age > STALE_AFTER or (int(pid) != os.getpid() and not _pid_running(int(pid)))
        if stale:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _open_temp(folder: Path, name: str, existing: os.stat_result | None) -> tuple[int, Path]:
    # A new file: created 0666 so the kernel applies the umask. An existing file: created 0600
    # and given the old mode before any byte is written.
    create_mode = 0o600 if existing is not None else 0o666
    for _ in range(100):
        tmp = folder / f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         create_mode)
        except FileExistsError:
            continue
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(folder))


def _keep_identity(fd: int, existing: os.stat_result) -> None:
    if hasattr(os, "fchown") and (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except OSError:
            pass  # not allowed to give the file away: it becomes ours, the mode still holds
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically; returns the file written (the symlink's target).
    Raises OSError (IsADirectoryError for a folder) with the path in its message."""
    target = write_target(path)
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # a device, pipe or socket (/dev/stdout, /dev/null, a process substitution): renaming a
        # file over it would replace it, so it is written in place
        with open(target, "wb") as fh:
            fh.write(data)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _open_temp(target.parent, target.name, existing)
    try:
        with os.fdopen(fd, "wb") as fh:
            if existing is not None:
                _keep_identity(fh.fileno(), existing)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(target.parent)
    _remove_stale_temps(target, tmp.name)
    return target


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


# The strict JSON reader lives in dpg_lora.jsonfile; graph loading, import, validate and
# compile all read through it.
from dpg_lora.jsonfile import JsonFileError, read_json  # noqa: E402,F401
