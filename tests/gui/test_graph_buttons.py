"""The preview's buttons that act on a graph are off (and drawn off) while no graph is open."""
from __future__ import annotations

from pathlib import Path

from dpg_lora.ui.theme import disabled_colours
from dpg_lora.ui.texts import tr

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


def enabled(gui, item) -> bool:
    return gui.dpg.get_item_configuration(item)["enabled"]


def button_colour(gui, item) -> tuple[int, int, int]:
    """The colour drawn just inside the button's left edge, half way down (no text there)."""
    got = {}
    gui.dpg.output_frame_buffer(callback=lambda s, buf: got.setdefault("buf", buf))
    gui.frames(3)
    buf = got["buf"]
    pixels, width = memoryview(buf), buf.get_width()
    x0, y0, _, y1 = gui.rect(item)
    x, y = int(x0) + 2, int((y0 + y1) / 2)
    return tuple(round(pixels[(y * width + x) * 4 + c] * 255) for c in range(3))


def test_write_config_and_copy_json_are_off_until_a_graph_opens(gui):
    app, preview, dpg = gui.app, gui.app.preview, gui.dpg
    gui.frames(3)
    assert not app.graph_open
    buttons = (preview.copy_json, preview.write_button, preview.copy_command, preview.copy_problems,
               preview.data_button)
    assert [enabled(gui, b) for b in buttons] == [False] * 5
    gui.move(2, 2)  # nothing hovered
    off = button_colour(gui, preview.copy_json)
    want_off = disabled_colours(app.theme.data)[0][:3]
    assert all(abs(a - b) <= 3 for a, b in zip(off, want_off)), (off, want_off)
    # a real click on the disabled button does nothing
    app.status("before")
    dpg.set_clipboard_text("untouched")
    gui.click(*gui.centre(preview.copy_json))
    gui.frames(2)
    assert app.status_message() == "before"
    assert not app.graph_open and app.dialogs.file_dialog is None

    assert app.open_path(str(PRESET))
    gui.frames(3)
    assert app.graph_open
    assert [enabled(gui, b) for b in buttons] == [True] * 5
    gui.move(2, 2)
    on = button_colour(gui, preview.copy_json)
    want_on = tuple(app.theme.data["colors"]["mvThemeCol_Button"][:3])
    assert on != off and all(abs(a - b) <= 3 for a, b in zip(on, want_on)), (on, want_on)
    gui.click(*gui.centre(preview.copy_json))
    gui.frames(2)
    assert app.status_message() == tr("preview.copied.json")
    assert dpg.get_clipboard_text() == app.doc.result.config_text

    app.close_graph()  # unedited: closes without asking
    gui.frames(3)
    assert not app.graph_open
    assert [enabled(gui, b) for b in buttons] == [False] * 5
