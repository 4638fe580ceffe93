"""File menu actions: New, Open, Save, Save As, Import, Recent, Write config, Quit.

Anything that would drop unsaved changes asks first (Save / Discard / Cancel).
"""
from __future__ import annotations

import importlib
import os
from typing import Callable

import dearpygui.dearpygui as dpg

from dpg_lora.document import Document
from dpg_lora.fileio import atomic_write_text
from dpg_lora.fileio import same_file
from dpg_lora.graph import GraphFileError
from dpg_lora.presets import is_builtin_preset
from dpg_lora.settings import SettingsError
from dpg_lora.ui.dialogs import recent_files, remember_file
from dpg_lora.ui.preview import config_target


def importer():
    """`dpg_lora.importers.import_file(path) -> (graph, notes)` when that module exists."""
    try:
        return importlib.import_module("dpg_lora.importers").import_file
    except (ImportError, AttributeError):
        return None


class FileActions:
    doc: Document

    # ------------------------------------------------------------ unsaved changes
    def confirm_discard(self, then: Callable[[], None]) -> None:
        if not self.doc.dirty:
            then()
            return
        self.dialogs.ask("Unsaved changes", f"Save the changes to {self.doc.name} first?",
                         [("Save", lambda: self.save(then=then)), ("Don't save", then), ("Cancel", None)])

    # ------------------------------------------------------------ new / open
    def new_file(self) -> None:
        self.confirm_discard(lambda: self.set_document(Document()))

    def open_file(self) -> None:
        self.confirm_discard(lambda: self.dialogs.pick_file("Open graph", self.open_path,
                                                            start=self._start_dir()))

    def open_path(self, path: str) -> bool:
        try:
            doc = Document.open(path)
        except GraphFileError as exc:
            self.dialogs.error("Cannot open", str(exc))
            self.status(str(exc), error=True)
            return False
        self.set_document(doc)
        self._remember(path)
        self.status(f"Opened {path}")
        return True

    def open_path_asking(self, path: str) -> None:
        self.confirm_discard(lambda: self.open_path(path))

    def import_file(self) -> None:
        fn = importer()
        if fn is None:
            self.status("Import is not available in this build (dpg_lora.importers is missing).", error=True)
            return

        def chosen(path: str) -> None:
            try:
                graph, notes = fn(path)
            except Exception as exc:  # noqa: BLE001 - the importer's message is what the user needs
                self.dialogs.error("Cannot import", f"{path}: {exc}")
                return
            self.set_document(Document(graph, None, dirty=True))
            notes = list(notes or [])
            self.status(f"Imported {os.path.basename(path)}" + (f" ({len(notes)} notes)" if notes else ""))
            if notes:
                self.dialogs.ask("Import notes", "\n".join(f"- {n}" for n in notes[:20]), [("OK", None)])

        self.confirm_discard(lambda: self.dialogs.pick_file("Import a config or workflow", chosen,
                                                            start=self._start_dir()))

    # ------------------------------------------------------------ save
    def save(self, then: Callable[[], None] | None = None) -> None:
        if not self.doc.path:
            self.save_as(then)
            return
        self._save_to(self.doc.path, then)

    def save_as(self, then: Callable[[], None] | None = None, *, into_user_presets: bool = False) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else "graph.json"
        start = self._start_dir()
        if into_user_presets or (self.doc.path and is_builtin_preset(self.settings, self.doc.path)):
            start = self._user_presets_start() or start
        self.dialogs.pick_file("Save graph as", lambda p: self._save_to(p, then), save=True,
                               start=start, default_name=os.path.splitext(name)[0])

    def _user_presets_start(self) -> str | None:
        try:
            return str(self.settings.ensure_dir(self.settings.user_presets_dir))
        except SettingsError:
            return None

    def _save_to(self, path: str, then: Callable[[], None] | None) -> None:
        if is_builtin_preset(self.settings, path):
            # shipped presets stay as shipped: ask for a file in the user presets folder instead
            self.save_as(then, into_user_presets=True)
            self.status(f"{path} is a built-in preset (read-only): save your copy in the user "
                        f"presets folder ({self.settings.user_presets_dir}).", error=True)
            return
        try:
            self.doc.save(path)
        except OSError as exc:
            self.dialogs.error("Cannot save", f"{path}: {exc.strerror or exc}")
            return
        self.sync.saved(self.doc)
        self._remember(path)
        self.status(f"Saved {path}")
        self.shown_revision = None  # the title changes
        if then:
            then()

    # ------------------------------------------------------------ config
    def write_config(self) -> None:
        result = self.doc.result
        target = config_target(result)

        def write() -> None:
            if self.doc.path and same_file(target, self.doc.path):
                self.status(f"Not written: {target} is the open graph file; choose another "
                            "Config path in the Script Loader.", error=True)
                return
            try:
                atomic_write_text(target, result.config_text)
            except OSError as exc:
                self.status(f"Cannot write {target}: {exc.strerror or exc}", error=True)
                return
            self.status(f"Wrote {target}")

        if result.errors:
            self.dialogs.ask("The graph has errors",
                             f"{len(result.errors)} error(s) — the trainer will likely fail. Write anyway?",
                             [("Write", write), ("Cancel", None)])
        else:
            write()

    # ------------------------------------------------------------ recent / quit
    def _remember(self, path: str) -> None:
        remember_file(path)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        menu = self.menu_items.get("Recent")
        if not menu:
            return
        dpg.delete_item(menu, children_only=True)
        files = recent_files()
        if not files:
            dpg.add_menu_item(label="(none yet)", parent=menu, enabled=False)
        for path in files:
            dpg.add_menu_item(label=path, parent=menu, user_data=path,
                              callback=lambda s, a, u: self.open_path_asking(u))

    def _start_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.doc.path)) if self.doc.path else os.getcwd()

    def request_quit(self) -> None:
        """Unsaved changes are asked about first, then a training run that is still going."""
        self.confirm_discard(self._quit_with_runs)

    def _quit_with_runs(self) -> None:
        manager = getattr(getattr(self, "run_panel", None), "manager", None)
        live = manager.active() if manager is not None else []
        if not live:
            dpg.stop_dearpygui()
            return

        def stop_then_quit() -> None:
            # TERM to each run's whole tree now, KILL after the grace period on the runs' own
            # threads; the frame loop quits once no run is left (so the KILL is not lost with us).
            manager.stop()
            self.quit_when_runs_end = True
            self.status("Stopping training, then quitting\u2026")

        self.dialogs.ask("Training is running",
                         f"{len(live)} training run(s) still going. Stop them, or leave them running? "
                         "(A run left running keeps its log; the next start of the editor reattaches.)",
                         [("Stop and quit", stop_then_quit), ("Leave running", dpg.stop_dearpygui),
                          ("Cancel", None)])
