"""The editor window and its frame loop.

Layout: menu bar; presets (left) | node canvas (middle) | JSON / Command / Problems / Run (right);
status bar. Every user action becomes one Document command; the loop refreshes the canvas and
preview once per new document revision and does no Python work per frame otherwise.

The loop renders only when something changed: it sleeps until input (`run_loop`, ui/wake.py),
background producers wake it through `self.waker.wake`, and a turn that changed what is shown
draws a few frames at once without waiting.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import dearpygui.dearpygui as dpg

from dpg_lora.compile_context import CompileContext
from dpg_lora.document import Document
from dpg_lora.ui import shortcuts
from dpg_lora.ui.canvas import Canvas
from dpg_lora.ui.dialogs import Dialogs
from dpg_lora.ui.edit_actions import EditActions
from dpg_lora.ui.file_actions import FileActions
from dpg_lora.ui.file_sync import FileSync
from dpg_lora.ui.language_actions import LanguageActions
from dpg_lora.ui.menus import NodePicker, build_menu_bar
from dpg_lora.ui.panel_layout import PanelLayout
from dpg_lora.ui.preset_actions import PresetActions, editor_settings
from dpg_lora.ui.preview import Preview
from dpg_lora.ui.profile_sync import ProfileSync
from dpg_lora.ui.remember import Remembered
from dpg_lora.ui.start_page import StartPage
from dpg_lora.ui.trainer_folder import TrainerFolderAsk
from dpg_lora.ui.view_actions import ViewActions
from dpg_lora.ui import texts
from dpg_lora.ui.theme import DEFAULT_THEME, available_themes, build_theme, theme_title, ui_font
from dpg_lora.ui.texts import tr
from dpg_lora.ui.wake import IDLE_FPS, Waker, output_pace, platform_calls
from dpg_lora.ui_state import ui_state_path
from dpg_lora.window_layout import LEFT_DEFAULT, RIGHT_DEFAULT

if TYPE_CHECKING:
    from dpg_lora.ui.presets_panel import PresetsPanel
    from dpg_lora.ui.run_panel import RunPanel
    from dpg_lora.validation.background import DataCheckJob

GRAPH_MENUS = ("menu.save", "menu.save_as", "start.close_menu", "menu.write_config", "menu.copy_command",
               "menu.run_training")  # the menu items (by catalogue key) that need a graph
SETTLE_FRAMES = 2  # frames drawn without waiting after a change (Dear ImGui settles sizes, popups)


class EditorApp:
    """The window: builds the views, owns the document and runs the loop. The File, Edit and
    Preset actions are controllers (ui/file_actions.py, ...) that get this app as their host; each
    declares what it uses of it (FileHost, EditHost, PresetHost). Their actions that menus,
    shortcuts, panels and node widgets call are bound here by name."""

    def __init__(self, *, theme: str | None = None, runner: bool = True, presets_dir: Path | None = None,
                 watch: bool = False, autosave: bool = False, waker: Waker | None = None,
                 remember: bool = False):
        self.waker = waker or Waker()  # what background producers call after queueing an event
        self.profile_sync = ProfileSync(self)  # the trainer folder's scripts, read statically
        self.settings, self.settings_problem = editor_settings(presets_dir)
        self.context = CompileContext.from_settings(self.settings)  # every document compiles for it
        # window, panels, language, ...: kept in the user folder (`remember`), else for this window only
        self.remembered = Remembered(ui_state_path(self.settings.user_dir) if remember else None)
        self.language_actions = LanguageActions(self)  # the start language and UI scale, View menu
        self.doc = Document(context=self.context)
        # No graph open (the start page shows): the app holds this blank document, unedited.
        self.no_graph: tuple[Document, int] | None = (self.doc, self.doc.revision)
        self.presets_dir = self.settings.presets_dir
        self.theme_name = theme or (self.settings.theme if self.settings.theme in available_themes()
                                    else DEFAULT_THEME)
        self.runner_enabled = runner
        self.watch_enabled, self.autosave_enabled = watch, autosave
        self.shown_revision: int | None = None
        self.text_inputs: set[int] = set()
        self.clipboard: dict | None = None
        self.frame_after_sync = False
        self.run_panel: RunPanel | None = None
        self.presets_panel: PresetsPanel | None = None
        self.data_job: DataCheckJob | None = None  # a dataset folder scan running on a worker thread
        self.quit_when_runs_end = False
        self.menu_items: dict[str, int] = {}
        self.size = (1500, 920)
        self.on_turn: list = []  # called each loop turn (the window tracker)
        self.panels = PanelLayout(self)  # the side panels' widths, splitters and collapsed states
        self.files = FileActions(self)
        self.edits = EditActions(self)
        self.preset_actions = PresetActions(self)
        self.view_actions = ViewActions(self)
        self.folder_ask = TrainerFolderAsk(self)  # Run with no trainer folder set asks for one
        files, edits, presets = self.files, self.edits, self.preset_actions
        # File menu, Ctrl+S/O/N, the preset browser, the file watcher
        self.new_file, self.open_file, self.open_path = files.new_file, files.open_file, files.open_path
        self.open_path_asking, self.import_file, self.save = files.open_path_asking, files.import_file, files.save
        self.save_as, self.write_config, self.request_quit = files.save_as, files.write_config, files.request_quit
        self.confirm_discard, self.refresh_recent, self.start_dir = (files.confirm_discard, files.refresh_recent,
                                                                    files.start_dir)
        # Edit menu, shortcuts, canvas and node widgets
        self.edit_value, self.edit_values, self.link, self.unlink = (edits.edit_value, edits.edit_values,
                                                                     edits.link, edits.unlink)
        self.reorder, self.browse, self.record_moves = edits.reorder, edits.browse, edits.record_moves
        self.undo, self.redo, self.arrange = edits.undo, edits.redo, edits.arrange
        self.copy_selection, self.paste, self.duplicate_selection = (edits.copy_selection, edits.paste,
                                                                     edits.duplicate_selection)
        self.delete_selection, self.centre_selection, self.focus_node = (edits.delete_selection,
                                                                         edits.centre_selection, edits.focus_node)
        self.open_node_search, self.open_canvas_menu = edits.open_node_search, edits.open_canvas_menu
        self.offer_link_drop = edits.offer_link_drop
        # the preset browser (ui/presets_panel.py) calls these on its owner
        self.preset_infos, self.refresh_presets, self.open_preset = (presets.preset_infos, presets.refresh_presets,
                                                                     presets.open_preset)
        self.save_current_as_preset, self.rename_preset = presets.save_current_as_preset, presets.rename_preset
        self.duplicate_preset, self.delete_preset = presets.duplicate_preset, presets.delete_preset
        # View menu, zoom and fit keys, the wheel and double-click on the canvas
        view = self.view_actions
        self.frame_all, self.fit_selection, self.zoom_in, self.zoom_out = (view.frame_all, view.fit_selection,
                                                                           view.zoom_in, view.zoom_out)
        self.toggle_minimap, self.on_wheel, self.on_left_click = view.toggle_minimap, view.on_wheel, view.on_left_click
        self.set_items_collapsed, self.toggle_collapsed = view.set_items_collapsed, view.toggle_collapsed
        self.close_graph, self.refresh_presets = files.close_graph, self._refresh_presets

    # ------------------------------------------------------------ building
    def build(self, width: int = 1500, height: int = 920, *, defer: bool = False) -> "EditorApp":
        """Build the window. `defer`: what the first frame does not show (the presets browser with
        its folder scan, the run panel with the runner and its history, the recent-files menu)
        is built by `finish_build()` after that frame."""
        self.size = (width, height)
        texts.forget()  # bindings of a UI built before this one (tests build many into one context)
        self.theme = build_theme(self.theme_name, scale=self.ui_scale)
        self._font()
        with dpg.item_handler_registry() as self.key_commit_handlers:
            dpg.add_item_deactivated_after_edit_handler(callback=self._on_key_commit)
            dpg.add_item_hover_handler(callback=self._on_first_hover)  # its tooltip, built once
        with dpg.item_handler_registry() as self.unfold_handlers:  # a node's Advanced fold opened
            dpg.add_item_toggled_open_handler(callback=self._on_unfold)
            dpg.add_item_clicked_handler(callback=self._on_fold_click)  # opened or closed: size changes
        with dpg.item_handler_registry() as self.hover_handlers:  # a field widget hovered the first time
            dpg.add_item_hover_handler(callback=self._on_first_hover)
        with dpg.window(no_title_bar=True, no_move=True, no_resize=True, no_collapse=True,
                        no_scrollbar=True, no_saved_settings=True, pos=(0, 0)) as self.root:
            self.menu_items = build_menu_bar(self.root, self._menus())
            self.panels.bind_menu(self.menu_items)
            with dpg.group(horizontal=True, horizontal_spacing=0):  # the splitters are the gaps
                self.left = dpg.add_child_window(width=LEFT_DEFAULT, height=400)
                self.panels.add_splitter("left")
                self.centre = dpg.add_child_window(width=400, height=400, border=False, no_scrollbar=True)
                self.panels.add_splitter("right")
                self.right = dpg.add_child_window(width=RIGHT_DEFAULT, height=400, border=False)
            with dpg.group(horizontal=True) as status_bar:
                self.view_actions.build_zoom_box(status_bar)
                self.status_line = texts.bind_text(dpg.add_text(), self.settings_problem or
                                                   self.language_actions.start_note or tr("app.ready"),
                                                   attribute="value")
                self.summary = dpg.add_text("", color=self.theme.color("muted_text"))
        self.canvas = Canvas(self, self.centre)
        self.start_page = StartPage(self, self.centre)  # instead of the canvas while no graph is open
        self.preview = Preview(self, self.right)
        self.picker = NodePicker(self)
        self.node_menu = dpg.add_window(popup=True, show=False, no_title_bar=True, autosize=True,
                                        no_saved_settings=True)
        self.dialogs = Dialogs(self)
        self.sync = FileSync(self, watch=self.watch_enabled, autosave=self.autosave_enabled, start=not defer)
        self.handlers = shortcuts.install(self)
        self.later = [self.sync.start, lambda: self._build_presets_panel(self.left),
                      lambda: self._build_run_panel(self.preview.run_tab), self.refresh_recent,
                      self.start_page.fill_presets]
        if not defer:
            self.finish_build()
        self.layout(width, height)
        return self

    def finish_build(self) -> bool:
        """Build what `build(defer=True)` left for after the first frame; True when it built any."""
        later, self.later = self.later, []
        for step in later:
            step()
        return bool(later)

    @property
    def ui_scale(self) -> float:
        """View -> UI scale as a factor (1.0 = 100%); fixed pixel sizes of the layout multiply by it."""
        return self.language_actions.scale / 100

    def _font(self) -> None:
        font = ui_font(round(self.theme.font_size * self.ui_scale))
        if font is not None:
            dpg.bind_font(font)

    def _menus(self) -> list:
        themes = [(theme_title(name), "", (lambda n=name: self.switch_theme(n))) for name in available_themes()]
        file_menu = [(tr("menu.new"), "Ctrl+N", self.new_file), (tr("menu.open"), "Ctrl+O", self.open_file),
                     (tr("menu.recent"), "", []), None,
                     (tr("menu.save"), "Ctrl+S", self.save), (tr("menu.save_as"), "", self.save_as),
                     (tr("start.close_menu"), "", self.close_graph), None,
                     (tr("menu.import"), "", self.import_file), None,
                     (tr("menu.quit"), "", self.request_quit)]
        edit_menu = [(tr("menu.undo"), "Ctrl+Z", self.undo), (tr("menu.redo"), "Ctrl+Y", self.redo), None,
                     (tr("menu.copy"), "Ctrl+C", self.copy_selection), (tr("menu.paste"), "Ctrl+V", self.paste),
                     (tr("menu.duplicate"), "Ctrl+D", self.duplicate_selection),
                     (tr("menu.delete"), "Del", self.delete_selection),
                     None, (tr("menu.add_node"), "Ctrl+Space", self.open_node_search),
                     (tr("menu.arrange"), "", self.arrange)]
        view_menu = self.view_actions.view_menu(themes) + [None] + self.language_actions.menu_entries()
        run_menu = [(tr("menu.write_config"), "", self.write_config),
                    (tr("menu.copy_command"), "", lambda: self.preview.copy("command")),
                    None, (tr("menu.run_training"), "", self.run_training),
                    (tr("menu.stop_training"), "", self.stop_training)]
        return [(tr("menu.file"), file_menu), (tr("menu.edit"), edit_menu), (tr("menu.view"), view_menu),
                (tr("menu.run"), run_menu)]

    def layout(self, width: int | None = None, height: int | None = None) -> None:
        """Size the window's content and the panel row to the viewport (called on resize)."""
        width = width or dpg.get_viewport_client_width() or self.size[0]
        height = height or dpg.get_viewport_client_height() or self.size[1]
        self.size = (width, height)
        dpg.configure_item(self.root, width=width, height=height)
        self.panels.apply(width, height)
        self.start_page.follow()

    # ------------------------------------------------------------ hooks for other panels
    def _build_presets_panel(self, parent) -> None:
        """The preset browser (ui/presets_panel.py) with this app as its callbacks (the preset
        actions bound above); a plain list of the built-in presets if building it fails."""
        try:
            from dpg_lora.ui.presets_panel import PresetsPanel  # built after the first frame

            self.presets_panel = PresetsPanel(parent, self)
            self.presets_panel.build()
            return
        except Exception as exc:  # noqa: BLE001 - a broken side panel must not stop the editor
            dpg.delete_item(parent, children_only=True)
            dpg.add_text(tr("app.presets_failed", error=exc), parent=parent, wrap=LEFT_DEFAULT - 20,
                         color=self.theme.color("error_text"))
        dpg.add_text(tr("presets.title"), parent=parent)
        for path in sorted(self.presets_dir.glob("*.json")):
            item = dpg.add_selectable(label=path.stem.replace("_", " "), parent=parent, user_data=str(path),
                                      callback=lambda s, a, u: (dpg.set_value(s, False), self.open_path_asking(u)))
            with dpg.tooltip(item):
                dpg.add_text(str(path))

    def _build_run_panel(self, parent) -> None:
        """The Run tab (ui/run_panel.py): RunPanel(parent, manager, request_provider)."""
        if not self.runner_enabled:
            dpg.add_text(tr("app.runs_off"), parent=parent)
            return
        try:
            from dpg_lora.runner.events import EventQueue
            from dpg_lora.runner.manager import RunManager
            from dpg_lora.ui.run_panel import RunPanel

            manager = RunManager(events=EventQueue(wake=self.waker.wake, wake_output=self.waker.wake_paced))
            self.run_panel = RunPanel(parent, manager, self.run_request, document=lambda: self.doc,
                                      status=self.status)
            self.run_panel.build()
        except Exception as exc:  # noqa: BLE001
            self.run_panel = None
            dpg.add_text(tr("app.run_panel_failed", error=exc), parent=parent, wrap=RIGHT_DEFAULT - 20)

    def run_request(self):
        """What Run submits: the request the Run tab's plan shows (runner/prelaunch.request_of)."""
        from dpg_lora.runner.prelaunch import request_of

        result = self.doc.result
        if result.errors:
            self.status(tr("app.fix_errors", count=len(result.errors)), error=True)
            return None
        request = request_of(result, Path.cwd(), graph=self.doc.path)
        if self.folder_ask.refuses(result, request):  # never in the folder the editor was started from
            return None
        return request

    def run_training(self) -> None:
        if not self.files.needs_graph():
            return
        if self.run_panel is None:
            self.status(tr("app.no_run_panel"), error=True)
            return
        self.preview.select("Run")
        if self.run_panel.run_clicked() is not None:
            self.status(tr("app.queued"))

    def stop_training(self) -> None:
        if self.run_panel is not None:
            self.run_panel.stop_clicked()

    # ------------------------------------------------------------ the document
    @property
    def graph_open(self) -> bool:
        """False while the start page shows: the blank document it holds was not edited (an
        edit there, a paste say, makes it an untitled graph)."""
        return self.no_graph is None or self.no_graph != (self.doc, self.doc.revision)

    def show_start_page(self) -> None:
        """Close the graph (without asking: File -> Close asks first) and show the start page."""
        self.set_document(Document())
        self.no_graph = (self.doc, self.doc.revision)

    def _show_no_graph(self) -> None:
        self.start_page.show(True)
        if self.status_message() == tr("app.ready"):  # no canvas to right-click yet
            self.status(tr("start.ready"))
        self.preview.show_no_graph("start.no_graph_preview")
        dpg.set_value(self.summary, "")
        if dpg.is_viewport_ok():
            dpg.set_viewport_title("dpg-lora")
        self.shown_revision = self.doc.revision
        self._enable_graph_menus(False)

    def _enable_graph_menus(self, on: bool) -> None:
        """The menu items and preview buttons that need a graph: on only while one is open."""
        self.preview.enable_graph_buttons(on)
        for key in GRAPH_MENUS:
            item = self.menu_items.get(key)
            if item is not None:
                dpg.configure_item(item, enabled=on)

    def _refresh_presets(self) -> None:
        self.preset_actions.refresh_presets()
        if self.start_page.shown:
            self.start_page.fill_presets()

    def set_document(self, doc: Document, keep_view: bool = False) -> None:
        offset = self.canvas.offset
        self.canvas.clear()
        doc.context = self.context
        self.doc = doc
        self.sync.opened(doc)
        if keep_view:  # a reload of the same file: the view stays where it was
            self.canvas.offset = offset
        elif doc.graph.nodes:  # a new graph is fitted into the canvas once it is drawn
            self.canvas.request_fit(max_zoom=doc.graph.view.zoom if doc.graph.view.zoom < 1 else 1.0)
        self.picker.close()
        self.shown_revision = None

    def refresh(self) -> None:
        """Bring every view in line with the document (once per revision)."""
        doc = self.doc
        if not self.graph_open:
            self._show_no_graph()
            return
        if self.no_graph is not None:  # a graph is open now
            self.no_graph = None
            self.start_page.show(False)
            self._enable_graph_menus(True)
        self.canvas.sync(doc)
        result = doc.result
        self.preview.refresh(result)
        errors = len(result.errors)
        warnings = sum(d.severity == "warning" for d in result.diagnostics)
        dpg.set_value(self.summary, tr("app.summary", nodes=len(doc.graph.nodes), links=len(doc.graph.links),
                                       errors=errors, warnings=warnings, script=result.script))
        if dpg.is_viewport_ok():
            dpg.set_viewport_title(tr("app.title", title=doc.title))
        self.shown_revision = doc.revision
        if self.frame_after_sync:
            self.frame_after_sync = False
            self.canvas.frame_all()

    def turn(self) -> int:
        """One loop turn before a frame: drain queues, refresh only when the document changed.
        Returns how many frames the loop draws after this one without waiting: SETTLE_FRAMES when
        it changed what is shown (Dear ImGui settles sizes and popups), 1 when only the Run tab
        redrew (its log scrolls to the new end a frame later), 0 when nothing changed."""
        busy = self.sync.poll()
        if self.start_page.shown:
            self.start_page.follow()  # a splitter drag or collapse resized the canvas panel
        if self.canvas.pending_drop is not None:
            drop = self.canvas.take_drop()
            busy = True
            if drop:
                self.offer_link_drop(drop)
        run_redrawn = False
        if self.run_panel is not None:
            run_redrawn = bool(self.run_panel.drain(paced=self.waker.paced if self.waker.waits else None))
            if self.quit_when_runs_end and not self.run_panel.manager.active():
                dpg.stop_dearpygui()
        if self.data_job is not None:
            check = self.data_job.poll()
            if check is not None:
                busy = True
                stale = self.data_job.revision != self.doc.revision
                self.data_job = None
                self.preview.show_data_check(check, self.doc.result, stale)
                errors = sum(f.severity == "error" for f in check.findings)
                self.status(tr("app.data_checked_one") if errors == 1 else tr("app.data_checked", errors=errors),
                            error=bool(errors))
        busy |= self.check_profiles()
        for hook in self.on_turn:
            hook()
        self.remembered.poll()  # window and panel sizes, written once they stop changing
        if self.doc.revision != self.shown_revision:
            self.refresh()
            busy = True
        busy |= self.canvas.tick()  # a fit or reveal in progress measures the next frame
        self.view_actions.show_zoom()
        if self.canvas.highlight is not None:
            busy |= self.canvas.tick_highlight(self.doc)
        return SETTLE_FRAMES if busy else int(run_redrawn)

    def check_profiles(self, force: bool = False) -> bool:
        """Bring the compile context in line with the trainer folder's scripts (ui/profile_sync.py)."""
        return self.profile_sync.poll(force)

    def next_deadline(self) -> float | None:
        """The monotonic time at which the loop must run again without input (None: never)."""
        due = [self.sync.next_due(), self.canvas.highlight[1] + 0.01 if self.canvas.highlight else None,
               self.run_panel.next_due() if self.run_panel is not None else None, self.remembered.next_due()]
        return min((t for t in due if t is not None), default=None)

    def start_data_check(self) -> None:
        """Scan the dataset folders the way the trainer pairs files, off the UI thread."""
        from dpg_lora.validation.background import DataCheckJob

        if not self.files.needs_graph():
            return
        if self.data_job is not None:
            self.data_job.cancel(wait=0)
        result = self.doc.result
        root = os.path.join(os.getcwd(), result.cwd)  # relative dataset folders: against the trainer dir
        check = {}
        if result.hosts:  # the folders are on machine 0: one listing command over ssh
            from dpg_lora.remote.remote_files import host_check

            root = result.cwd or "."
            check = {"check": host_check(result.hosts[0], result.argv[0])}
        self.data_job = DataCheckJob(result.config, result.script, root, revision=self.doc.revision,
                                     wake=self.waker.wake, **check)
        self.preview.show_data_check(None, result)
        self.preview.select("Problems")
        self.status(tr("app.checking_data"))

    # ------------------------------------------------------------ small services for views
    def status(self, message: str, error: bool = False) -> None:
        """Show `message` in the status line; a catalogue text (tr) follows a language switch."""
        texts.bind_text(self.status_line, message, attribute="value")
        text = self.theme.data.get("colors", {}).get("mvThemeCol_Text", (220, 220, 220))
        dpg.configure_item(self.status_line, color=self.theme.color("error_text") if error else tuple(text))

    def status_message(self) -> str:
        return dpg.get_value(self.status_line)

    def register_text_input(self, item: int) -> None:
        self.text_inputs.add(item)

    def text_input_active(self) -> bool:
        for item in list(self.text_inputs):
            if not dpg.does_item_exist(item):
                self.text_inputs.discard(item)
            elif dpg.is_item_active(item):
                return True
        return False

    def _on_fold_click(self, sender, app_data, user_data=None):
        item = app_data[1] if isinstance(app_data, (list, tuple)) else app_data
        view = self.canvas.views.get(dpg.get_item_user_data(item))
        if view is not None:
            view.changes += 1  # the canvas measures it again (a reopened fold pushes nodes down)

    def _on_unfold(self, sender, item, user_data=None):
        view = self.canvas.views.get(dpg.get_item_user_data(item))
        if view is not None and view.advanced == item:
            view.open_advanced()

    def _on_first_hover(self, sender, item, user_data=None):
        data = dpg.get_item_user_data(item)
        view = self.canvas.views.get(data[0]) if isinstance(data, tuple) and len(data) == 2 else None
        if view is None or not view.add_tooltip(item, data[1]):
            dpg.bind_item_handler_registry(item, 0)

    def _on_key_commit(self, sender, item, user_data=None):
        data = dpg.get_item_user_data(item)
        if data:
            self.edit_value(data[0], data[1], dpg.get_value(item))

    def on_left_release(self) -> None:
        self.canvas.on_release()
        self.record_moves()

    def on_right_click(self) -> None:
        if self.canvas.is_hovered() and not self.picker.shown:
            self.open_canvas_menu()

    def switch_theme(self, name: str) -> None:
        self.canvas.clear()  # unbind the old node themes before deleting them
        old = self.theme
        self.theme_name = name
        self.theme = build_theme(name, scale=self.ui_scale)
        for item in old.items():
            dpg.delete_item(item)
        self._font()
        self.preview.shown_problems = ()
        self.start_page.rebuild()
        self.set_document(self.doc)

    # ------------------------------------------------------------ teardown (tests rebuild the UI)
    def destroy(self) -> None:
        owned = [self.root, self.node_menu, self.picker.window, self.handlers, self.key_commit_handlers,
                 self.unfold_handlers, self.hover_handlers,
                 self.preview.active_theme] + self.theme.items() + self.canvas.items() + self.panels.items()
        for item in owned:
            if dpg.does_item_exist(item):
                dpg.delete_item(item)
        self.dialogs.close_modal()
        self.dialogs.close_file_dialog()
        self.sync.close()
        self.profile_sync.close()
        texts.forget()


