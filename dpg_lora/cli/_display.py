"""Is there a display the editor window can open on? Asked before Dear PyGui is imported, because
without one its window library aborts the process (a C assertion, exit 134) instead of raising.

On Linux and the BSDs the editor needs an X11 display (XWayland under Wayland): DISPLAY must be
set and libX11's XOpenDisplay must succeed on it. Windows and macOS always have one.
"""
from __future__ import annotations

import ctypes
import os
import sys
from typing import Mapping

HEADLESS_HINT = ("Without a display, use the headless commands: dpg-lora compile GRAPH --out CONFIG, "
                 "dpg-lora validate FILE, dpg-lora run GRAPH, dpg-lora import FILE -o GRAPH, "
                 "dpg-lora presets list; dpg-lora screenshot GRAPH -o shot.png starts its own Xvfb. "
                 "See dpg-lora --help.")


def _libx11():
    try:
        return ctypes.CDLL("libX11.so.6")
    except OSError:
        pass
    from ctypes.util import find_library  # imports subprocess and runs ldconfig: only when that fails

    name = find_library("X11")
    if name:
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    return None


_KEPT: list[int] = []  # connections left open on purpose (see x_display_opens)


def x_display_opens(name: str, *, keep: bool = False) -> bool | None:
    """True/False when libX11 can/cannot open the display `name`; None when libX11 is missing.

    `keep` leaves the connection open for the life of the process, for a window about to open: an X
    server whose last client leaves resets itself (Xvfb without -noreset does), and the window's own
    connection would wait for that reset (30 ms here)."""
    lib = _libx11()
    if lib is None:
        return None
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = lib.XOpenDisplay(name.encode())
    if not handle:
        return False
    if keep:
        _KEPT.append(handle)
    else:
        lib.XCloseDisplay(handle)
    return True


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the editor window cannot open here, or None when it can (or we cannot tell). The checked
    connection stays open (`x_display_opens(keep=True)`): the window opens on that display next."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    name = env.get("DISPLAY", "")
    if not name:
        wayland = " (WAYLAND_DISPLAY is set, but the editor needs X11: XWayland sets DISPLAY)" \
            if env.get("WAYLAND_DISPLAY") else ""
        return f"no display found: DISPLAY is not set{wayland}"
    if x_display_opens(name, keep=True) is False:
        return f"no display found: cannot open the X display {name!r} (DISPLAY)"
    return None
