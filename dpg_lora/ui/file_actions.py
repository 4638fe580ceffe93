"""File menu actions: New, Open, Save, Save As, Import, Recent, Write config, Quit.

Anything that would drop unsaved changes asks first (Save / Discard / Cancel).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora.document import Document
from dpg_lora.fileio import atomic_write_text
from dpg_lora.fileio import same_file
from dpg_lora.graph import GraphFileError
from dpg_lora.presets import is_builtin_preset
from dpg_lora.settings import SettingsError
from dpg_lora.ui.dialogs import recent_files, remember_file
from dpg_lora.ui.preview import config_target

if TYPE_CHECKING:
    from dpg_lora.compile_context import CompileContext
    from dpg_lora.graph import Graph
    from dpg_lora.settings import Settings
    from dpg_lora.ui.dialogs import Dialogs
    from dpg_lora.ui.file_sync import FileSync
    from dpg_lora.ui.run_panel import RunPanel


def importer() -> Callable[[str], tuple[Graph, Any]]:
    """`dpg_lora.importers.import_file(path) -> (graph, notes)`, imported on first use (start-up
    of the editor does not pay for the importers)."""
    from dpg_lora.importers import import_file

    return import_file


class FileHost(Protocol):
    """What the file actions use of the editor."""
    doc: Document
    context: CompileContext
    settings: Settings
    dialogs: Dialogs
    sync: FileSync
    menu_items: dict[str, int]
    shown_revision: int | None
    quit_when_runs_end: bool
    run_panel: RunPanel | None

    def set_document(self, doc: Document, keep_view: bool = False) -> None: ...

    def status(self, message: str, error: bool = False) -> None: ...


class FileActions:
    def __init__(self, host: FileHost):
        self.host = host

    # ------------------------------------------------------------ unsaved changes
    def confirm_discard(self, then: Callable[[], object]) -> None:
        if not self.host.doc.dirty:
            then()
            return
        self.host.dialogs.ask("Unsaved changes", f"Save the changes to {self.host.doc.name} first?",
                         [("Save", lambda: self.save(then=then)), ("Don't save", then), ("Cancel", None)])

    # ------------------------------------------------------------ new / open
    def new_file(self) -> None:
        self.confirm_discard(lambda: self.host.set_document(Document()))

    def open_file(self) -> None:
        self.confirm_discard(lambda: self.host.dialogs.pick_file("Open graph", self.open_path,
                                                            start=self.start_dir()))

    def open_path(self, path: str) -> bool:
        try:
            doc = Document.open(path)
        except GraphFileError as exc:
            self.host.dialogs.error("Cannot open", str(exc))
            self.host.status(str(exc), error=True)
            return False
        self.host.set_document(doc)
        self._remember(path)
        self.host.status(f"Opened {path}")
        return True

    def open_path_asking(self, path: str) -> None:
        self.confirm_discard(lambda: self.open_path(path))

    def import_file(self) -> None:
        fn = importer()

        def chosen(path: str) -> None:
            try:
                graph, notes = fn(path)
            except Exception as exc:  # noqa: BLE001 - the importer's message is what the user needs
                self.host.dialogs.error("Cannot import", f"{path}: {exc}")
                return
            self.host.set_document(Document(graph, None, dirty=True))
            notes = list(notes or [])
            self.host.status(f"Imported {os.path.basename(path)}" + (f" ({len(notes)} notes)" if notes else ""))
            if notes:
                self.host.dialogs.ask("Import notes", "\n".join(f"- {n}" for n in notes[:20]), [("OK", None)])

        self.confirm_discard(lambda: self.host.dialogs.pick_file("Import a config or workflow", chosen,
                                                            start=self.start_dir()))

    # ------------------------------------------------------------ save
    def save(self, then: Callable[[], object] | None = None) -> None:
        if not self.host.doc.path:
            self.save_as(then)
            return
        self._save_to(self.host.doc.path, then)

    def save_as(self, then: Callable[[], object] | None = None, *, into_user_presets: bool = False) -> None:
        name = os.path.basename(self.host.doc.path) if self.host.doc.path else "graph.json"
        start = self.start_dir()
        if into_user_presets or (self.host.doc.path and is_builtin_preset(self.host.settings, self.host.doc.path)):
            start = self._user_presets_start() or start
        self.host.dialogs.pick_file("Save graph as", lambda p: self._save_to(p, then), save=True,
                               start=start, default_name=os.path.splitext(name)[0])

    def _user_presets_start(self) -> str | None:
        try:
            return str(self.host.settings.ensure_dir(self.host.settings.user_presets_dir))
        except SettingsError:
            return None

    def _save_to(self, path: str, then: Callable[[], object] | None) -> None:
        if is_builtin_preset(self.host.settings, path):
            # shipped presets stay as shipped: ask for a file in the user presets folder instead
            self.save_as(then, into_user_presets=True)
            self.host.status(f"{path} is a built-in preset (read-only): save your copy in the user "
                        f"presets folder ({self.host.settings.user_presets_dir}).", error=True)
            return
        try:
            self.host.doc.save(path)
        except OSError as exc:
            self.host.dialogs.error("Cannot save", f"{path}: {exc.strerror or exc}")
            return
        self.host.sync.saved(self.host.doc)
        self._remember(path)
        self.host.status(f"Saved {path}")
        self.host.shown_revision = None  # the title changes
        if then:
            then()

    # ------------------------------------------------------------ config
    def write_config(self) -> None:
        result = self.host.doc.result
        target = config_target(result)

        def write() -> None:
            if self.host.doc.path and same_file(target, self.host.doc.path):
                self.host.status(f"Not written: {target} is the open graph file; choose another "
                            "Config path in the Script Loader.", error=True)
                return
            try:
                atomic_write_text(target, result.config_text)
            except OSError as exc:
                self.host.status(f"Cannot write {target}: {exc.strerror or exc}", error=True)
                return
            self.host.status(f"Wrote {target}")

        if result.errors:
            self.host.dialogs.ask("The graph has errors",
                             f"{len(result.errors)} error(s) — the trainer will likely fail. Write anyway?",
                             [("Write", write), ("Cancel", None)])
        else:
            write()

    # ------------------------------------------------------------ recent / quit
    def _remember(self, path: str) -> None:
        remember_file(path)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        menu = self.host.menu_items.get("menu.recent")
        if not menu:
            return
        dpg.delete_item(menu, children_only=True)
        files = recent_files()
        if not files:
            dpg.add_menu_item(label="(none yet)", parent=menu, enabled=False)
        for path in files:
            dpg.add_menu_item(label=path, parent=menu, user_data=path,
                              callback=lambda s, a, u: self.open_path_asking(u))

    def start_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.host.doc.path)) if self.host.doc.path else os.getcwd()

    def request_quit(self) -> None:
        """Unsaved changes are asked about first, then a training run that is still going."""
        self.confirm_discard(self._quit_with_runs)

    def _quit_with_runs(self) -> None:
        manager = self.host.run_panel.manager if self.host.run_panel is not None else None
        live = manager.active() if manager is not None else []
        if not live:
            dpg.stop_dearpygui()
            return

        def stop_then_quit() -> None:
            # TERM to each run's whole tree now, KILL after the grace period on the runs' own
            # threads; the frame loop quits once no run is left (so the KILL is not lost with us).
            manager.stop()
            self.host.quit_when_runs_end = True
            self.host.status("Stopping training, then quitting\u2026")

        self.host.dialogs.ask("Training is running",
                         f"{len(live)} training run(s) still going. Stop them, or leave them running? "
                         "(A run left running keeps its log; the next start of the editor reattaches.)",
                         [("Stop and quit", stop_then_quit), ("Leave running", dpg.stop_dearpygui),
                          ("Cancel", None)])
