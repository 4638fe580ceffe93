"""View -> Language and View -> UI scale, driven by real clicks on the menu bar.

A switch relabels in place: the graph, the undo history, the selection, pan and zoom, the open
preview tab and typed text stay; the choice is remembered in ui_state.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpg_lora.graph import graph_to_text
from dpg_lora.i18n import LANGUAGE_NAMES, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "single_image.json"


def open_menu_path(gui, *keys: str) -> None:
    """Click through the menu bar as a user does: the menu, hover each submenu, click the item.

    Menus and menu items report their position inside their popup window (`pos`), and an open
    menu reports its popup's size (`rect_size`); a top-level popup opens under the menu bar at its
    menu's x, a submenu's popup to the right of its parent, its first row level with the submenu's."""
    dpg, items, scale = gui.dpg, gui.app.menu_items, gui.app.ui_scale
    row = gui.app.theme.font_size * scale  # a menu row's text line
    pad = 8 * scale  # WindowPadding.y (ui/theme.py SCALED_STYLES)
    first = items[keys[0]]
    x, y = dpg.get_item_state(first)["pos"]
    gui.click(int(x + row), int(y + row / 2 + 3 * scale))
    gui.frames(2)
    left, top = x, row + 6 * scale  # the menu bar is one line and FramePadding.y above and below
    width = dpg.get_item_state(first)["rect_size"][0]
    assert width > 0, f"{keys[0]} did not open"
    for key in keys[1:]:
        item = items[key]
        px, py = dpg.get_item_state(item)["pos"]
        at = (int(left + px + row), int(top + py + row / 2))
        if dpg.get_item_type(item).endswith("mvMenu"):
            gui.move(*at, frames=3)  # hovering a submenu opens it
            sub_width = dpg.get_item_state(item)["rect_size"][0]
            assert sub_width > 0, f"{key} did not open"
            gui.move(int(left + width + 4), at[1], frames=3)  # along the row into the submenu
            left, top, width = left + width, top + py - pad, sub_width
        else:
            gui.click(*at)
    gui.frames(3)


def labels(gui, *keys: str) -> list[str]:
    return [gui.dpg.get_item_label(gui.app.menu_items[k]) for k in keys]


def remembered(gui, key: str):
    return gui.app.remembered.state.get(key)  # the window's state (the file when it remembers)


@pytest.fixture
def english(gui):
    """Whatever a test did, the next one starts in English at 100%."""
    yield gui
    gui.app.language_actions.set_language("en")
    gui.app.language_actions.set_scale(100)


def test_switching_to_chinese_and_back_by_the_menu_keeps_everything(english):
    gui = english
    app, dpg = gui.app, gui.dpg
    assert app.open_path(str(PRESET))
    gui.settle()
    node = next(n.id for n in app.doc.graph.nodes if n.type == "script_loader")
    app.edit_value(node, "trainer_dir", "/tmp/somewhere else")  # one undoable edit
    gui.show(node)
    gui.click(*gui.title(node))  # select it by a real click
    gui.frames(3)
    assert app.canvas.selection()[0] == [node]
    app.preview.select("Command")
    name_box = app.presets_panel.tags["name"]
    gui.click(*gui.centre(name_box))
    gui.type("half typed")  # typed, never committed
    gui.frames(2)
    def state():
        return dict(graph=graph_to_text(app.doc.graph), doc=app.doc, revision=app.doc.revision,
                    undo=[cmd.label for cmd, _ in app.doc._undo], offset=app.canvas.offset, zoom=app.canvas.zoom,
                    selection=app.canvas.selection()[0], tab=app.preview.current, typed=dpg.get_value(name_box))

    before = state()
    assert before["typed"] == "half typed" and before["undo"]
    assert labels(gui, "menu.file", "menu.view") == ["File", "View"]

    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["zh-CN"])
    gui.frames(3)
    assert labels(gui, "menu.file", "menu.edit", "menu.view", "menu.run", "menu.save") == \
        ["文件", "编辑", "视图", "运行", "保存"]
    assert dpg.get_item_label(app.presets_panel.tags["open"]) == "打开"
    assert "语言：简体中文" in app.status_message()
    assert "个节点" in dpg.get_value(app.summary)
    node_label = dpg.get_item_label(app.canvas.views[node].item)
    assert node_label.startswith(load_catalogue("zh-CN").text("node.script_loader.title"))  # nodes too
    path_label = dpg.get_value(app.canvas.views[node].fields["trainer_dir"].label_text)
    assert path_label != "Trainer directory" and any(ord(ch) > 0x2E80 for ch in path_label)
    assert remembered(gui, "language") == "zh-CN"
    assert state() == before
    app.undo()  # the history survived: the edit made in English is undone
    gui.frames(2)
    assert app.doc.graph.node(node).values.get("trainer_dir") != "/tmp/somewhere else"

    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["en"])  # the menus now read 视图 / 语言
    assert labels(gui, "menu.file", "menu.view", "lang.menu") == ["File", "View", "Language"]
    assert dpg.get_item_label(app.presets_panel.tags["open"]) == "Open"
    assert dpg.get_item_label(app.canvas.views[node].item).startswith("Script Loader")
    assert dpg.get_value(app.canvas.views[node].fields["trainer_dir"].label_text) == "Trainer directory"
    assert "nodes" in dpg.get_value(app.summary)
    assert remembered(gui, "language") == "en"


