"""Is there a display the editor window can open on? Asked before Dear PyGui is imported, because
without one its window library aborts the process (a C assertion, exit 134) instead of raising.

On Linux and the BSDs the editor needs an X11 display (XWayland under Wayland): DISPLAY must be
set and libX11's XOpenDisplay must succeed on it. Windows and macOS always have one.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from typing import Mapping

HEADLESS_HINT = ("Without a display, use the headless commands: dpg-lora compile GRAPH --out CONFIG, "
                 "dpg-lora validate FILE, dpg-lora run GRAPH, dpg-lora import FILE -o GRAPH, "
                 "dpg-lora presets list; dpg-lora screenshot GRAPH -o shot.png starts its own Xvfb. "
                 "See dpg-lora --help.")


def _libx11():
    for name in ("libX11.so.6", ctypes.util.find_library("X11")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


def x_display_opens(name: str) -> bool | None:
    """True/False when libX11 can/cannot open the display `name`; None when libX11 is missing."""
    lib = _libx11()
    if lib is None:
        return None
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = lib.XOpenDisplay(name.encode())
    if not handle:
        return False
    lib.XCloseDisplay(handle)
    return True


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the editor window cannot open here, or None when it can (or we cannot tell)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    name = env.get("DISPLAY", "")
    if not name:
        wayland = " (WAYLAND_DISPLAY is set, but the editor needs X11: XWayland sets DISPLAY)" \
            if env.get("WAYLAND_DISPLAY") else ""
        return f"no display found: DISPLAY is not set{wayland}"
    if x_display_opens(name) is False:
        return f"no display found: cannot open the X display {name!r} (DISPLAY)"
    return None
