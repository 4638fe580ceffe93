"""Fixtures shared across test folders."""
from __future__ import annotations

import pytest


@pytest.fixture
def headless_window():
    """A Dear PyGui context without a viewport and an empty window to build panels into.
    Enough for building items and calling callbacks; nothing may render in it."""
    import dearpygui.dearpygui as dpg

    dpg.create_context()
    try:
        with dpg.window() as win:
            pass
        yield win
    finally:
        dpg.destroy_context()