def test_without_a_cjk_font_chinese_says_what_to_install_and_stays_english(english, monkeypatch):
    gui = english
    monkeypatch.setattr(type(gui.app.language_actions), "font_ready", staticmethod(lambda: False))
    open_menu_path(gui, "menu.view", "lang.menu", LANGUAGE_NAMES["zh-CN"])
    assert labels(gui, "menu.file") == ["File"]
    assert "fonts-noto-cjk" in gui.app.status_message() and "fonts-wqy-microhei" in gui.app.status_message()


def test_ui_scale_loads_the_font_at_the_scaled_size(english):
    gui = english
    app, dpg = gui.app, gui.dpg
    gui.frames(2)
    small = dpg.get_item_rect_size(app.status_line)[1]  # the status line's text as drawn
    button = dpg.get_item_rect_size(app.presets_panel.tags["open"])[1]
    open_menu_path(gui, "menu.view", "scale.menu", "200%")
    gui.frames(3)
    assert 1.8 <= dpg.get_item_rect_size(app.status_line)[1] / small <= 2.2
    assert 1.8 <= dpg.get_item_rect_size(app.presets_panel.tags["open"])[1] / button <= 2.2  # padding too
    assert app.ui_scale == 2.0 and remembered(gui, "ui.scale") == 200
    assert "200%" in app.status_message()
    open_menu_path(gui, "menu.view", "scale.menu", "100%")  # clicked at the 200% geometry
    gui.frames(3)
    assert abs(dpg.get_item_rect_size(app.status_line)[1] - small) <= 1
    assert remembered(gui, "ui.scale") == 100


CHILD = r"""
import json, sys
import dearpygui.dearpygui as dpg
from dpg_lora.ui.app import EditorApp
dpg.create_context()
dpg.configure_app(manual_callback_management=True)
dpg.create_viewport(title="lang", width=1200, height=800, x_pos=0, y_pos=0)
app = EditorApp(runner=False, remember=True).build(1200, 800)
dpg.setup_dearpygui(); dpg.show_viewport(); dpg.set_primary_window(app.root, True)
for _ in range(4):
    app.turn(); dpg.render_dearpygui_frame(); dpg.run_callbacks(dpg.get_callback_queue())
print(json.dumps({"file": dpg.get_item_label(app.menu_items["menu.file"]), "status": app.status_message(),
                  "height": dpg.get_item_rect_size(app.status_line)[1]}))
app.destroy()
dpg.destroy_context()
"""


def start(env: dict, tmp_path, drop: tuple[str, ...] = ()) -> dict:
    """Start the editor in a child process with `env` over ours (without `drop` and our DPG_LORA_LANG
    and DPG_LORA_UI_SCALE); what it showed after a few frames."""
    given = env
    env = {k: v for k, v in os.environ.items() if k not in drop + ("DPG_LORA_LANG", "DPG_LORA_UI_SCALE")}
    env.update(given, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120,
                          env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_dpg_lora_lang_sets_the_start_language_over_the_remembered_one(x_display, tmp_path):
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "ui_state.json").write_text(json.dumps({"language": "en", "ui.scale": 150}))
    shown = start({"DPG_LORA_LANG": "zh-CN", "LANG": "C.UTF-8"}, tmp_path)
    assert shown["file"] == "文件" and shown["status"].startswith("就绪")
    plain = start({"DPG_LORA_LANG": "en", "DPG_LORA_UI_SCALE": "100"}, tmp_path)
    assert plain["file"] == "File"
    remembered_scale = start({"DPG_LORA_LANG": "en"}, tmp_path)  # ui.scale 150 from the state file
    assert remembered_scale["height"] > plain["height"] * 1.3


def test_the_system_locale_chooses_chinese_when_nothing_else_does(x_display, tmp_path):
    shown = start({"LANG": "zh_CN.UTF-8"}, tmp_path, drop=("LC_ALL", "LC_MESSAGES", "DPG_LORA_LANG"))
    assert shown["file"] == "文件"


def test_bound_texts_follow_the_catalogue_and_hooks_run_while_their_view_lives(english):
    from dpg_lora.ui import texts

    dpg = english.dpg
    calls = []

    class View:
        def retranslate(self):
            calls.append(texts.language())

    view = View()
    with dpg.window(show=False) as window:
        button = texts.bind_label(dpg.add_button(), "presets.open")
        line = texts.bind_value(dpg.add_text(), "presets.summary", script="train_longcat.py", count=3)
        plain = texts.bind_text(dpg.add_button(), "as it is")
    texts.on_switch(view.retranslate)
    try:
        texts.switch(load_catalogue("zh-CN"))
        assert dpg.get_item_label(button) == "打开" and dpg.get_value(line) == "train_longcat.py - 3 个节点"
        assert dpg.get_item_label(plain) == "as it is" and calls == ["zh-CN"]
        del view  # a hook of a view that is gone is dropped
        dpg.delete_item(button)
        texts.switch(load_catalogue("en"))
        assert dpg.get_value(line) == "train_longcat.py - 3 nodes" and calls == ["zh-CN"]
    finally:
        dpg.delete_item(window)
