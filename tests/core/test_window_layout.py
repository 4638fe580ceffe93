"""The window geometry, pure: panel widths beside the canvas and where the window opens."""
from __future__ import annotations

import pytest

from dpg_lora.window_layout import (
    CANVAS_MIN, CHROME_W, FALLBACK_SIZE, LEFT_MIN, RIGHT_MIN, SCREEN_SHARE, SPLITTER_W, dragged_width,
    first_window, panel_widths, restored_window,
)

ROOM = CHROME_W + 2 * SPLITTER_W  # what is not panel or canvas


@pytest.mark.parametrize("width", [1280, 1400, 1600, 1920])
def test_default_widths_leave_the_canvas_over_60_percent(width):
    w = panel_widths(width)
    assert w.left + w.centre + w.right + ROOM == width
    assert w.centre / width >= 0.6
    assert w.left >= LEFT_MIN and w.right >= RIGHT_MIN


def test_asked_widths_are_kept_within_minimum_and_canvas_room():
    assert panel_widths(1600, left=300, right=500) == panel_widths(1600, 300, 500)
    w = panel_widths(1600, left=300, right=500)
    assert (w.left, w.right) == (300, 500)
    w = panel_widths(1600, left=10, right=10)
    assert (w.left, w.right) == (LEFT_MIN, RIGHT_MIN)
    w = panel_widths(1600, left=900, right=900)  # the canvas keeps its minimum; preview gives way first
    assert w.centre == CANVAS_MIN and w.left + w.right + w.centre + ROOM == 1600
    assert w.right >= 0 and w.left <= 900


def test_collapsed_panels_give_their_width_to_the_canvas():
    both = panel_widths(1280, left_collapsed=True, right_collapsed=True)
    assert (both.left, both.right, both.centre) == (0, 0, 1280 - ROOM)
    one = panel_widths(1280, left=200, right=300, right_collapsed=True)
    assert (one.left, one.right, one.centre) == (200, 0, 1280 - ROOM - 200)


def test_a_narrow_window_never_squeezes_the_canvas_below_its_minimum():
    for width in (500, 640, 800):
        w = panel_widths(width, left=400, right=400)
        assert w.centre >= min(CANVAS_MIN, width - ROOM)
        assert w.left + w.right + w.centre + ROOM == width or w.centre == 1


def test_dragging_a_splitter_follows_the_mouse_within_bounds():
    assert dragged_width(200, 300, 350, "left", 1600, 400) == 250
    assert dragged_width(400, 1200, 1100, "right", 1600, 200) == 500
    assert dragged_width(200, 300, 0, "left", 1600, 400) == LEFT_MIN
    most = 1600 - ROOM - CANVAS_MIN - 400
    assert dragged_width(200, 300, 5000, "left", 1600, 400) == most


def test_first_window_is_centred_at_most_90_percent_of_the_work_area():
    x, y, w, h = first_window([(0, 28, 1920, 1052)])
    assert w == int(1920 * SCREEN_SHARE) and h == int(1052 * SCREEN_SHARE)
    assert x == (1920 - w) // 2 and y == 28 + (1052 - h) // 2
    assert first_window([]) == (100, 100) + FALLBACK_SIZE
    x, y, w, h = first_window([(1920, 0, 1280, 720), (0, 0, 1920, 1080)])  # primary first
    assert 1920 <= x and x + w <= 3200 and w <= 1280 * SCREEN_SHARE


def test_restored_window_is_kept_where_it_was_when_on_screen():
    areas = [(0, 0, 1920, 1080)]
    assert restored_window((50, 60, 1200, 800), areas) == (50, 60, 1200, 800)
    assert restored_window(None, areas) == first_window(areas)


def test_restored_window_is_clamped_to_the_screen_it_is_on():
    areas = [(0, 0, 1920, 1080)]
    x, y, w, h = restored_window((1500, 700, 2500, 1400), areas)  # bigger than the screen
    assert (w, h) == (1920, 1080) and (x, y) == (0, 0)
    x, y, w, h = restored_window((1700, 900, 1000, 600), areas)  # partly off the right edge
    assert (x, y, w, h) == (920, 480, 1000, 600)


def test_restored_window_on_an_unplugged_monitor_comes_back_to_the_primary():
    saved = (2200, 100, 1400, 900)  # it was on a second monitor right of the first
    x, y, w, h = restored_window(saved, [(0, 0, 1280, 1024)])
    assert 0 <= x and x + w <= 1280 and 0 <= y and y + h <= 1024
    assert (w, h) == (1280, 900)
    on_second = restored_window(saved, [(0, 0, 1920, 1080), (1920, 0, 2560, 1440)])
    assert on_second == saved
