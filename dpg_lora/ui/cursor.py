"""The left-right resize mouse cursor over a splitter.

Dear PyGui does not expose ImGui's SetMouseCursor. The GLFW calls it uses are exported by
`dearpygui/_dearpygui.so` (Linux, macOS; see ui/wake.py): after a frame the loop sets the GLFW
standard h-resize cursor on the window while a splitter is hovered or dragged, and the default
arrow once when it is not any more (ImGui's backend sets its own cursor again each frame).
Without those calls (Windows) the cursor stays an arrow.
"""
from __future__ import annotations

import ctypes

GLFW_HRESIZE_CURSOR = 0x00036005


class ResizeCursor:
    def __init__(self) -> None:
        self._calls = None
        self._cursor = None
        self.shown = False
        try:
            from dearpygui import _dearpygui

            lib = ctypes.CDLL(_dearpygui.__file__)
            current, create, set_cursor = lib.glfwGetCurrentContext, lib.glfwCreateStandardCursor, lib.glfwSetCursor
        except (ImportError, OSError, AttributeError):
            return
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
        if on and self._cursor is None:
            self._cursor = create(GLFW_HRESIZE_CURSOR)
        set_cursor(window, self._cursor if on else None)
        self.shown = on
