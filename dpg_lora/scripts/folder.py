"""The train_*.py scripts of a trainer folder, read statically (never run), cached by path, size and mtime.

`read_folder` reads a local folder; `read_script_texts` takes the files' contents from anywhere
(a remote host's folder read over SSH): both give the same `FolderRead`.
"""
from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dpg_lora.scripts.argparse_ast import (
    MAX_SCRIPT_BYTES,
    ScriptRead,
    read_script_bytes,
)

SCRIPT_PATTERN = "train_*.py"
MAX_SCRIPTS = 200  # a folder with more train_*.py files than this is read only this far


@dataclass(frozen=True)
class FolderRead:
    """The scripts found in one folder. `error` set: the folder itself was unusable."""

    source: str  # the folder (a path, or host:path)
    scripts: dict[str, ScriptRead] = field(default_factory=dict)  # by file name, sorted
    error: str | None = None

    def problems(self) -> list[str]:
        """One line per thing that could not be read, naming the file."""
        lines = [self.error] if self.error else []
        lines += [f"{read.source}: {read.error}" for read in self.scripts.values() if read.error]
        return lines


class ScriptCache:
    """Readings keyed by (where, size, mtime in ns): an unchanged file is not read or parsed again.

    An explicit object owned by its user (the editor keeps one, a command makes one), so a
    reading never depends on hidden state.
    """

    def __init__(self, max_entries: int = 256):
        self._entries: dict[tuple[str, int, int], ScriptRead] = {}
        self._max = max_entries
        self.misses = 0

    def get(self, where: str, size: int, mtime_ns: int, load: Callable[[], ScriptRead]) -> ScriptRead:
        key = (where, size, mtime_ns)
        hit = self._entries.get(key)
        if hit is not None:
            return hit
        self.misses += 1
        read = load()
        if len(self._entries) >= self._max:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = read
        return read


def is_script_name(name: str) -> bool:
    return fnmatch.fnmatchcase(name, SCRIPT_PATTERN)


def read_folder(folder: str | os.PathLike, cache: ScriptCache | None = None) -> FolderRead:
    """Read every train_*.py directly in `folder`. Never raises for a bad folder or file."""
    cache = cache or ScriptCache()
    where = os.fspath(folder)
    try:
        with os.scandir(where) as entries:
            names = sorted(e.name for e in entries if is_script_name(e.name) and _is_file(e))
    except FileNotFoundError:
        return FolderRead(where, error=f"trainer folder {where} does not exist")
    except NotADirectoryError:
        return FolderRead(where, error=f"trainer folder {where} is not a folder")
    except OSError as exc:
        return FolderRead(where, error=f"trainer folder {where} cannot be read ({exc.strerror or exc})")
    if not names:
        return FolderRead(where, error=f"trainer folder {where} has no {SCRIPT_PATTERN} scripts")
    return FolderRead(where, {name: _read_file(os.path.join(where, name), name, cache)
                              for name in names[:MAX_SCRIPTS]})


def read_script_texts(files: Mapping[str, tuple[bytes | str, float]], source: str,
                      cache: ScriptCache | None = None) -> FolderRead:
    """Read scripts given as {file name: (contents, mtime)}, e.g. fetched from a remote folder.

    Names that are not train_*.py are ignored; `source` names the folder in messages.
    """
    cache = cache or ScriptCache()
    names = sorted(n for n in files if is_script_name(n))
    if not names:
        return FolderRead(source, error=f"trainer folder {source} has no {SCRIPT_PATTERN} scripts")
    scripts = {}
    for name in names[:MAX_SCRIPTS]:
        data, mtime = files[name]
        where = f"{source.rstrip('/')}/{name}"
        size = len(data.encode("utf-8") if isinstance(data, str) else data)
        scripts[name] = cache.get(where, size, int(mtime * 1e9),
                                  functools.partial(read_script_bytes, name, data, mtime, where))
    return FolderRead(source, scripts)


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _read_file(path: str, name: str, cache: ScriptCache) -> ScriptRead:
    try:
        st = os.stat(path)
    except OSError as exc:
        return ScriptRead(name, path, 0, 0.0, error=f"cannot be read ({exc.strerror or exc})")
    if st.st_size > MAX_SCRIPT_BYTES:
        return ScriptRead(name, path, st.st_size, st.st_mtime,
                          error=f"{st.st_size / 1e6:.1f} MB is over the {MAX_SCRIPT_BYTES / 1e6:.0f} MB "
                                "limit for a script; not read")

    def load() -> ScriptRead:
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_SCRIPT_BYTES + 1)
        except OSError as exc:
            return ScriptRead(name, path, st.st_size, st.st_mtime, error=f"cannot be read ({exc.strerror or exc})")
        return read_script_bytes(name, data, st.st_mtime, path)

    return cache.get(path, st.st_size, st.st_mtime_ns, load)
