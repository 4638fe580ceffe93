"""The screens the window can go on, and the window's size and place remembered as they change.

Work areas (the screen minus task bars and docks), primary first, in virtual-screen pixels:
- Linux / macOS: GLFW, which `dearpygui/_dearpygui.so` exports (`glfwGetMonitors`,
  `glfwGetMonitorWorkarea`, GLFW 3.3). `glfwInit` is called early for that; Dear PyGui's own call
  when it shows the viewport (src/mvViewport_linux.cpp, mvShowViewport) then does nothing.
- Windows: `SystemParametersInfoW(SPI_GETWORKAREA)` for the primary, and the virtual screen
  (`GetSystemMetrics`) so a window on another monitor stays there (untested here).
- Neither: no areas; the window opens at window_layout.FALLBACK_SIZE.
"""
from __future__ import annotations

import ctypes
import sys
from typing import TYPE_CHECKING

import dearpygui.dearpygui as dpg

from dpg_lora.ui.glfw import glfw_functions
from dpg_lora.window_layout import Rect

if TYPE_CHECKING:
    from dpg_lora.ui.remember import Remembered

WINDOW_KEYS = ("window.x", "window.y", "window.width", "window.height")


def glfw_work_areas() -> list[Rect]:
    calls = glfw_functions("glfwInit", "glfwGetMonitors", "glfwGetPrimaryMonitor", "glfwGetMonitorWorkarea")
    if calls is None:
        return []
    init, monitors, primary, workarea = calls
    init.restype = ctypes.c_int
    monitors.restype, monitors.argtypes = ctypes.POINTER(ctypes.c_void_p), [ctypes.POINTER(ctypes.c_int)]
    primary.restype = ctypes.c_void_p
    workarea.restype = None
    workarea.argtypes = [ctypes.c_void_p] + [ctypes.POINTER(ctypes.c_int)] * 4
    if not init():
        return []
    count = ctypes.c_int(0)
    handles = monitors(ctypes.byref(count))
    first = primary()
    found = [handles[i] for i in range(count.value)] if handles else []
    found.sort(key=lambda m: m != first)  # the primary monitor first
    areas = []
    for monitor in found:
        x, y, w, h = (ctypes.c_int(0) for _ in range(4))
        workarea(monitor, ctypes.byref(x), ctypes.byref(y), ctypes.byref(w), ctypes.byref(h))
        if w.value > 0 and h.value > 0:
            areas.append((x.value, y.value, w.value, h.value))
    return areas


def win32_work_areas() -> list[Rect]:
    try:
        user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    except AttributeError:
        return []

    class RECT(ctypes.Structure):
        _fields_ = [("left", ctypes.c_long), ("top", ctypes.c_long), ("right", ctypes.c_long),
                    ("bottom", ctypes.c_long)]

    rect = RECT()
    areas = []
    if user32.SystemParametersInfoW(0x0030, 0, ctypes.byref(rect), 0):  # SPI_GETWORKAREA
        areas.append((rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top))
    virtual = tuple(user32.GetSystemMetrics(i) for i in (76, 77, 78, 79))  # SM_X/YVIRTUALSCREEN, SM_CX/CY...
    if virtual[2] > 0 and virtual[3] > 0:
        areas.append(virtual)
    return areas


def work_areas() -> list[Rect]:
    """The screens' work areas, the primary one first; [] when they cannot be measured."""
    return win32_work_areas() if sys.platform == "win32" else glfw_work_areas()


def saved_window(remembered: Remembered) -> Rect | None:
    values = [remembered.state.get_int(key) for key in WINDOW_KEYS]
    if any(v is None for v in values) or values[2] <= 0 or values[3] <= 0:  # type: ignore[operator]
        return None
    return values[0], values[1], values[2], values[3]  # type: ignore[return-value]


class WindowTracker:
    """Remembers the viewport's place and size when they change (read once per loop turn: Dear
    PyGui updates its position from GLFW every frame, src/mvGraphics_linux.cpp)."""

    def __init__(self, remembered: Remembered):
        self.remembered = remembered
        self.shown: tuple[int, ...] | None = None

    def poll(self) -> None:
        if not dpg.is_viewport_ok():
            return
        x, y = (int(v) for v in dpg.get_viewport_pos())
        now = (x, y, dpg.get_viewport_client_width(), dpg.get_viewport_client_height())
        if now == self.shown or now[2] <= 0 or now[3] <= 0:
            return
        self.shown = now
        for key, value in zip(WINDOW_KEYS, now):
            self.remembered.set(key, value)
