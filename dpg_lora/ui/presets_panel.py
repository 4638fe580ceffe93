"""The preset browser: search box, preset list with an error badge, details, and actions.

A thin renderer: it shows the PresetInfo list it is given (`refresh(infos)`) and forwards clicks
to `store_callbacks`, which may define (a missing one disables its button):

    preset_infos() -> list[PresetInfo]      the listing shown by build() (else the settings' folders)
    open_preset(info)                       (else open_path_asking(str(path)) is used)
    save_current_as_preset(name)            the open graph as a user preset
    rename_preset(info, name)
    duplicate_preset(info)
    delete_preset(info)

After a store change the owner calls `refresh(list_presets(settings))` (the file watcher's
FolderChanged does the same). Built-in presets are read-only: Rename and Delete are off for them.
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Any, Callable, Iterator

import dearpygui.dearpygui as dpg

from dpg_lora.presets import PresetInfo, list_presets, search
from dpg_lora.settings import Settings, SettingsError, load_settings
from dpg_lora.ui.clicks import SecondClick
from dpg_lora.ui.texts import bind, bind_label, on_switch, tr

ERROR_COLOR = (235, 90, 80)
MUTED_COLOR = (150, 150, 150)


@contextlib.contextmanager
def _button_row() -> Iterator[None]:
    """Two buttons sharing a narrow panel's width: a one-row, two-column table."""
    with dpg.table(header_row=False, policy=dpg.mvTable_SizingStretchSame):
        dpg.add_table_column()
        dpg.add_table_column()
        with dpg.table_row():
            yield


