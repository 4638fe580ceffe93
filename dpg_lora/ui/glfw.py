"""GLFW functions taken from Dear PyGui's own module: its Linux and macOS builds link GLFW
statically and export its symbols from `dearpygui/_dearpygui.so` (the Windows build does not)."""
from __future__ import annotations

import ctypes
from typing import Any


def glfw_functions(*names: str) -> tuple[Any, ...] | None:
    """The named GLFW functions (argtypes and restype still to set), or None when any is missing."""
    try:
        from dearpygui import _dearpygui

        lib = ctypes.CDLL(_dearpygui.__file__)
        return tuple(getattr(lib, name) for name in names)
    except (ImportError, OSError, AttributeError):
        return None
