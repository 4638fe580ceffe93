"""View -> Language and View -> UI scale tick the current choice, and keep it ticked after a
switch made by real clicks (a click on a check item toggles it; the editor sets every mark again)."""
from __future__ import annotations

import pytest

from dpg_lora.i18n import LANGUAGE_NAMES
from dpg_lora.settings import UI_SCALES
from tests.gui.test_language import open_menu_path


@pytest.fixture
def english(gui):
    yield gui
    gui.app.language_actions.set_language("en")
    gui.app.language_actions.set_scale(100)


def ticks(gui, labels) -> dict[str, bool]:
    items = gui.app.menu_items
    for label in labels:
        assert gui.dpg.get_item_configuration(items[label])["check"] is True, label
    return {label: gui.dpg.get_value(items[label]) for label in labels}


LANGS = [LANGUAGE_NAMES[c] for c in ("en", "zh-CN")]
SCALES = [f"{p}%" for p in UI_SCALES]


def test_the_current_language_and_scale_are_ticked_and_stay_ticked_after_a_switch(english):
    gui = english
    assert ticks(gui, LANGS) == {"English": True, "简体中文": False}
    assert ticks(gui, SCALES) == {s: s == "100%" for s in SCALES}

    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["zh-CN"])
    assert gui.app.status_message().startswith("语言")
    assert ticks(gui, LANGS) == {"English": False, "简体中文": True}
    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["zh-CN"])  # the current one again
    assert ticks(gui, LANGS) == {"English": False, "简体中文": True}

    open_menu_path(gui, "menu.view", "scale.menu", "150%")
    assert gui.app.language_actions.scale == 150
    assert ticks(gui, SCALES) == {s: s == "150%" for s in SCALES}
    assert ticks(gui, LANGS) == {"English": False, "简体中文": True}
    open_menu_path(gui, "menu.view", "scale.menu", "150%")  # clicking the ticked one keeps it ticked
    assert ticks(gui, SCALES) == {s: s == "150%" for s in SCALES}

    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["en"])
    assert ticks(gui, LANGS) == {"English": True, "简体中文": False}
    assert ticks(gui, SCALES) == {s: s == "150%" for s in SCALES}


def test_without_a_cjk_font_english_stays_ticked(english, monkeypatch):
    gui = english
    monkeypatch.setattr(type(gui.app.language_actions), "font_ready", staticmethod(lambda: False))
    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["zh-CN"])
    assert "fonts-noto-cjk" in gui.app.status_message()
    assert ticks(gui, LANGS) == {"English": True, "简体中文": False}


def test_a_window_built_at_another_scale_ticks_that_one(english):
    gui = english
    gui.app.language_actions.set_scale(125)
    gui.frames(2)
    assert ticks(gui, SCALES) == {s: s == "125%" for s in SCALES}
    entries = gui.app.language_actions.menu_entries()  # what the next build of the menu bar ticks
    assert [e[3] for e in entries[1][2]] == [p == 125 for p in UI_SCALES]
