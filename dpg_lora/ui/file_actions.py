"""File menu actions: New, Open, Close, Save, Save As, Import, Recent, Write config, Quit.

Anything that would drop unsaved changes asks first (Save / Discard / Cancel). With no graph open
(the start page is shown), the actions that need one say so instead of acting on nothing.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora import recent
from dpg_lora.document import Document
from dpg_lora.fileio import atomic_write_text
from dpg_lora.fileio import same_file
from dpg_lora.graph import GraphFileError
from dpg_lora.presets import is_builtin_preset
from dpg_lora.settings import SettingsError
from dpg_lora.trainer_folder import config_lands_in_start_folder, folder_is_set
from dpg_lora.ui.preview import config_target
from dpg_lora.ui.texts import tr

if TYPE_CHECKING:
    from dpg_lora.compile_context import CompileContext
    from dpg_lora.compiler import CompileResult
    from dpg_lora.graph import Graph
    from dpg_lora.settings import Settings
    from dpg_lora.ui.dialogs import Dialogs
    from dpg_lora.ui.file_sync import FileSync
    from dpg_lora.ui.run_panel import RunPanel


def importer() -> Callable[..., tuple[Graph, Any]]:
    """`dpg_lora.importers.import_file(path) -> (graph, notes)`, imported on first use (start-up
    of the editor does not pay for the importers)."""
    from dpg_lora.importers import import_file

    return import_file


def asks_where(result: CompileResult) -> bool:
    """Write config asks for a file: no trainer folder set and a relative Config path, so the
    config would otherwise land in the folder the editor was started from."""
    return config_lands_in_start_folder(result.cwd, result.config_path)


def trainer_folder_note(node_type: str, values: dict, context: CompileContext) -> tuple[tuple[str, str], ...]:
    """The line a Script Loader shows when it runs here with no trainer folder set."""
    if node_type != "script_loader" or str(values.get("host") or "").strip():
        return ()
    trainer_dir = values.get("trainer_dir") or context.machine_default("trainer_dir")
    if folder_is_set(trainer_dir):
        return ()
    return (("warning", tr("file.no_trainer_folder_note", cwd=os.getcwd())),)


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

    @property
    def graph_open(self) -> bool: ...

    def set_document(self, doc: Document, keep_view: bool = False) -> None: ...

    def show_start_page(self) -> None: ...

    def status(self, message: str, error: bool = False) -> None: ...


class FileActions:
    def __init__(self, host: FileHost):
        self.host = host

    def needs_graph(self) -> bool:
        """True when a graph is open; else says so in the status bar."""
        if self.host.graph_open:
            return True
        self.host.status(tr("file.no_graph_open"), error=True)
        return False

    # ------------------------------------------------------------ unsaved changes
    def confirm_discard(self, then: Callable[[], object]) -> None:
        if not self.host.doc.dirty:
            then()
            return
        self.host.dialogs.ask(tr("file.unsaved_title"), tr("file.unsaved_question", name=self.host.doc.name),
                              [(tr("file.save"), lambda: self.save(then=then)), (tr("file.dont_save"), then),
                               (tr("file.cancel"), None)])

    # ------------------------------------------------------------ new / open / close
    def new_file(self) -> None:
        self.confirm_discard(lambda: self.host.set_document(Document()))

    def open_file(self) -> None:
        self.confirm_discard(lambda: self.host.dialogs.pick_file(tr("file.open_title"), self.open_path,
                                                                 start=self.start_dir()))

    def open_path(self, path: str) -> bool:
        try:
            doc = Document.open(path)
        except GraphFileError as exc:
            self.host.dialogs.error(tr("file.cannot_open"), str(exc))
            self.host.status(str(exc), error=True)
            return False
        self.host.set_document(doc)
        self._remember(path)
        self.host.status(tr("file.opened", path=path))
        return True

    def open_path_asking(self, path: str) -> None:
        self.confirm_discard(lambda: self.open_path(path))

    def close_graph(self) -> None:
        """Close the open graph (asking about unsaved changes) and show the start page."""
        if self.host.graph_open:
            self.confirm_discard(self.host.show_start_page)

    def import_file(self, then: Callable[[], object] | None = None) -> None:
        """Import a training config or an original-editor workflow as a new, unsaved graph;
        `then` runs once it is open."""
        fn = importer()

        def chosen(path: str) -> None:
            try:  # a config's keys go on the fields of the trainer folder's scripts, as compiled
                graph, notes = fn(path, context=self.host.context)
            except Exception as exc:  # noqa: BLE001 - the importer's message is what the user needs
                self.host.dialogs.error(tr("file.cannot_import"), f"{path}: {exc}")
                return
            self.host.set_document(Document(graph, None, dirty=True))
            notes = list(notes or [])
            name = os.path.basename(path)
            self.host.status(tr("file.imported_notes", name=name, count=len(notes)) if notes
                             else tr("file.imported", name=name))
            if then is not None:
                then()
            if notes:
                self.host.dialogs.ask(tr("file.import_notes_title"), "\n".join(f"- {n}" for n in notes[:20]),
                                      [(tr("file.ok"), None)])

        self.confirm_discard(lambda: self.host.dialogs.pick_file(tr("file.import_title"), chosen,
                                                                 start=self.start_dir()))

    # ------------------------------------------------------------ save
    def save(self, then: Callable[[], object] | None = None) -> None:
        if not self.needs_graph():
            return
        if not self.host.doc.path:
            self.save_as(then)
            return
        self._save_to(self.host.doc.path, then)

    def save_as(self, then: Callable[[], object] | None = None, *, into_user_presets: bool = False) -> None:
        if not self.needs_graph():
            return
        name = os.path.basename(self.host.doc.path) if self.host.doc.path else "graph.json"
        start = self.start_dir()
        if into_user_presets or (self.host.doc.path and is_builtin_preset(self.host.settings, self.host.doc.path)):
            start = self._user_presets_start() or start
        self.host.dialogs.pick_file(tr("file.save_as_title"), lambda p: self._save_to(p, then), save=True,
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
            self.host.status(tr("file.builtin_read_only", path=path,
                                folder=str(self.host.settings.user_presets_dir)), error=True)
            return
        try:
            self.host.doc.save(path)
        except OSError as exc:
            self.host.dialogs.error(tr("file.cannot_save"), f"{path}: {exc.strerror or exc}")
            return
        self.host.sync.saved(self.host.doc)
        self._remember(path)
        self.host.status(tr("file.saved", path=path))
        self.host.shown_revision = None  # the title changes
        if then:
            then()

    # ------------------------------------------------------------ config
    def write_config(self) -> None:
        """Write the config where the Script Loader says; with no trainer folder set, ask where
        (never into the folder the editor happened to be started from)."""
        if not self.needs_graph():
            return
        result = self.host.doc.result
        if asks_where(result):
            def write() -> None:
                self.ask_config_file(result)
        else:
            def write() -> None:
                self._write_config_to(config_target(result), result)
        if result.errors:
            self.host.dialogs.ask(tr("file.errors_title"), tr("file.errors_write_anyway", count=len(result.errors)),
                                  [(tr("file.write"), write), (tr("file.cancel"), None)])
        else:
            write()

    def config_start_dir(self) -> str:
        """Where the Write config dialog opens: the graph file's folder, else the home folder."""
        path = self.host.doc.path
        return os.path.dirname(os.path.abspath(path)) if path else os.path.expanduser("~")

    def ask_config_file(self, result: CompileResult) -> None:
        name = os.path.splitext(os.path.basename(result.config_path or "config.json"))[0] or "config"
        self.host.dialogs.pick_file(tr("file.write_config_where"), lambda p: self._write_config_to(p, result),
                                    save=True, start=self.config_start_dir(), default_name=name)
        self.host.status(tr("file.no_trainer_folder_asking"))

    def _write_config_to(self, target: str, result: CompileResult) -> None:
        if self.host.doc.path and same_file(target, self.host.doc.path):
            self.host.status(tr("file.config_is_graph", path=target), error=True)
            return
        try:
            atomic_write_text(target, result.config_text)
        except OSError as exc:
            self.host.status(tr("file.cannot_write", path=target, reason=exc.strerror or str(exc)), error=True)
            return
        self.host.status(tr("file.wrote", path=target))

    # ------------------------------------------------------------ recent / quit
    def recent_file(self):
        return recent.recent_path(self.host.settings.user_dir)

    def recent_files(self) -> list[str]:
        return recent.read_recent(self.recent_file())

    def _remember(self, path: str) -> None:
        recent.remember(self.recent_file(), path)
        self.refresh_recent()

    def forget_recent(self, path: str) -> None:
        recent.forget(self.recent_file(), path)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        menu = self.host.menu_items.get("menu.recent")
        if not menu:
            return
        dpg.delete_item(menu, children_only=True)
        files = self.recent_files()
        if not files:
            dpg.add_menu_item(label=tr("file.recent_none"), parent=menu, enabled=False)
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
            self.host.status(tr("file.stopping_then_quitting"))

        self.host.dialogs.ask(tr("file.runs_title"), tr("file.runs_question", count=len(live)),
                              [(tr("file.stop_and_quit"), stop_then_quit), (tr("file.leave_running"), dpg.stop_dearpygui),
                               (tr("file.cancel"), None)])
