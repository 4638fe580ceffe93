"""Modal questions and file pickers (Dear PyGui's own file dialog: works everywhere, even Xvfb)."""
from __future__ import annotations

import os
from typing import Callable, Sequence

import dearpygui.dearpygui as dpg

from dpg_lora.ui.texts import tr


def text_columns(text: str) -> int:
    """Width of `text` in Latin character cells: CJK and other wide characters take two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


class Dialogs:
    def __init__(self, ctx):
        self.ctx = ctx
        self.file_dialog = None
        self.modal = None

    # ------------------------------------------------------------ questions
    def ask(self, title: str, message: str, buttons: Sequence[tuple[str, Callable[[], None] | None]]) -> int:
        """A modal with one button per (label, action); any button closes it first."""
        self.close_modal()
        vw, vh = dpg.get_viewport_client_width(), dpg.get_viewport_client_height()
        with dpg.window(label=title, modal=True, no_collapse=True, autosize=True, no_saved_settings=True,
                        pos=(max(0, vw // 2 - 200), max(0, vh // 2 - 80)), on_close=self.close_modal) as win:
            dpg.add_text(message, wrap=int(400 * getattr(self.ctx, "ui_scale", 1.0)))
            dpg.add_spacer(height=6)
            with dpg.group(horizontal=True):
                # One width for all, wide enough for the longest label (about 8 px a character cell
                # at 100%; a Chinese character is two cells).
                scale = getattr(self.ctx, "ui_scale", 1.0)
                width = int(scale * max(110, 16 + 8 * max(text_columns(label) for label, _ in buttons)))
                for label, action in buttons:
                    dpg.add_button(label=label, width=width, user_data=action, callback=self._on_button)
        self.modal = win
        return win

    def _on_button(self, sender, app_data, user_data):
        self.close_modal()
        if user_data:
            user_data()

    def close_modal(self, *_):
        if self.modal and dpg.does_item_exist(self.modal):
            dpg.delete_item(self.modal)
        self.modal = None

    def error(self, title: str, message: str) -> None:
        self.ask(title, message, [(tr("dialog.ok"), None)])

    # ------------------------------------------------------------ files
    def pick_file(self, title: str, on_path: Callable[[str], None], *, save: bool = False,
                  directory: bool = False, extensions: Sequence[str] = (".json",),
                  start: str | None = None, default_name: str = "") -> int:
        """Show a file (or folder) picker; `on_path` gets the chosen path."""
        self.close_file_dialog()

        def chosen(sender, app_data):
            path = app_data.get("file_path_name", "") if isinstance(app_data, dict) else ""
            selections = app_data.get("selections") if isinstance(app_data, dict) else None
            if not save and not directory and selections:
                path = next(iter(selections.values()))
            self.close_file_dialog()
            if not path:
                return
            if save and extensions and extensions[0] != ".*" and not path.endswith(extensions[0]):
                path = path.rstrip(".*") if path.endswith(".*") else path
                if not path.endswith(extensions[0]):
                    path += extensions[0]
            on_path(path)

        vw, vh = dpg.get_viewport_client_width(), dpg.get_viewport_client_height()
        kwargs = dict(label=title, callback=chosen, cancel_callback=lambda *_: self.close_file_dialog(),
                      width=min(700, vw - 40), height=min(420, vh - 60), modal=True,
                      directory_selector=directory, default_filename=default_name)
        if start and os.path.isdir(start):
            kwargs["default_path"] = start
        with dpg.file_dialog(**kwargs) as dialog:
            if not directory:
                for ext in extensions:
                    dpg.add_file_extension(ext)
                if ".*" not in extensions:
                    dpg.add_file_extension(".*")
        self.file_dialog = dialog
        return dialog

    def close_file_dialog(self):
        if self.file_dialog and dpg.does_item_exist(self.file_dialog):
            dpg.delete_item(self.file_dialog)
        self.file_dialog = None