def make_waker(wait: bool) -> Waker:
    """The platform's way to sleep until input and to wake that sleep (ui/wake.py); without one
    the loop idles at IDLE_FPS. `wait=False` renders every turn (smoke tests)."""
    if not wait:
        return Waker(method="off")
    block, post, method = platform_calls()
    return Waker(block, post, method=method, idle_fps=IDLE_FPS)


def run_loop(app: EditorApp, max_frames: int | None = None, on_frame=None) -> int:
    """Wait, turn, frame, callbacks, until the viewport closes.

    The loop blocks until input or a wake-up unless the last turn or the last callbacks changed
    something (then SETTLE_FRAMES more frames are drawn at once). It waits *before* its turn, so
    what woke it is drained and drawn in the very next frame. `on_frame(frames)` runs after each
    frame (tests, benchmarks). Returns the number of frames drawn."""
    waker = app.waker
    frames, settle = 0, SETTLE_FRAMES
    mouse, frame_seconds = None, None
    while dpg.is_dearpygui_running() and (max_frames is None or frames < max_frames):
        waited = settle == 0 and waker.waits
        posted = waker.posts
        if waited:
            waker.wait()
        elif settle == 0 and waker.idle_fps:
            waker.idle_sleep(1.0 / waker.idle_fps)
        # the wait ended on one of our posts: a background event or a timer (input, if any came
        # with it, shows below as callbacks or a mouse move); what it changed, `turn` says
        woken = waited and waker.posts != posted
        settle = max(0, settle - 1)
        waker.served()
        settle = max(settle, app.turn())
        deadline = app.next_deadline()
        if deadline is not None:
            waker.wake_at(deadline)
        started = time.process_time()  # all threads: software GL draws on several
        dpg.render_dearpygui_frame()
        took = time.process_time() - started
        frame_seconds = took if frame_seconds is None else 0.8 * frame_seconds + 0.2 * took
        waker.pace = output_pace(frame_seconds)
        app.panels.after_frame()
        jobs = dpg.get_callback_queue()
        if jobs:
            dpg.run_callbacks(jobs)
        now_mouse = dpg.get_mouse_pos(local=False)
        if jobs or (waited and not woken) or now_mouse != mouse:
            settle = SETTLE_FRAMES  # input: let Dear ImGui settle (hover, popups), then wait again
        mouse = now_mouse
        frames += 1
        if on_frame is not None:
            on_frame(frames)
        if frames == 1 and app.finish_build():  # after the first frame is shown
            settle = SETTLE_FRAMES
    return frames


