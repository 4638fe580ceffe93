"""The left-right resize mouse cursor over a splitter.

Dear PyGui does not expose ImGui's SetMouseCursor. The GLFW calls it uses are exported by
`dearpygui/_dearpygui.so` (Linux, macOS; see ui/wake.py): after a frame the loop sets the GLFW
standard h-resize cursor on the window while a splitter is hovered or dragged, and the standard
arrow (the one ImGui's backend uses) once when it is not any more: the backend sets its cursor only
when ImGui's changes, so ours stays until then.
Without those calls (Windows) the cursor stays an arrow.
"""
from __future__ import annotations

import ctypes

from dpg_lora.ui.glfw import glfw_functions

GLFW_ARROW_CURSOR, GLFW_HRESIZE_CURSOR = 0x00036001, 0x00036005


class ResizeCursor:
    def __init__(self) -> None:
        self._calls = None
        self._cursors: dict[int, int] = {}
        self.shown = False
        calls = glfw_functions("glfwGetCurrentContext", "glfwCreateStandardCursor", "glfwSetCursor")
        if calls is None:
            return
        current, create, set_cursor = calls
        current.restype, current.argtypes = ctypes.c_void_p, []
        create.restype, create.argtypes = ctypes.c_void_p, [ctypes.c_int]
        set_cursor.restype, set_cursor.argtypes = None, [ctypes.c_void_p, ctypes.c_void_p]
        self._calls = (current, create, set_cursor)

    def show(self, on: bool) -> None:
        """Call after each frame: `on` while a splitter is hovered or dragged."""
        if self._calls is None or (not on and not self.shown):
            return
        current, create, set_cursor = self._calls
        window = current()
        if not window:
            return
        shape = GLFW_HRESIZE_CURSOR if on else GLFW_ARROW_CURSOR
        if shape not in self._cursors:
            self._cursors[shape] = create(shape)
        set_cursor(window, self._cursors[shape])
        self.shown = on
