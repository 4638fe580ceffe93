"""What the preset browser (ui/presets_panel.py) calls: the store in dpg_lora/presets.py.

Built-in presets open as an untitled copy (Save asks for a name, so the shipped file stays as
it is); user presets open in place.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable, Protocol

from dpg_lora import presets as store
from dpg_lora.document import Document
from dpg_lora.graph import GraphFileError, load_graph
from dpg_lora.settings import Settings, SettingsError, load_settings
from dpg_lora.ui.texts import tr


def editor_settings(presets_dir: Path | None = None) -> tuple[Settings, str | None]:
    """The user's settings (environment and .env), or defaults and the reason they were not read."""
    problem = None
    try:
        settings = load_settings()
    except SettingsError as exc:
        settings, problem = Settings(), str(exc)
    if presets_dir is not None:
        settings = dataclasses.replace(settings, presets_dir=Path(presets_dir))
    return settings, problem


class PresetHost(Protocol):
    """What the preset actions use of the editor."""
    doc: Document
    settings: Settings
    presets_panel: Any

    def set_document(self, doc: Document, keep_view: bool = False) -> None: ...

    def status(self, message: str, error: bool = False) -> None: ...

    def confirm_discard(self, then: Callable[[], object]) -> None: ...

    def open_path_asking(self, path: str) -> None: ...


class PresetActions:
    def __init__(self, host: PresetHost):
        self.host = host
        self.listing: list[store.PresetInfo] | None = None

    def preset_infos(self) -> list[store.PresetInfo]:
        """The preset folders' listing, read once per change (the browser and the start page share it)."""
        if self.listing is None:
            self.listing = store.list_presets(self.host.settings)
        return self.listing

    def refresh_presets(self) -> None:
        self.listing = None  # the folders changed: read them again
        if self.host.presets_panel is not None and hasattr(self.host.presets_panel, "refresh"):
            self.host.presets_panel.refresh(self.preset_infos())

    def open_preset(self, info: store.PresetInfo) -> None:
        if info.source == store.USER:
            self.host.open_path_asking(str(info.path))
            return

        def open_copy() -> None:
            try:
                graph = load_graph(info.path)
            except GraphFileError as exc:
                self.host.status(str(exc), error=True)
                return
            self.host.set_document(Document(graph))
            self.host.status(tr("presets.opened_copy", name=info.name))

        self.host.confirm_discard(open_copy)

    def _store(self, action, *args, done: Callable[[str | None], str], name: str | None = None) -> None:
        """Run a store action; `done(name)` is the status line (the result's name, else `name`)."""
        try:
            result = action(self.host.settings, *args)
        except (store.PresetError, SettingsError, OSError) as exc:
            self.host.status(str(exc), error=True)
            return
        self.refresh_presets()
        self.host.status(done(getattr(result, "name", None) or name))

    def save_current_as_preset(self, name: str) -> None:
        if not name:
            self.host.status(tr("presets.need_name"), error=True)
            return
        self._store(store.save_preset, self.host.doc.graph, name, done=lambda n: tr("presets.saved", name=n))

    def rename_preset(self, info: store.PresetInfo, name: str) -> None:
        if not name:
            self.host.status(tr("presets.need_new_name"), error=True)
            return
        self._store(store.rename_preset, info, name, done=lambda n: tr("presets.renamed", name=n))

    def duplicate_preset(self, info: store.PresetInfo) -> None:
        self._store(store.duplicate_preset, info, done=lambda n: tr("presets.duplicated", name=n))

    def delete_preset(self, info: store.PresetInfo) -> None:
        self._store(store.delete_preset, info, done=lambda n: tr("presets.deleted", name=n), name=info.name)
