"""View -> Language and View -> UI scale: chosen at start, switched at run time, remembered.

Start language: DPG_LORA_LANG, else the one remembered in ui_state (`language`), else the system
locale, else English (dpg_lora.i18n.start_language). Chinese needs a font with Chinese glyphs
(ui/theme.py finds one); without one the editor stays in English and says which font to install.

A switch relabels in place (ui/texts.py: bound items and on_switch hooks) and redraws the views
whose text is made per revision; the document, undo history, selection, pan and zoom, the open
tab, the run panel and any typed text stay as they are, since no item is rebuilt.

UI scale (`ui.scale`, DPG_LORA_UI_SCALE): the window's font is loaded at the scaled pixel size (not
a global font scale, which blurs) and the window-wide style sizes are scaled; the canvas keeps its
own zoom (its font and sizes are per zoom level). `app.ui_scale` is the factor for fixed widths.
"""
from __future__ import annotations

import os
from typing import Any, Protocol

from dpg_lora.i18n import LANGUAGE_NAMES, LANGUAGES, load_catalogue, start_language
from dpg_lora.settings import UI_SCALES, Settings
from dpg_lora.ui import texts
from dpg_lora.ui.remember import Remembered
from dpg_lora.ui.texts import tr


class LanguageHost(Protocol):
    settings: Settings
    remembered: Remembered
    shown_revision: int | None

    def status(self, message: str, error: bool = False) -> None: ...


def scale_label(percent: int) -> str:
    """A UI scale as View -> UI scale lists it (and the menu item's key in the app's menu_items)."""
    return f"{percent}%"


def start_scale(setting: int | None, remembered: int | None) -> int:
    """DPG_LORA_UI_SCALE, else the remembered `ui.scale`, else 100 (percent)."""
    for choice in (setting, remembered):
        if choice in UI_SCALES:
            return int(choice)
    return 100


class LanguageActions:
    def __init__(self, host: Any):
        self.host = host
        self.start_note: str | None = None  # shown in the status bar instead of "Ready"
        settings, state = host.settings, host.remembered.state
        language = start_language(settings.language, state.get_str("language"), os.environ)
        if language != "en" and not self.font_ready():
            texts.use(load_catalogue("en"))
            self.start_note = tr("lang.no_font", name=LANGUAGE_NAMES[language])
            language = "en"
        texts.use(load_catalogue(language))
        self.scale = start_scale(settings.ui_scale, state.get_int("ui.scale"))

    @staticmethod
    def font_ready() -> bool:
        from dpg_lora.ui.theme import has_cjk_font

        return has_cjk_font()

    def menu_entries(self) -> list:
        """View menu entries: Language (each in its own name) and UI scale, the current ones ticked."""
        languages = [(LANGUAGE_NAMES[code], "", (lambda c=code: self.set_language(c)), code == texts.language())
                     for code in LANGUAGES]
        scales = [(scale_label(percent), "", (lambda p=percent: self.set_scale(p)), percent == self.scale)
                  for percent in UI_SCALES]
        return [(tr("lang.menu"), "", languages), (tr("scale.menu"), "", scales)]

    def show_checks(self) -> None:
        """Tick the current language and scale in the View menu, untick the others (a click
        toggles the item clicked, whatever the switch did)."""
        import dearpygui.dearpygui as dpg

        items = getattr(self.host, "menu_items", None) or {}
        marks = [(LANGUAGE_NAMES[code], code == texts.language()) for code in LANGUAGES]
        marks += [(scale_label(percent), percent == self.scale) for percent in UI_SCALES]
        for label, on in marks:
            item = items.get(label)
            if item is not None and dpg.does_item_exist(item):
                dpg.set_value(item, on)

    # ------------------------------------------------------------ language
    def set_language(self, language: str) -> bool:
        """Switch to `language` now; False (and a status line) when it cannot be shown."""
        name = LANGUAGE_NAMES[language]
        if language == texts.language():
            self.show_checks()
            self.host.status(tr("lang.switched", name=name))
            return True
        if language != "en" and not self.font_ready():
            self.show_checks()
            self.host.status(tr("lang.no_font", name=name), error=True)
            return False
        texts.switch(load_catalogue(language))
        self.retranslate()
        self.remember("language", language)
        self.show_checks()
        self.host.status(tr("lang.switched", name=name))
        return True

    def retranslate(self) -> None:
        """Redraw what is made per revision or per refresh (bound items were relabelled already)."""
        host = self.host
        for view in (getattr(host, "canvas", None), getattr(host, "preview", None),
                     getattr(host, "run_panel", None)):
            hook = getattr(view, "retranslate", None)
            if callable(hook):
                hook()
        preview = getattr(host, "preview", None)
        if preview is not None and hasattr(preview, "shown_problems"):
            preview.shown_problems = ()  # the problem list is drawn again in the new language
        picker = getattr(host, "picker", None)
        if picker is not None:
            picker.close()
        refresh_recent = getattr(host, "refresh_recent", None)
        if callable(refresh_recent) and getattr(host, "menu_items", None):
            refresh_recent()
        host.shown_revision = None  # status summary, title, preview: drawn again next turn

    # ------------------------------------------------------------ UI scale
    def set_scale(self, percent: int) -> None:
        from dpg_lora.ui.theme import rescale_theme

        host = self.host
        if percent not in UI_SCALES:
            return
        if percent != self.scale:
            self.scale = percent
            rescale_theme(host.theme, percent / 100)
            host._font()
            zoom_box = getattr(getattr(host, "view_actions", None), "zoom_box", 0)
            if zoom_box:
                import dearpygui.dearpygui as dpg

                from dpg_lora.ui.view_actions import ZOOM_BOX_W

                dpg.configure_item(zoom_box, width=round(ZOOM_BOX_W * percent / 100))
            host.layout()
            self.remember("ui.scale", percent)
        self.show_checks()
        host.status(tr("scale.switched", percent=percent))

    # ------------------------------------------------------------ remembering
    def remember(self, key: str, value: object) -> None:
        """Kept in the window's remembered state (written to ui_state.json when the editor remembers)."""
        self.host.remembered.set(key, value)
