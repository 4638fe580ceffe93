"""Which trainer folder a graph's scripts come from, and its ProfileSet, re-read only when it changed."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dpg_lora.scripts.layered import ProfileSet, builtin_profiles

if TYPE_CHECKING:  # reading scripts (ast, tokenize) loads when a folder is first read, not at start
    from dpg_lora.scripts.folder import ScriptCache


def trainer_folder_of(graph: Any, machine_dir: str | None) -> str | None:
    """The first Script Loader's trainer folder, else this machine's (DPG_LORA_TRAINER_DIR), else None.

    None too when the Script Loader names a host: that folder is on the other machine (read it with
    `dpg-lora scripts --host`; the editor does not open ssh connections on its render thread).
    """
    for node in graph.nodes:
        if node.type == "script_loader":
            if str(node.values.get("host") or "").strip():
                return None
            named = node.values.get("trainer_dir")
            if isinstance(named, str) and named.strip():
                return named
            break
    return machine_dir or None


class ProfileLoader:
    """The profiles of one folder at a time. An unchanged folder (same files, sizes and mtimes)
    gives the same ProfileSet object, so a compile context built from it stays equal."""

    def __init__(self, cache: ScriptCache | None = None):
        self.cache = cache  # made on the first folder read
        self._key: tuple | None = None
        self._profiles = builtin_profiles()

    def load(self, folder: str | None) -> ProfileSet:
        if not folder:
            self._key, self._profiles = None, builtin_profiles()
            return self._profiles
        from dpg_lora.scripts.folder import ScriptCache, read_folder
        from dpg_lora.scripts.layered import profiles_from_folder

        if self.cache is None:
            self.cache = ScriptCache()
        read = read_folder(folder, self.cache)
        key = (folder, read.error, tuple((n, r.size, r.mtime, r.error) for n, r in read.scripts.items()))
        if key != self._key:
            self._key, self._profiles = key, profiles_from_folder(read)
        return self._profiles