class PresetsPanel:
    def __init__(self, parent: int | str, store_callbacks: Any) -> None:
        self.parent = parent
        self.callbacks = store_callbacks
        self.infos: list[PresetInfo] = []
        self.shown: list[PresetInfo] = []
        self.selected: PresetInfo | None = None
        self.clicks = SecondClick()  # a second click on the selected preset opens it
        self.tags: dict[str, int | str] = {}
        self._confirm_delete = False

    # ------------------------------------------------------------ callbacks

    def _callback(self, name: str) -> Callable | None:
        fn = getattr(self.callbacks, name, None)
        return fn if callable(fn) else None

    def _color(self, name: str, default: tuple[int, ...]) -> tuple[int, ...]:
        theme = getattr(self.callbacks, "theme", None)
        try:
            return theme.color(name, default) if theme is not None else default
        except Exception:  # noqa: BLE001 - a theme without that colour
            return default

    # ------------------------------------------------------------ building

    def build(self) -> None:
        t = self.tags
        with dpg.group(parent=self.parent) as t["root"]:
            bind(dpg.add_text(), "presets.title", "value")
            t["search"] = dpg.add_input_text(width=-1, callback=lambda s, a: self._render_list())
            bind(t["search"], "presets.search_hint", "hint")
            self._register_text_input(t["search"])
            t["list"] = dpg.add_child_window(height=260, width=-1, border=True)
            t["details"] = dpg.add_group()
            with _button_row():
                t["open"] = bind_label(dpg.add_button(width=-1, callback=lambda: self._open_clicked()),
                                       "presets.open")
                t["duplicate"] = bind_label(dpg.add_button(width=-1, callback=lambda: self._forward("duplicate_preset")),
                                            "presets.duplicate")
            t["name"] = dpg.add_input_text(width=-1)
            bind(t["name"], "presets.name_hint", "hint")
            self._register_text_input(t["name"])
            with _button_row():
                t["save_as"] = bind_label(dpg.add_button(width=-1, callback=lambda: self._save_as_clicked()),
                                          "presets.save_as")
                t["rename"] = bind_label(dpg.add_button(width=-1, callback=lambda: self._rename_clicked()),
                                         "presets.rename")
            t["delete"] = bind_label(dpg.add_button(width=-1, callback=lambda: self._delete_clicked()),
                                     "presets.delete")
        self.refresh(self._initial_infos())
        on_switch(self._render_list)  # the list, its tooltips and the details in the new language

    def _initial_infos(self) -> list[PresetInfo]:
        infos_fn = self._callback("preset_infos")
        if infos_fn:
            return infos_fn()
        # no store wired yet: list the settings' folders (the owner's presets_dir wins)
        try:
            settings = load_settings()
        except SettingsError:
            settings = Settings()
        presets_dir = getattr(self.callbacks, "presets_dir", None)
        if presets_dir is not None and Path(presets_dir).is_dir():
            settings = dataclasses.replace(settings, presets_dir=Path(presets_dir))
        return list_presets(settings)

    def _register_text_input(self, item: int | str) -> None:
        # lets the editor keep its shortcuts away from typing
        register = self._callback("register_text_input")
        if register:
            register(item)

    # ------------------------------------------------------------ rendering

    def refresh(self, infos: list[PresetInfo]) -> None:
        """Show a new listing; keeps the selection when the same file is still listed."""
        self.infos = list(infos)
        if self.selected is not None:
            self.selected = next((i for i in self.infos if i.path == self.selected.path), None)
        self._render_list()

    def _render_list(self) -> None:
        t = self.tags
        text = dpg.get_value(t["search"]) or ""
        self.shown = search(self.infos, text)
        dpg.delete_item(t["list"], children_only=True)
        if not self.shown:
            dpg.add_text(tr("presets.no_match") if self.infos else tr("presets.none"), parent=t["list"],
                         color=self._color("muted_text", MUTED_COLOR))
        for info in self.shown:
            label = ("! " if info.error else "") + (tr("presets.user_badge") if info.source == "user" else "") \
                + info.name
            item = dpg.add_selectable(label=label, parent=t["list"], user_data=info,
                                      default_value=info == self.selected,
                                      callback=lambda s, a, u: self._select(u))
            if info.error:
                dpg.bind_item_theme(item, self._error_theme())
            with dpg.tooltip(item):
                self._describe(info, wrap=320)
        self._render_details()

    def _describe(self, info: PresetInfo, wrap: int) -> None:
        if info.error:
            dpg.add_text(tr("presets.broken", error=info.error), wrap=wrap, color=self._color("error_text", ERROR_COLOR))
        else:
            if info.description:
                dpg.add_text(info.description, wrap=wrap)
            dpg.add_text(tr("presets.summary", script=info.script, count=info.node_count), wrap=wrap)
        source = "presets.source_user" if info.source == "user" else "presets.source_builtin"
        dpg.add_text(tr(source, file=info.path.name), wrap=wrap,
                     color=self._color("muted_text", MUTED_COLOR))

    def _render_details(self) -> None:
        t = self.tags
        dpg.delete_item(t["details"], children_only=True)
        info = self.selected
        if info is not None:
            dpg.push_container_stack(t["details"])
            try:
                dpg.add_text(info.name, wrap=0)
                self._describe(info, wrap=0)
            finally:
                dpg.pop_container_stack()
        user = info is not None and info.source == "user"
        self._enable("open", info is not None and not info.error and
                     bool(self._callback("open_preset") or self._callback("open_path_asking")))
        self._enable("duplicate", info is not None and not info.error and bool(self._callback("duplicate_preset")))
        self._enable("save_as", bool(self._callback("save_current_as_preset")))
        self._enable("rename", user and bool(self._callback("rename_preset")))
        self._enable("delete", user and bool(self._callback("delete_preset")))
        self._confirm_delete = False
        bind_label(t["delete"], "presets.delete")

    def _enable(self, key: str, on: bool) -> None:
        dpg.configure_item(self.tags[key], enabled=on)

    _error_theme_id: int | None = None

    def _error_theme(self) -> int:
        if self._error_theme_id is None or not dpg.does_item_exist(self._error_theme_id):
            with dpg.theme() as theme:
                with dpg.theme_component(dpg.mvAll):
                    dpg.add_theme_color(dpg.mvThemeCol_Text, self._color("error_text", ERROR_COLOR))
            self._error_theme_id = theme
        return self._error_theme_id

    # ------------------------------------------------------------ clicks

    def _select(self, info: PresetInfo) -> None:
        """A click selects a preset; a second click on it soon after opens it."""
        if self.clicks.is_second(info) and self.selected == info:
            self._open_clicked()
            return
        self.selected = info
        for item in dpg.get_item_children(self.tags["list"], 1) or []:
            if dpg.get_item_type(item).endswith("mvSelectable"):
                dpg.set_value(item, dpg.get_item_user_data(item) == info)
        if info.source == "user":
            dpg.set_value(self.tags["name"], info.name)
        self._render_details()

    def _open_clicked(self) -> None:
        if self.selected is None:
            return
        fn = self._callback("open_preset")
        if fn:
            fn(self.selected)
        elif self._callback("open_path_asking"):
            self.callbacks.open_path_asking(str(self.selected.path))

    def _forward(self, name: str, *args: Any) -> None:
        fn = self._callback(name)
        if fn and self.selected is not None:
            fn(self.selected, *args)

    def _typed_name(self) -> str:
        return (dpg.get_value(self.tags["name"]) or "").strip()

    def _save_as_clicked(self) -> None:
        fn = self._callback("save_current_as_preset")
        if fn:
            fn(self._typed_name())

    def _rename_clicked(self) -> None:
        self._forward("rename_preset", self._typed_name())

    def _delete_clicked(self) -> None:
        if not self._confirm_delete:  # a second click confirms
            self._confirm_delete = True
            bind_label(self.tags["delete"], "presets.confirm_delete")
            return
        self._confirm_delete = False
        bind_label(self.tags["delete"], "presets.delete")
        self._forward("delete_preset")
