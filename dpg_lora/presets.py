"""The preset store: built-in presets (read-only) and user presets (<user dir>/presets).

A preset is a graph file. Listing never stops at a broken file: it is listed with its error.
User presets can be saved, renamed, duplicated and deleted; every write is atomic and every
file name is derived from the preset name so that it stays inside the user presets folder.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from dpg_lora.fileio import atomic_write_text
from dpg_lora.graph import Graph, GraphFileError, graph_to_text, load_graph
from dpg_lora.settings import Settings

BUILTIN: Literal["builtin"] = "builtin"
USER: Literal["user"] = "user"
Source = Literal["builtin", "user"]
MAX_STEM = 80
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


class PresetError(Exception):
    """A preset operation that cannot be done; the message says why."""


class ReadOnlyPresetError(PresetError):
    pass


class PresetExistsError(PresetError):
    pass


@dataclass(frozen=True)
class PresetInfo:
    name: str
    description: str
    path: Path
    source: Source
    script: str
    node_count: int
    error: str | None = None

    @property
    def read_only(self) -> bool:
        return self.source == BUILTIN

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "path": str(self.path),
                "source": self.source, "script": self.script, "node_count": self.node_count,
                "error": self.error}


# ---------------------------------------------------------------- listing

def read_preset(path: Path, source: Source) -> PresetInfo:
    try:
        graph = load_graph(path)
    except GraphFileError as exc:
        return PresetInfo(path.stem, "", path, source, "", 0, str(exc))
    except Exception as exc:  # a listing must survive anything one file can do
        return PresetInfo(path.stem, "", path, source, "", 0, f"{path}: {type(exc).__name__}: {exc}")
    return PresetInfo(graph.name or path.stem, graph.description, path, source, graph.script(),
                      len(graph.nodes))


def _json_files(folder: Path) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    # atomic writes leave ".name.json.xxx.tmp" files for a moment; hidden files are skipped.
    # Symlinks stay even when dangling or looping: they are listed with their error.
    return sorted((p for p in entries if p.suffix.lower() == ".json" and not p.name.startswith(".")
                   and (p.is_symlink() or p.is_file())), key=lambda p: p.name.casefold())


def list_presets(settings: Settings) -> list[PresetInfo]:
    """Built-in presets first, then user presets, each by file name."""
    infos = [read_preset(p, BUILTIN) for p in _json_files(settings.presets_dir)]
    infos += [read_preset(p, USER) for p in _json_files(settings.user_presets_dir)]
    return infos


def builtin_folders(settings: Settings) -> list[Path]:
    """Every folder whose files are built-in presets: the configured one, the package's copy and
    the source tree's, each resolved."""
    from dpg_lora.resources import packaged_dir, source_dir

    folders = []
    for folder in (settings.presets_dir, packaged_dir("presets"), source_dir("presets")):
        resolved = Path(os.path.realpath(folder))
        if resolved not in folders:
            folders.append(resolved)
    return folders


def is_builtin_preset(settings: Settings, path: str | os.PathLike) -> bool:
    """True when writing `path` would change a built-in preset (however the path is spelled: a
    symlink to it, `..`, a hard link)."""
    from dpg_lora.fileio import write_target

    target = write_target(path)
    folders = builtin_folders(settings)
    return target.parent in folders or _hard_link_of_builtin(target, folders)


def _hard_link_of_builtin(target: Path, folders: list[Path]) -> bool:
    try:
        info = os.stat(target)
    except OSError:
        return False
    if info.st_nlink < 2:
        return False
    for folder in folders:
        for entry in _json_files(folder):
            try:
                other = os.stat(entry)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                return True
    return False


def search(infos: Iterable[PresetInfo], text: str) -> list[PresetInfo]:
    """Presets whose name, description, script, source or file name hold every word of `text`."""
    words = text.casefold().split()
    found = []
    for info in infos:
        haystack = " ".join((info.name, info.description, info.script, info.source,
                             info.path.name)).casefold()
        if all(word in haystack for word in words):
            found.append(info)
    return found


# ---------------------------------------------------------------- file names

