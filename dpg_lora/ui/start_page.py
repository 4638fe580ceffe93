"""The start page: shown in the canvas area while no graph is open (first start, File -> Close).

It offers what starts a graph: recent files (a missing one is marked and can be removed), the
presets with their descriptions (a double-click or Open opens one, as in the preset browser),
New empty, Open, Import a training config or an original-editor workflow, and where the trainer
folder comes from (DPG_LORA_TRAINER_DIR / .env, or the Script Loader's field), with a folder
picker that fills the Script Loader of the graphs started here.

A renderer over the app's own actions: opening goes through the File and Preset actions, so the
page hides itself when the app's document becomes a real graph (ui/app.py, `graph_open`).
"""
from __future__ import annotations

import os
from typing import Any

import dearpygui.dearpygui as dpg

from dpg_lora.presets import BUILTIN, USER, PresetInfo
from dpg_lora.trainer_folder import chosen_folder, train_scripts, unset_machine_fields, loader_id, venv_python
from dpg_lora.ui.clicks import SecondClick
from dpg_lora.ui import texts
from dpg_lora.ui.texts import tr

FOLDER_KEY, PYTHON_KEY = "start.trainer_dir", "start.python"  # remembered in ui_state.json
LIST_MIN_H = 100
HEADING_H = 150  # px above the lists: heading, intro, buttons, list titles
BUTTON_ROW_H = 36  # the Open preset row under the presets
RECENT_SHARE = 0.36  # of the height below the heading; the trainer folder section takes the rest
LIST_PAD, PRESET_ROW_H, RECENT_ROW_H = 16, 80, 46  # about what a list's rows take


