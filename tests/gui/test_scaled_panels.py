"""View -> UI scale widens the side panels so their content is not cut (real menu clicks; sizes
as Dear PyGui drew them)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dpg_lora.window_layout import LEFT_MIN, panel_widths
from tests.gui.test_language import open_menu_path
from tests.gui.test_panels import drawn

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


@pytest.fixture
def at_100(gui):
    yield gui
    gui.app.language_actions.set_scale(100)


def right_edge(gui, item) -> float:
    return gui.dpg.get_item_rect_max(item)[0]


def test_at_150_percent_the_panels_grow_and_their_rows_fit(at_100):
    gui = at_100
    app, dpg = gui.app, gui.dpg
    assert app.open_path(str(PRESET))
    gui.settle()
    left, right = drawn(gui, app.left)[2], drawn(gui, app.right)[2]
    open_menu_path(gui, "menu.view", "scale.menu", "150%")
    gui.frames(4)
    width = app.size[0]
    want = panel_widths(width, scale=1.5)
    assert abs(drawn(gui, app.left)[2] - want.left) <= 1 and abs(drawn(gui, app.right)[2] - want.right) <= 1
    assert drawn(gui, app.left)[2] > left * 1.3 and drawn(gui, app.right)[2] > right * 1.3
    # the preview's button row (Copy JSON, Write config, Mark defaults) ends inside its panel
    x, _, w, _ = drawn(gui, app.right)
    assert right_edge(gui, app.preview.mark_defaults) <= x + w, (right_edge(gui, app.preview.mark_defaults), x + w)
    # the presets panel's half-width buttons hold their labels
    tags = app.presets_panel.tags
    for key in ("open", "duplicate", "save_as", "rename"):
        label_w = dpg.get_text_size(dpg.get_item_label(tags[key]))[0]
        assert dpg.get_item_rect_size(tags[key])[0] >= label_w, key
    open_menu_path(gui, "menu.view", "scale.menu", "100%")
    gui.frames(4)
    assert abs(drawn(gui, app.left)[2] - left) <= 1 and abs(drawn(gui, app.right)[2] - right) <= 1


def test_a_remembered_narrow_width_is_kept_no_narrower_than_the_scaled_minimum(at_100):
    gui = at_100
    app = gui.app
    app.panels.want["left"] = LEFT_MIN + 10  # dragged narrow at 100%
    app.layout()
    gui.frames(3)
    assert abs(drawn(gui, app.left)[2] - (LEFT_MIN + 10)) <= 1
    app.language_actions.set_scale(150)
    gui.frames(3)
    assert abs(drawn(gui, app.left)[2] - round(LEFT_MIN * 1.5)) <= 1
    app.language_actions.set_scale(100)
    gui.frames(3)
    assert abs(drawn(gui, app.left)[2] - (LEFT_MIN + 10)) <= 1  # what was asked for, again