def safe_stem(name: str) -> str:
    """A file name stem for a preset name: keeps letters of any script, drops path syntax."""
    stem = unicodedata.normalize("NFC", name)
    stem = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]+', "_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._")
    if len(stem.encode("utf-8")) > MAX_STEM * 2:
        stem = stem.encode("utf-8")[:MAX_STEM * 2].decode("utf-8", "ignore").rstrip(" ._")
    stem = stem[:MAX_STEM].rstrip(" ._")
    if not stem:
        stem = "preset"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    return stem


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise PresetError("a preset needs a name")
    return name


def user_preset_path(settings: Settings, name: str) -> Path:
    folder = settings.user_presets_dir
    path = folder / f"{safe_stem(name)}.json"
    # safe_stem removes separators; this guards the invariant anyway
    if path.resolve().parent != folder.resolve():
        raise PresetError(f"preset name {name!r} would leave the presets folder")
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _unique_path(settings: Settings, name: str) -> tuple[str, Path]:
    candidate, n = name, 1
    while user_preset_path(settings, candidate).exists():
        n += 1
        candidate = f"{name} {n}"
    return candidate, user_preset_path(settings, candidate)


def _require_user(settings: Settings, info: PresetInfo, action: str) -> None:
    if info.source != USER or info.path.resolve().parent != settings.user_presets_dir.resolve():
        raise ReadOnlyPresetError(f"cannot {action} {info.name!r}: built-in presets are read-only; "
                                  f"use \"Save as preset\" to make your own copy")


# ---------------------------------------------------------------- user preset operations

def _load(info: PresetInfo) -> Graph:
    """The preset's graph; a file that broke since it was listed is a PresetError."""
    try:
        return load_graph(info.path)
    except GraphFileError as exc:
        raise PresetError(f"cannot read the preset {info.name!r}: {exc}") from None


def save_preset(settings: Settings, graph: Graph, name: str, *, overwrite: bool = False) -> PresetInfo:
    """Write `graph` as a user preset called `name`; PresetExistsError if taken and not `overwrite`."""
    name = _check_name(name)
    path = user_preset_path(settings, name)
    if path.exists() and not overwrite:
        raise PresetExistsError(f"a user preset file {path.name!r} already exists")
    settings.ensure_dir(settings.user_presets_dir)
    atomic_write_text(path, graph_to_text(graph.model_copy(update={"name": name})))
    return read_preset(path, USER)


def save_as_user_preset(settings: Settings, info: PresetInfo, name: str | None = None) -> PresetInfo:
    """Copy any preset (built-in or user) into the user folder under a free name."""
    if info.error:
        raise PresetError(f"cannot copy a broken preset: {info.error}")
    graph = _load(info)
    wanted = _check_name(name) if name else info.name
    if name:
        return save_preset(settings, graph, wanted)
    free_name, _ = _unique_path(settings, wanted)
    return save_preset(settings, graph, free_name)


def duplicate_preset(settings: Settings, info: PresetInfo) -> PresetInfo:
    """A user copy named "<name> copy" (or "<name> copy 2", ...)."""
    _require_user(settings, info, "duplicate")
    if info.error:
        raise PresetError(f"cannot duplicate a broken preset: {info.error}")
    free_name, _ = _unique_path(settings, f"{info.name} copy")
    return save_preset(settings, _load(info), free_name)


def rename_preset(settings: Settings, info: PresetInfo, new_name: str) -> PresetInfo:
    """Rename the preset and its file. A broken file is only renamed on disk."""
    _require_user(settings, info, "rename")
    new_name = _check_name(new_name)
    target = user_preset_path(settings, new_name)
    if target.exists() and not _same_file(target, info.path):
        raise PresetExistsError(f"a user preset file {target.name!r} already exists")
    if info.error:
        os.replace(info.path, target)
        return read_preset(target, USER)
    graph = _load(info)
    atomic_write_text(target, graph_to_text(graph.model_copy(update={"name": new_name})))
    if info.path.name != target.name:  # not just a case change on a case-insensitive disk
        try:
            info.path.unlink()
        except FileNotFoundError:
            pass
    return read_preset(target, USER)


def delete_preset(settings: Settings, info: PresetInfo) -> None:
    _require_user(settings, info, "delete")
    try:
        info.path.unlink()
    except FileNotFoundError:
        pass
