"""The side panels' widths grow with View -> UI scale (pure geometry, dpg_lora/window_layout.py)."""
from __future__ import annotations

import pytest

from dpg_lora.window_layout import (
    CANVAS_MIN, LEFT_DEFAULT, LEFT_MIN, RIGHT_DEFAULT, RIGHT_MIN, default_widths, dragged_width, fixed_width,
    min_widths, panel_widths,
)


@pytest.mark.parametrize("width", [1280, 1600, 1920, 2560])
def test_defaults_grow_with_the_scale_and_the_row_still_adds_up(width):
    plain = panel_widths(width)
    for scale in (1.25, 1.5, 2.0):
        w = panel_widths(width, scale=scale)
        assert w.left + w.centre + w.right + fixed_width(scale) == width
        assert w.centre >= CANVAS_MIN
        want_l, want_r = default_widths(width, scale)
        assert want_l == min(round(LEFT_DEFAULT * scale), int(width * 0.13 * scale))
        assert want_r == min(round(RIGHT_DEFAULT * scale), int(width * 0.23 * scale))
        assert w.right > plain.right or w.centre == CANVAS_MIN  # the preview gives way first
        assert w.left > plain.left and w.left >= round(LEFT_MIN * scale)


def test_at_150_percent_1600_px_both_panels_are_half_as_wide_again():
    plain, big = panel_widths(1600), panel_widths(1600, scale=1.5)
    assert abs(big.left - plain.left * 1.5) <= 2 and abs(big.right - plain.right * 1.5) <= 2
    assert big.centre == 1600 - fixed_width(1.5) - big.left - big.right


def test_remembered_widths_are_kept_but_never_below_the_scaled_minimums():
    assert min_widths(1.5) == (round(LEFT_MIN * 1.5), round(RIGHT_MIN * 1.5))
    w = panel_widths(1600, left=130, right=230, scale=1.5)  # dragged at 100%, just above the old minimums
    assert (w.left, w.right) == min_widths(1.5)
    w = panel_widths(1600, left=300, right=500, scale=1.5)  # wide enough: as remembered
    assert (w.left, w.right) == (300, 500)
    assert panel_widths(1600, left=130, right=230) == panel_widths(1600, left=130, right=230, scale=1.0)
    assert (panel_widths(1600, left=130, right=230).left, panel_widths(1600, left=130, right=230).right) == (130, 230)


def test_a_drag_stops_at_the_scaled_minimum():
    assert dragged_width(300, 300, 0, "left", 1600, 500, scale=1.5) == round(LEFT_MIN * 1.5)
    assert dragged_width(500, 1000, 1600, "right", 1600, 300, scale=2.0) == RIGHT_MIN * 2
    most = 1600 - fixed_width(1.5) - CANVAS_MIN - 500
    assert dragged_width(300, 300, 5000, "left", 1600, 500, scale=1.5) == most
