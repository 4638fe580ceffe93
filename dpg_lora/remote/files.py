"""Files on a run's host: one listing command for many folders, and copying a file home.

Listing walks every folder asked for in one round trip (scripts.LIST_PY), so checking dataset
folders or listing checkpoints costs one ssh call, not one per file. Copying streams `cat` of the
file through the connection into a temp file beside the destination, counting bytes for a progress
bar, and renames it into place only when every byte arrived.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from dpg_lora.remote import scripts
from dpg_lora.remote.machine import Machine
from dpg_lora.remote.ssh import Host, LocalHost, SshError

COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the listed folder
    size: int  # bytes (a folder: the total of the files below it when listed deeper)
    is_dir: bool


@dataclass(frozen=True)
class Listing:
    root: str
    entries: list[Entry]
    error: str = ""


def list_folders(host: Host | LocalHost, cwd: str, interpreter: str, folders: list[str],
                 depth: int = -1, timeout: float = 120.0) -> list[Listing]:
    """Every file and folder under each of `folders` (relative ones: against `cwd`), in one call."""
    if not folders:
        return []
    proc = host.run(scripts.list_argv(cwd, interpreter, folders, depth), timeout=timeout)
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SshError(f"{getattr(host, 'label', 'host')}: listing failed: "
                       f"{said[-1] if said else f'exit code {proc.returncode}'}")
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        rec = json.loads(line)
        out.append(Listing(rec["root"], [Entry(p, s, d) for p, s, d in rec["entries"]], rec.get("error", "")))
    return out


def output_dir_of(config_text: str | None) -> str:
    try:
        value = json.loads(config_text or "{}").get("output_dir")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def checkpoints(machine: Machine, host: Host | LocalHost, output_dir: str) -> list[Entry]:
    """The output folder's top-level files and folders with sizes (a folder's size is its files')."""
    [listing] = list_folders(host, machine.cwd, machine.interpreter, [output_dir], depth=-1)
    if listing.error:
        raise SshError(f"{machine.label}: output folder {output_dir}: {listing.error}")
    top: dict[str, Entry] = {}
    sizes: dict[str, int] = {}
    for e in listing.entries:
        head = e.path.split("/", 1)[0]
        if "/" not in e.path:
            top[head] = e
        if not e.is_dir and e.size > 0:
            sizes[head] = sizes.get(head, 0) + e.size
    return sorted((Entry(name, sizes.get(name, 0), e.is_dir) for name, e in top.items()),
                  key=lambda e: e.path)


def copy_home(machine: Machine, host: Host | LocalHost, remote_path: str, dest: str | os.PathLike,
              size: int | None = None, progress: Callable[[int, int | None], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
    """Copy one file from the machine to `dest` (a local file path). Raises SshError on failure;
    a partial copy never takes the destination's name."""
    target = Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    done = 0
    proc = host.popen(scripts.cat_argv(machine.cwd, remote_path), stdin=subprocess.DEVNULL,
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with os.fdopen(fd, "wb") as out:
            assert proc.stdout is not None
            while True:
                if cancelled is not None and cancelled():
                    proc.kill()
                    raise SshError(f"{machine.label}: copy of {remote_path} cancelled")
                chunk = proc.stdout.read(COPY_CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
            out.flush()
            os.fsync(out.fileno())
        err = proc.stderr.read() if proc.stderr else b""
        rc = proc.wait()
        if rc != 0 or (size is not None and done != size):
            said = err.decode("utf-8", "replace").strip().splitlines()
            raise SshError(f"{machine.label}: copy of {remote_path} failed: "
                           + (said[-1] if said else f"{done} of {size} bytes (exit code {rc})"))
        os.replace(tmp, target)
        return target
    except BaseException:
        proc.kill()
        proc.wait()
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    finally:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
