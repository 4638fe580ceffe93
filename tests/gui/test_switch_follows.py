"""Texts that must follow View -> Language at once: the Script Loader's trainer-folder note, the
status line, and the Extra Settings box's tooltip (built with the node)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dpg_lora.i18n import load_catalogue
from dpg_lora.ui import texts
from dpg_lora.ui.texts import tr

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"
ZH = load_catalogue("zh-CN")


@pytest.fixture
def english(gui):
    yield gui
    gui.app.language_actions.set_language("en")


def tooltip_texts(gui, view) -> list[str]:
    """The texts of the tooltip that belongs to the Extra Settings box (its parent says whose)."""
    dpg = gui.dpg
    tip = dpg.get_item_parent(view.extra_tip)
    assert dpg.get_item_type(tip).endswith("mvTooltip")
    return [dpg.get_value(t) for t in dpg.get_item_children(tip, 1)]


def open_preset(gui) -> str:
    app = gui.app
    assert app.open_path(str(PRESET))
    gui.settle()
    return next(n.id for n in app.doc.graph.nodes if n.type == "script_loader")


def test_the_script_loader_note_follows_a_switch(english, tmp_path, monkeypatch):
    gui = english
    monkeypatch.chdir(tmp_path)
    app = gui.app
    loader = open_preset(gui)
    note = dict(app.canvas.views[loader].shown_problems)["warning"]
    assert note == tr("file.no_trainer_folder_note", cwd=str(tmp_path))
    app.language_actions.set_language("zh-CN")
    gui.frames(3)
    assert dict(app.canvas.views[loader].shown_problems)["warning"] == \
        ZH.text("file.no_trainer_folder_note", cwd=str(tmp_path))
    drawn = [gui.dpg.get_value(t) for t in gui.dpg.get_item_children(app.canvas.views[loader].problems, 1)]
    assert any(ZH.text("file.no_trainer_folder_note", cwd=str(tmp_path)) in t for t in drawn), drawn


def test_the_extra_settings_tooltip_follows_a_switch(english):
    gui = english
    app = gui.app
    open_preset(gui)
    node_id = app.doc.add_node("extra_settings", (0, 0), link_to=("script", "extra"))
    gui.frames(3)
    view = app.canvas.views[node_id]
    assert tooltip_texts(gui, view) == [tr("widgets.extra_help")]
    app.language_actions.set_language("zh-CN")
    gui.frames(2)
    assert tooltip_texts(gui, view) == [ZH.text("widgets.extra_help")] != [load_catalogue("en").text(
        "widgets.extra_help")]
    gui.show(node_id)
    gui.move(*gui.centre(view.extra_text), frames=4)  # hovered: the tooltip is drawn, in Chinese
    assert gui.dpg.get_item_state(view.extra_tip).get("visible")


def test_the_status_line_follows_a_switch(english):
    gui = english
    app = gui.app
    gui.frames(2)
    assert app.status_message() == tr("start.ready")  # the start page's status, set at start
    app.status(tr("file.no_graph_open"), error=True)
    texts.switch(ZH)  # any switch, not only the View menu's (which then says which language)
    gui.frames(2)
    assert app.status_message() == ZH.text("file.no_graph_open")
    app.status("as it is")  # a text not from the catalogue stays as it was written
    texts.switch(load_catalogue("en"))
    gui.frames(2)
    assert app.status_message() == "as it is"
    app.status(tr("app.ready"))
    app.language_actions.set_language("zh-CN")  # the View menu: the new language is named
    assert app.status_message() == ZH.text("lang.switched", name="简体中文")