def run_editor(path: str | None = None, *, width: int | None = None, height: int | None = None,
               max_frames: int | None = None, wait: bool | None = None, on_frame=None) -> int:
    """Open the editor window (optionally with a graph file) and run until it is closed
    (or, for smoke tests, for `max_frames` frames). `wait` (default: unless `max_frames` is given)
    sleeps between inputs instead of rendering every turn. The first frame shows the canvas and
    preview; the side panels are built right after it.

    Without a size the window opens where it was last (clamped to the screens there are now), or
    on first start centred at most 90% of the primary screen's work area, and its place, size
    and panel widths are remembered in the user folder; a given size remembers nothing."""
    from dpg_lora.ui.screen import WindowTracker, saved_window, work_areas
    from dpg_lora.window_layout import restored_window

    remember = width is None and height is None
    dpg.create_context()
    dpg.configure_app(manual_callback_management=True)
    waker = make_waker(max_frames is None if wait is None else wait)
    app = EditorApp(watch=True, autosave=True, waker=waker, remember=remember)
    tracker = WindowTracker(app.remembered) if remember else None
    if remember:
        x, y, width, height = restored_window(saved_window(app.remembered), work_areas())
        dpg.create_viewport(title="dpg-lora", width=width, height=height, x_pos=x, y_pos=y, disable_close=True)
    else:
        width, height = width or 1500, height or 920
        dpg.create_viewport(title="dpg-lora", width=width, height=height, disable_close=True)
    app.build(width, height, defer=True)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    dpg.set_primary_window(app.root, True)
    dpg.set_viewport_resize_callback(lambda *_: app.layout())
    dpg.set_exit_callback(lambda *_: app.request_quit())
    if path:
        app.open_path(os.fspath(path))
    app.later.append(lambda: app.dialogs.modal is None and app.sync.offer_recovery())
    if tracker is not None:
        app.on_turn.append(tracker.poll)
    try:
        run_loop(app, max_frames, on_frame)
    finally:
        app.sync.close()  # stop the watcher thread before the context goes (it never calls dpg)
        app.remembered.flush()
        waker.close()
        if app.data_job is not None:
            app.data_job.cancel()
        dpg.destroy_context()
    return 0


__all__ = ["EditorApp", "run_editor", "run_loop"]
