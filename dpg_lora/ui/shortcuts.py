"""Keyboard shortcuts and canvas mouse gestures, as one global handler registry.

Text fields keep their own keys: while one is being edited, Delete, Ctrl+Z/Y/C/V/D go to it.
"""
from __future__ import annotations

import dearpygui.dearpygui as dpg

# key -> (needs ctrl, action name on the app, allowed while a text field is active)
SHORTCUTS = {
    "Z": (True, "undo", False),
    "Y": (True, "redo", False),
    "C": (True, "copy_selection", False),
    "V": (True, "paste", False),
    "D": (True, "duplicate_selection", False),
    "S": (True, "save", True),
    "O": (True, "open_file", True),
    "N": (True, "new_file", True),
    "Spacebar": (True, "open_node_search", True),
    "Delete": (False, "delete_selection", False),
    "Home": (False, "frame_all", False),
    "F": (False, "frame_all", False),
    "Period": (False, "fit_selection", False),
    "Decimal": (False, "fit_selection", False),
    "Minus": (False, "zoom_out", False),
    "Subtract": (False, "zoom_out", False),
    "Add": (False, "zoom_in", False),
    "M": (False, "toggle_minimap", False),
}
# Dear PyGui 2.3.1's mvKey_Plus is 61, not an ImGui key; "=" (Shift: "+") is ImGuiKey_Equal.
KEY_EQUAL = 602


def ctrl_down() -> bool:
    return any(dpg.is_key_down(k) for k in (dpg.mvKey_LControl, dpg.mvKey_RControl))


def shift_down() -> bool:
    return any(dpg.is_key_down(k) for k in (dpg.mvKey_LShift, dpg.mvKey_RShift))


def install(app) -> int:
    """Register the handlers; returns the registry (deleted with the UI)."""

    def on_key(sender, key, user_data):
        needs_ctrl, action, in_text = user_data
        if needs_ctrl != ctrl_down():
            return
        if not in_text and app.text_input_active():
            return
        if action == "undo" and shift_down():
            action = "redo"  # Ctrl+Shift+Z
        getattr(app, action)()

    def on_enter(sender, key, user_data):
        app.picker.pick_first()

    def on_escape(sender, key, user_data):
        app.picker.close()
        dpg.configure_item(app.node_menu, show=False)

    with dpg.handler_registry() as registry:
        for name, spec in SHORTCUTS.items():
            dpg.add_key_press_handler(getattr(dpg, f"mvKey_{name}"), callback=on_key, user_data=spec)
        dpg.add_key_press_handler(KEY_EQUAL, callback=on_key, user_data=(False, "zoom_in", False))
        dpg.add_key_press_handler(dpg.mvKey_Return, callback=on_enter)
        dpg.add_key_press_handler(dpg.mvKey_NumPadEnter, callback=on_enter)
        dpg.add_key_press_handler(dpg.mvKey_Escape, callback=on_escape)
        dpg.add_key_press_handler(dpg.mvKey_Down, callback=lambda *_: app.picker.move(1))
        dpg.add_key_press_handler(dpg.mvKey_Up, callback=lambda *_: app.picker.move(-1))
        dpg.add_mouse_click_handler(dpg.mvMouseButton_Left, callback=lambda *_: app.canvas.on_press())
        dpg.add_mouse_release_handler(dpg.mvMouseButton_Left, callback=lambda *_: app.on_left_release())
        dpg.add_mouse_click_handler(dpg.mvMouseButton_Right, callback=lambda *_: app.on_right_click())
        dpg.add_mouse_wheel_handler(callback=lambda s, delta: app.on_wheel(delta))
        dpg.add_mouse_click_handler(dpg.mvMouseButton_Left, callback=lambda *_: app.on_left_click())
    return registry