class StartPage:
    def __init__(self, app: Any, panel: int | str):
        """Build the page beside `panel` (the canvas's child window), to be shown in its place:
        a sibling, so the canvas's zoom font and theme do not apply to it."""
        self.app = app
        self.panel = panel
        self.shown = True
        self.items: dict[str, int] = {}  # buttons and groups by name (tests click them)
        self.recent_items: dict[str, int] = {}  # path -> its selectable (or text, when missing)
        self.remove_items: dict[str, int] = {}  # missing path -> its Remove button
        self.preset_items: dict[str, int] = {}  # preset file -> its selectable
        self.infos: list[PresetInfo] = []
        self.selected: PresetInfo | None = None
        self.clicks = SecondClick()
        state = app.remembered.state  # the window's remembered state (ui/remember.py)
        self.folder = state.get_str(FOLDER_KEY) or None  # the trainer folder for graphs started here
        self.python = state.get_str(PYTHON_KEY) or None
        self.size = (400, 400)
        row = dpg.get_item_parent(panel)
        siblings = dpg.get_item_children(row, 1) or []
        after = siblings[siblings.index(panel) + 1:] if panel in siblings else []
        self.window = dpg.add_child_window(parent=row, width=400, height=400, border=False,
                                           **({"before": after[0]} if after else {}))
        self._build()
        texts.on_switch(self.rebuild)  # View -> Language: the page again in the new language

    # ------------------------------------------------------------ building
    def _muted(self) -> tuple[int, ...]:
        return self.app.theme.color("muted_text")

    def _build(self) -> None:
        i = self.items
        with dpg.group(parent=self.window):
            dpg.add_spacer(height=6)
            dpg.add_text(tr("start.heading"))
            dpg.add_text(tr("start.intro"), color=self._muted(), wrap=0)
            dpg.add_spacer(height=4)
            with dpg.group(horizontal=True):
                i["new"] = dpg.add_button(label=tr("start.new_empty"), callback=lambda: self.app.new_file())
                i["open"] = dpg.add_button(label=tr("start.open"), callback=lambda: self.app.open_file())
                i["import"] = dpg.add_button(label=tr("start.import"), callback=lambda: self.import_here())
            dpg.add_spacer(height=6)
            with dpg.table(header_row=False, policy=dpg.mvTable_SizingStretchProp):
                dpg.add_table_column(init_width_or_weight=1.0)
                dpg.add_table_column(init_width_or_weight=1.15)
                with dpg.table_row():
                    with dpg.group():
                        dpg.add_text(tr("start.recent"))
                        i["recent"] = dpg.add_child_window(height=200, width=-1, border=True)
                        dpg.add_spacer(height=6)
                        dpg.add_text(tr("start.trainer_heading"))
                        i["trainer"] = dpg.add_group()
                        with dpg.group(horizontal=True):
                            i["choose_folder"] = dpg.add_button(label=tr("start.choose_folder"),
                                                                callback=lambda: self.choose_folder())
                            i["forget_folder"] = dpg.add_button(label=tr("start.forget_folder"),
                                                                callback=lambda: self.set_folder(None))
                    with dpg.group():
                        dpg.add_text(tr("start.presets"))
                        i["presets"] = dpg.add_child_window(height=300, width=-1, border=True)
                        with dpg.group(horizontal=True):
                            i["open_preset"] = dpg.add_button(label=tr("start.open_preset"), enabled=False,
                                                              callback=lambda: self.open_selected())
                            i["preset_hint"] = dpg.add_text(tr("start.preset_hint"), color=self._muted())
        self.fill_recent()
        self.fill_trainer()

    def layout(self, width: int | None = None, height: int | None = None) -> None:
        """Take the canvas panel's size; the lists get what its height leaves them, at most
        about what they hold (so a tall window leaves no empty boxes)."""
        if width is not None and height is not None:
            self.size = (width, height)
            dpg.configure_item(self.window, width=width, height=height)
        below_heading = self.size[1] - HEADING_H
        presets = min(below_heading - BUTTON_ROW_H, LIST_PAD + PRESET_ROW_H * max(1, len(self.infos)))
        recent_rows = max(1, len(self.recent_items))
        recent_h = min(int(below_heading * RECENT_SHARE), LIST_PAD + RECENT_ROW_H * recent_rows)
        dpg.configure_item(self.items["presets"], height=max(LIST_MIN_H, presets))
        dpg.configure_item(self.items["recent"], height=max(LIST_MIN_H, recent_h))

    def follow(self) -> None:
        """Keep the canvas panel's size (the panel layout sizes that panel, shown or not)."""
        if not dpg.does_item_exist(self.panel):
            return  # the window is being torn down
        config = dpg.get_item_configuration(self.panel)
        size = (int(config["width"]), int(config["height"]))
        if size != self.size:
            self.layout(*size)

    def show(self, shown: bool) -> None:
        """Show the page instead of the node canvas (or the canvas again)."""
        if shown and not self.shown:
            self.refresh()
        self.shown = shown
        dpg.configure_item(self.window, show=shown)
        dpg.configure_item(self.panel, show=not shown)  # (a node editor ignores show=False itself)

    def rebuild(self) -> None:
        """Build the page again in the current language and theme (the lists included)."""
        if not dpg.does_item_exist(self.window):
            return  # the window is gone (a test's editor torn down)
        dpg.delete_item(self.window, children_only=True)
        self.items.clear()
        self._build()
        self.fill_presets()

    def refresh(self) -> None:
        self.fill_recent()
        self.fill_presets()
        self.fill_trainer()

    # ------------------------------------------------------------ recent files
    def fill_recent(self) -> None:
        box = self.items["recent"]
        dpg.delete_item(box, children_only=True)
        self.recent_items.clear()
        self.remove_items.clear()
        files = self.app.files.recent_files()
        if not files:
            dpg.add_text(tr("start.recent_none"), parent=box, color=self._muted(), wrap=0)
        for path in files:
            folder, name = os.path.split(path)
            if os.path.isfile(path):
                item = dpg.add_selectable(label=name, parent=box, user_data=path,
                                          callback=lambda s, a, u: self._open_recent(s, u))
                dpg.add_text(folder, parent=box, color=self._muted(), indent=12, wrap=0)
            else:
                with dpg.group(horizontal=True, parent=box):
                    item = dpg.add_text(tr("start.recent_missing", name=name),
                                        color=self.app.theme.color("warning_text"))
                    self.remove_items[path] = dpg.add_button(label=tr("start.remove"), small=True, user_data=path,
                                                             callback=lambda s, a, u: self.forget(u))
                dpg.add_text(folder, parent=box, color=self._muted(), indent=12, wrap=0)
            with dpg.tooltip(item):
                dpg.add_text(path)
            self.recent_items[path] = item
        self.layout()

    def _open_recent(self, sender: int, path: str) -> None:
        dpg.set_value(sender, False)
        if not os.path.isfile(path):  # gone since the list was drawn
            self.fill_recent()
            return
        self.app.open_path_asking(path)

    def forget(self, path: str) -> None:
        self.app.files.forget_recent(path)
        self.fill_recent()

    # ------------------------------------------------------------ presets
    def fill_presets(self) -> None:
        box = self.items["presets"]
        dpg.delete_item(box, children_only=True)
        self.preset_items.clear()
        self.infos = list(self.app.preset_infos())
        if self.selected is not None:
            self.selected = next((p for p in self.infos if p.path == self.selected.path), None)
        if not self.infos:
            dpg.add_text(tr("start.presets_none"), parent=box, color=self._muted(), wrap=0)
        muted, error = self._muted(), self.app.theme.color("error_text")
        for info in self.infos:
            label = tr("start.preset_user", name=info.name) if info.source == USER else info.name
            item = dpg.add_selectable(label=label, parent=box, user_data=info, default_value=info == self.selected,
                                      callback=lambda s, a, u: self._preset_clicked(u))
            self.preset_items[str(info.path)] = item
            if info.error:
                dpg.add_text(tr("start.preset_broken", error=info.error), parent=box, color=error,
                             indent=12, wrap=0)
                continue
            if info.description:
                dpg.add_text(info.description, parent=box, indent=12, wrap=0)
            dpg.add_text(tr("start.preset_facts", script=info.script, count=info.node_count), parent=box,
                         color=muted, indent=12)
        self._enable_open()
        self.layout()

    def _enable_open(self) -> None:
        info = self.selected
        dpg.configure_item(self.items["open_preset"], enabled=info is not None and not info.error)

    def _preset_clicked(self, info: PresetInfo) -> None:
        """A click selects a preset; a second click on it soon after opens it."""
        if self.clicks.is_second(info.path):
            self.open_selected()
            return
        self.selected = info
        for item in self.preset_items.values():
            dpg.set_value(item, dpg.get_item_user_data(item) == info)
        self._enable_open()

    def open_selected(self) -> None:
        info = self.selected
        if info is None or info.error:
            return
        before = self.app.doc
        self.app.open_preset(info)
        if info.source == BUILTIN and self.app.doc is not before:  # an untitled copy: a new graph
            self.adopt_folder()

    # ------------------------------------------------------------ import
    def import_here(self) -> None:
        self.app.import_file(then=self.adopt_folder)

    # ------------------------------------------------------------ trainer folder
    def fill_trainer(self) -> None:
        box = self.items["trainer"]
        dpg.delete_item(box, children_only=True)
        app, muted = self.app, self._muted()
        settings = app.settings
        trainer_dir = app.context.trainer_dir
        if trainer_dir:
            source = settings.sources.get("DPG_LORA_TRAINER_DIR", "")
            dpg.add_text(tr("start.trainer_from_setting", folder=trainer_dir, source=source), parent=box, wrap=0)
        else:
            dpg.add_text(tr("start.trainer_not_set", cwd=os.getcwd()), parent=box, wrap=0,
                         color=app.theme.color("warning_text"))
        python = app.context.python
        dpg.add_text(tr("start.python_from_setting", python=python,
                        source=settings.sources.get("DPG_LORA_PYTHON", "")) if python
                     else tr("start.python_default"), parent=box, wrap=0)
        dpg.add_text(tr("start.trainer_how"), parent=box, wrap=0, color=muted)
        if self.folder:
            scripts = train_scripts(self.folder)
            dpg.add_text(tr("start.chosen_folder", folder=self.folder), parent=box, wrap=0,
                         color=app.theme.color("info_text"))
            if self.python:
                dpg.add_text(tr("start.chosen_python", python=self.python), parent=box, wrap=0,
                             color=app.theme.color("info_text"))
            dpg.add_text(tr("start.chosen_scripts", count=len(scripts), names=", ".join(scripts[:4]))
                         if scripts else tr("start.chosen_no_scripts"), parent=box, wrap=0,
                         color=muted if scripts else app.theme.color("warning_text"))
        dpg.configure_item(self.items["forget_folder"], show=bool(self.folder))

    def choose_folder(self) -> None:
        start = self.folder or self.app.context.trainer_dir or os.path.expanduser("~")
        self.app.dialogs.pick_file(tr("start.choose_folder_title"), self.set_folder, directory=True, start=start)

    def set_folder(self, folder: str | None) -> None:
        """Remember `folder` (None: forget it) as the trainer folder of the graphs started here,
        with the Python of a virtual environment inside it when there is one."""
        folder = chosen_folder(folder) if folder else None
        self.folder = folder
        self.python = venv_python(folder) if folder else None
        self.app.remembered.set(FOLDER_KEY, folder or "")  # written with the window's state
        self.app.remembered.set(PYTHON_KEY, self.python or "")
        self.fill_trainer()
        if folder:
            self.app.status(tr("start.folder_chosen", folder=folder))

    def adopt_folder(self) -> None:
        """Fill the new graph's Script Loader with the chosen folder (and Python) where it leaves
        them unset: one undoable edit, so the file that is saved says where it runs."""
        doc = self.app.doc
        if not self.folder or doc.path:
            return
        fill = unset_machine_fields(doc.graph, self.folder, self.python)
        node_id = loader_id(doc.graph)
        if fill and node_id is not None:
            doc.replace_values(node_id, {**doc.graph.node(node_id).values, **fill})
            doc.seal()
            self.app.status(tr("start.folder_adopted", folder=self.folder))
