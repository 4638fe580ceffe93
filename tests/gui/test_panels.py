"""The side panels and the window, with real X input: drag a splitter, collapse and bring back a
panel, widths and the window's place remembered across a restart (a second process with the same
user folder), the first window fitted to the screen. Asserted on what Dear PyGui reports as drawn."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dpg_lora.ui_state import load_ui_state, ui_state_path
from dpg_lora.window_layout import CANVAS_MIN, LEFT_MIN, SCREEN_SHARE

ROOT = Path(__file__).resolve().parents[2]


def drawn(gui, item) -> tuple[float, float, float, float]:
    """x, y, w, h of an item as drawn in the last frame (a child window reports its place as its
    pos in the editor window, which sits at the viewport's origin)."""
    state = gui.dpg.get_item_state(item)
    x, y = state["rect_min"] if "rect_min" in state else gui.dpg.get_item_pos(item)
    w, h = gui.dpg.get_item_rect_size(item)
    return x, y, w, h


def middle(app):
    """The panel between the splitters: the canvas, or the start page in its place (no graph open)."""
    return app.start_page.window if app.start_page.shown else app.centre


def bar_point(gui, side: str) -> tuple[int, int]:
    x, y, w, h = drawn(gui, gui.app.panels.splitters[side].bar)
    return int(x + w / 2), int(y + h / 2)


def test_dragging_the_left_splitter_widens_the_presets_and_narrows_the_canvas(gui):
    app = gui.app
    app.new_file()  # a graph open: the canvas between the splitters
    gui.frames(3)
    left, canvas, right = drawn(gui, app.left), drawn(gui, middle(app)), drawn(gui, app.right)
    start = bar_point(gui, "left")
    gui.drag(start, (start[0] + 90, start[1]), steps=6)
    gui.frames(2)
    left2, canvas2, right2 = drawn(gui, app.left), drawn(gui, middle(app)), drawn(gui, app.right)
    assert abs(left2[2] - (left[2] + 90)) <= 2, (left, left2)
    assert abs(canvas2[0] - (canvas[0] + 90)) <= 2 and abs(canvas2[2] - (canvas[2] - 90)) <= 2
    assert right2 == right
    assert app.remembered.state.get_int("panels.left_width") == int(left2[2])
    # far to the left: the panel stops at its minimum
    start = bar_point(gui, "left")
    gui.drag(start, (5, start[1]), steps=6)
    gui.frames(2)
    assert abs(drawn(gui, app.left)[2] - LEFT_MIN) <= 1


def test_dragging_the_right_splitter_keeps_the_canvas_at_its_minimum(gui):
    app = gui.app
    app.new_file()  # a graph open: the canvas between the splitters
    gui.frames(3)
    right = drawn(gui, app.right)
    start = bar_point(gui, "right")
    gui.drag(start, (start[0] - 60, start[1]), steps=6)
    gui.frames(2)
    right2 = drawn(gui, app.right)
    assert abs(right2[2] - (right[2] + 60)) <= 2 and abs(right2[0] - (right[0] - 60)) <= 2
    start = bar_point(gui, "right")
    gui.drag(start, (20, start[1]), steps=8)  # across the whole canvas
    gui.frames(2)
    assert abs(drawn(gui, middle(app))[2] - CANVAS_MIN) <= 1
    assert drawn(gui, app.left)[2] > 0  # the other panel is not pushed away


def test_a_press_on_the_bar_right_after_a_drag_is_no_double_click(gui):
    """A drag starts with a press on the bar; the next press, soon after, starts another drag (it
    collapsed the panel as a double-click, at random under the drag tests above)."""
    app = gui.app
    app.new_file()
    gui.frames(3)
    app.panels.bar_presses.seconds = 60.0  # any press within a minute would pair with the drag's
    try:
        start = bar_point(gui, "left")
        gui.drag(start, (start[0] + 40, start[1]), steps=4)
        gui.click(*bar_point(gui, "left"))
        gui.frames(2)
        assert not app.panels.collapsed["left"] and gui.dpg.is_item_shown(app.left)
        gui.double_click(*bar_point(gui, "left"))  # two presses without a drag still collapse it
        assert app.panels.collapsed["left"]
    finally:
        app.panels.bar_presses.seconds = 0.5
        if app.panels.collapsed["left"]:
            app.panels.toggle("left")
        gui.frames(2)


def test_the_arrow_collapses_a_panel_and_brings_it_back(gui):
    app = gui.app
    canvas = drawn(gui, middle(app))
    right = drawn(gui, app.right)
    gui.click(*gui.centre(app.panels.splitters["right"].arrow))
    gui.frames(2)
    assert not gui.dpg.is_item_shown(app.right)
    wide = drawn(gui, middle(app))
    assert abs(wide[2] - (canvas[2] + right[2])) <= 2 and wide[0] == canvas[0]
    assert app.remembered.state.get_bool("panels.right_collapsed") is True
    assert gui.dpg.get_value(app.panels.menu_items["right"]) is False  # View menu check item
    gui.click(*gui.centre(app.panels.splitters["right"].arrow))
    gui.frames(2)
    assert gui.dpg.is_item_shown(app.right) and drawn(gui, app.right)[2] == right[2]
    assert drawn(gui, middle(app))[2] == canvas[2]


def test_a_double_click_on_the_bar_collapses_the_presets_and_the_view_menu_brings_them_back(gui):
    app = gui.app
    canvas = drawn(gui, middle(app))
    gui.double_click(*bar_point(gui, "left"))
    gui.frames(2)
    assert app.panels.collapsed["left"] and not gui.dpg.is_item_shown(app.left)
    assert drawn(gui, middle(app))[0] < canvas[0]
    app.panels.toggle("left")  # View -> Presets panel calls this
    gui.frames(2)
    assert drawn(gui, middle(app)) == canvas


def test_the_canvas_keeps_60_percent_at_1280x720(gui):
    gui.app.layout(1280, 720)
    gui.frames(3)
    assert drawn(gui, middle(gui.app))[2] / 1280 >= 0.6


# ---------------------------------------------------------------- a second process: restart

RUN = """
import json, sys
import dearpygui.dearpygui as dpg
import dpg_lora.ui.app as A

apps = []
build = A.EditorApp.build
def capture(self, *args, **kwargs):
    apps.append(self)
    return build(self, *args, **kwargs)
A.EditorApp.build = capture

def on_frame(n):
    if n == 12:
        app = apps[0]
        rect = lambda item: list(dpg.get_item_pos(item)) + list(dpg.get_item_rect_size(item))
        print(json.dumps({"pos": list(dpg.get_viewport_pos()), "size": [dpg.get_viewport_client_width(),
                          dpg.get_viewport_client_height()], "left": rect(app.left), "centre": rect(app.start_page.window if app.start_page.shown else app.centre),
                          "right_shown": dpg.is_item_shown(app.right)}), flush=True)
sys.exit(A.run_editor(None, max_frames=14, on_frame=on_frame))
"""


def start_editor(x_display, user_dir: Path) -> dict:
    env = dict(os.environ, DISPLAY=x_display, DPG_LORA_USER_DIR=str(user_dir), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=60,
                         cwd=user_dir)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def screen_size(x_display) -> tuple[int, int]:
    from Xlib import display

    d = display.Display(x_display)
    try:
        root = d.screen().root.get_geometry()
        return root.width, root.height
    finally:
        d.close()


def test_first_start_fits_the_screen_and_the_window_and_panels_are_restored(x_display, tmp_path):
    sw, sh = screen_size(x_display)
    first = start_editor(x_display, tmp_path)
    w, h = first["size"]
    assert w <= sw * SCREEN_SHARE + 1 and h <= sh * SCREEN_SHARE + 1 and w >= sw * 0.8
    x, y = first["pos"]
    assert abs(x - (sw - w) // 2) <= 1 and abs(y - (sh - h) // 2) <= 1  # centred
    state = load_ui_state(ui_state_path(tmp_path))
    assert [state.get_int(k) for k in ("window.x", "window.y", "window.width", "window.height")] == [x, y, w, h]

    # as if the user moved and resized the window, widened the presets and hid the preview
    state.values.update({"window.x": 40, "window.y": 30, "window.width": 1100, "window.height": 700,
                         "panels.left_width": 260, "panels.right_collapsed": True})
    ui_state_path(tmp_path).write_text(json.dumps(state.values))
    again = start_editor(x_display, tmp_path)
    assert again["pos"] == [40, 30] and again["size"] == [1100, 700]
    assert again["left"][2] == 260 and not again["right_shown"]
    assert again["centre"][2] == 1100 - 16 - 20 - 260  # the whole rest: no preview panel

    # a window remembered on a monitor that is gone comes back onto this screen
    state.values.update({"window.x": sw + 500, "window.y": 100})
    ui_state_path(tmp_path).write_text(json.dumps(state.values))
    moved = start_editor(x_display, tmp_path)
    mx, my = moved["pos"]
    assert 0 <= mx and mx + moved["size"][0] <= sw and 0 <= my and my + moved["size"][1] <= sh



def test_the_mouse_shows_the_resize_cursor_over_a_splitter(gui):
    from Xlib.ext import xfixes  # noqa: F401  (registers the extension's requests)

    app = gui.app
    gui.xd.xfixes_query_version()  # XFixes answers nothing else before it

    def cursor_image():
        gui.frames(1)
        app.panels.after_frame()  # as run_loop does after each frame
        gui.xd.sync()
        reply = gui.xd.xfixes_get_cursor_image(gui.xd.screen().root)
        return reply.width, reply.height, reply.xhot, reply.yhot, tuple(reply.cursor_image)

    gui.app.new_file()  # a graph open: the canvas (not the start page) between the splitters
    gui.frames(3)
    gui.move(*gui.app.canvas.visible_centre())
    plain = cursor_image()
    gui.move(*bar_point(gui, "left"))
    over = cursor_image()
    assert app.panels.cursor.shown and over != plain
    gui.move(*gui.app.canvas.visible_centre())
    assert cursor_image() == plain and not app.panels.cursor.shown


def test_the_view_menu_hides_and_shows_the_preview_and_its_texts_follow_the_language(gui):
    from dpg_lora.i18n import load_catalogue
    from dpg_lora.ui import texts
    from tests.gui.test_language import open_menu_path

    app = gui.app
    canvas = drawn(gui, middle(app))
    open_menu_path(gui, "menu.view", "panels.preview_panel")  # real clicks through View
    gui.frames(2)
    assert app.panels.collapsed["right"] and not gui.dpg.is_item_shown(app.right)
    assert drawn(gui, middle(app))[2] > canvas[2]
    assert gui.dpg.get_value(app.panels.menu_items["right"]) is False
    tip = app.panels.splitters["right"].tip
    try:
        texts.switch(load_catalogue("zh-CN"))
        assert gui.dpg.get_value(tip) == load_catalogue("zh-CN").text("panels.expand_tip", panel="预览面板")
    finally:
        texts.switch(load_catalogue("en"))
    assert gui.dpg.get_value(tip).startswith("Show the preview panel")
    open_menu_path(gui, "menu.view", "panels.preview_panel")
    gui.frames(2)
    assert not app.panels.collapsed["right"] and drawn(gui, middle(app)) == canvas
