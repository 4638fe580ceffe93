"""The canvas view with real X input: zoom, fit, collapse, reveal and no overlaps, asserted on the
rectangles Dear PyGui reports as drawn."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpg_lora.document import Document
from dpg_lora.graph import load_graph
from dpg_lora.layout import COMPACT_BELOW, ZOOM_LEVELS, bounds, overlapping
from dpg_lora.ui.canvas import FIT_MARGIN
from tests.core.util import small_graph

PRESETS = sorted((Path(__file__).resolve().parents[2] / "presets").glob("*.json"))


def inside(rect, box, slack=1.0) -> bool:
    x, y, w, h = rect
    bx, by, bw, bh = box
    return x >= bx - slack and y >= by - slack and x + w <= bx + bw + slack and y + h <= by + bh + slack


def open_small(gui, zoom=1.0):
    gui.app.set_document(Document(small_graph()))
    gui.at_zoom(zoom)
    return gui.app.doc


def model_under(gui, screen):
    canvas = gui.app.canvas
    ox, oy = canvas.origin()
    return ((screen[0] - ox - canvas.offset[0]) / canvas.zoom, (screen[1] - oy - canvas.offset[1]) / canvas.zoom)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_every_preset_opens_fitted_inside_the_canvas_without_overlap_at_1280x720(gui, preset):
    gui.app.layout(1280, 720)
    gui.frames(2)
    assert gui.app.open_path(str(preset))
    gui.settle()
    rects = gui.app.canvas.drawn_rects()
    assert set(rects["nodes"]) == {n.id for n in load_graph(preset).nodes}
    outside = [i for i, r in rects["nodes"].items() if not inside(r, rects["canvas"])]
    assert outside == [], (gui.app.canvas.zoom, rects)
    assert overlapping(rects["nodes"]) == []


def test_wheel_zooms_around_the_cursor_and_keeps_the_point_under_it(gui):
    open_small(gui)
    canvas = gui.app.canvas
    x0, y0, x1, y1 = canvas.node_rect("ds0")
    point = (int(x0 + 12), int(y0 + 8))
    before = model_under(gui, point)
    width = x1 - x0
    gui.wheel(*point, -1)  # towards the user: zoom out
    gui.frames(3)
    assert canvas.zoom == ZOOM_LEVELS[1]
    nx0, _, nx1, _ = canvas.node_rect("ds0")
    assert abs((nx1 - nx0) - width * ZOOM_LEVELS[1]) < width * 0.08
    after = model_under(gui, point)
    assert abs(after[0] - before[0]) * canvas.zoom < 3 and abs(after[1] - before[1]) * canvas.zoom < 3
    assert gui.dpg.get_value(gui.app.view_actions.zoom_box) == "85%"
    gui.wheel(*point, 1)
    gui.frames(3)
    assert canvas.zoom == 1.0
    assert abs((canvas.node_rect("ds0")[2] - canvas.node_rect("ds0")[0]) - width) <= 2


def test_keys_zoom_and_home_fits_the_whole_graph(gui):
    doc = open_small(gui)
    canvas = gui.app.canvas
    gui.move(*canvas.visible_centre())
    for _ in range(3):
        gui.key("minus")
    gui.frames(2)
    assert canvas.zoom == ZOOM_LEVELS[3]
    gui.key("equal")
    gui.frames(2)
    assert canvas.zoom == ZOOM_LEVELS[2]
    gui.key("Home")
    gui.settle()
    rects = canvas.drawn_rects()
    assert all(inside(r, rects["canvas"]) for r in rects["nodes"].values())
    fitted = canvas.zoom
    bigger = [z for z in ZOOM_LEVELS if z > fitted]
    if bigger:  # the next level up would not fit (with the margin): the fit is the largest that does
        canvas.set_zoom(bigger[-1])
        gui.settle()
        x, y, w, h = bounds(canvas.drawn_rects()["nodes"].values())
        cx0, cy0, cx1, cy1 = canvas.container_rect()
        assert w > cx1 - cx0 - 2 * FIT_MARGIN or h > cy1 - cy0 - 2 * FIT_MARGIN
    assert doc.graph.node("ds0").pos == small_graph().node("ds0").pos  # zoom is view only


def test_zoom_at_every_level_keeps_dragging_and_linking_working(gui):
    doc = open_small(gui)
    doc.add_node("image_item", (330, 470), {"key": "extra", "suffix": "_X"})
    gui.settle()
    canvas = gui.app.canvas
    for zoom in (ZOOM_LEVELS[2], ZOOM_LEVELS[-1]):
        gui.at_zoom(zoom)
        start = doc.graph.node("img0").pos
        x = int(canvas.node_rect("img0")[0] + 6)
        y = int(canvas.node_rect("img0")[1] + canvas.title_height() / 2)
        gui.drag((x, y), (x + 30, y + 20))
        moved = doc.graph.node("img0").pos
        assert abs(moved[0] - start[0] - 30 / zoom) <= 2 / zoom + 1
        assert abs(moved[1] - start[1] - 20 / zoom) <= 2 / zoom + 1
        gui.key("z", "Control_L")
    gui.at_zoom(ZOOM_LEVELS[-1])
    gui.drag(gui.pin("image_item_1"), gui.pin("il0", "items"))
    assert doc.find_link("image_item_1", "il0", "items") is not None


def test_compact_form_at_small_zoom_shows_title_and_pins(gui):
    open_small(gui)
    canvas = gui.app.canvas
    full = canvas.node_rect("lora")
    gui.at_zoom(min(z for z in ZOOM_LEVELS if z >= COMPACT_BELOW))
    assert not canvas.views["lora"].compact
    gui.at_zoom(ZOOM_LEVELS[-1])
    view = canvas.views["lora"]
    assert view.compact
    assert all(not gui.dpg.is_item_shown(attr) for attr, _ in view.details)
    small = canvas.node_rect("lora")
    assert (small[3] - small[1]) < (full[3] - full[1]) * ZOOM_LEVELS[-1]


def test_double_click_on_a_title_collapses_and_the_file_keeps_it(gui, tmp_path):
    doc = open_small(gui)
    canvas = gui.app.canvas
    gui.show("lora")
    x0, y0, x1, y1 = canvas.node_rect("lora")
    gui.double_click(int(x0 + 20), int(y0 + canvas.title_height() / 2))
    gui.frames(3)
    assert doc.graph.view.collapsed == ["lora"]
    cx0, cy0, cx1, cy1 = canvas.node_rect("lora")
    assert cy1 - cy0 < (y1 - y0) / 2
    path = tmp_path / "g.json"
    doc.save(path)
    assert load_graph(path).view.collapsed == ["lora"]
    assert '"view"' in path.read_text() and '"collapsed"' not in doc.result.config_text
    gui.double_click(int(cx0 + 20), int(cy0 + canvas.title_height() / 2))
    gui.frames(3)
    assert doc.graph.view.collapsed == []
    assert abs((canvas.node_rect("lora")[3] - canvas.node_rect("lora")[1]) - (y1 - y0)) <= 2


def test_collapse_all_items_from_the_view_menu(gui):
    doc = open_small(gui)
    gui.app.set_items_collapsed(True)
    gui.frames(3)
    items = [n.id for n in doc.graph.nodes if n.type.endswith("_item")]
    assert sorted(doc.graph.view.collapsed) == sorted(items)
    assert all(gui.app.canvas.views[i].compact for i in items)
    assert not gui.app.canvas.views["lora"].compact
    gui.key("z", "Control_L")
    assert doc.graph.view.collapsed == []


def test_double_click_on_empty_canvas_opens_the_node_search(gui):
    open_small(gui)
    gui.double_click(*gui.empty_canvas_point())
    gui.frames(2)
    assert gui.app.picker.shown


def test_a_node_added_left_of_the_graph_lands_in_view(gui):
    doc = open_small(gui)
    canvas = gui.app.canvas
    left = min(n.pos[0] for n in doc.graph.nodes)
    node_id = doc.add_node("caption_item", (left - 700, 0))
    gui.settle()
    rects = canvas.drawn_rects()
    assert inside(rects["nodes"][node_id], rects["canvas"])


def test_a_node_that_grows_pushes_the_node_below_it(gui):
    doc = open_small(gui)
    canvas = gui.app.canvas
    gui.frames(2)
    before = canvas.node_rect("dir")
    # dir and lora are stacked in one column; put lora just under dir, then give dir a problem line
    lora_y = doc.graph.node("dir").pos[1] + (before[3] - before[1]) + 10
    doc.move_nodes({"lora": (doc.graph.node("lora").pos[0], lora_y)})
    gui.frames(4)
    doc.set_value("dir", "pretrained_model_name_or_path", "")
    gui.frames(6)
    grown = canvas.node_rect("dir")
    assert grown[3] - grown[1] > before[3] - before[1] + 5
    assert doc.graph.node("lora").pos[1] > lora_y
    rects = canvas.drawn_rects()["nodes"]
    assert overlapping({k: rects[k] for k in ("lora", "misc", "dir", "dl")}) == []
    gui.key("z", "Control_L")  # one undo step puts the value and the move back
    gui.frames(3)
    assert doc.graph.node("lora").pos[1] == lora_y
    assert "pretrained_model_name_or_path" in doc.graph.node("dir").values


def test_screenshot_command_writes_the_drawn_rects(tmp_path):
    import subprocess
    import sys

    out, rects = tmp_path / "shot.png", tmp_path / "rects.json"
    preset = PRESETS[0]
    proc = subprocess.run([sys.executable, "-m", "dpg_lora", "screenshot", str(preset), "-o", str(out),
                           "--size", "1280x720", "--rects", str(rects)], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != 0 and "Xvfb" in proc.stderr:
        pytest.skip(proc.stderr.strip())
    assert proc.returncode == 0, proc.stderr
    data = json.loads(rects.read_text())
    assert set(data["nodes"]) == {n.id for n in load_graph(preset).nodes}
    cx, cy, cw, ch = data["canvas"]
    assert cw >= 0.6 * 1280 and 300 < ch < 720  # the side panels leave the canvas 60% of the width
    assert all(inside(r, data["canvas"]) for r in data["nodes"].values())
    assert overlapping(data["nodes"]) == []


def test_double_click_on_a_preset_opens_it(gui):
    panel = gui.app.presets_panel
    for _ in range(20):  # the browser is built after the first frame
        if panel is not None and panel.shown:
            break
        gui.frames(1)
        panel = gui.app.presets_panel
    items = [i for i in gui.dpg.get_item_children(panel.tags["list"], 1)
             if gui.dpg.get_item_type(i).endswith("mvSelectable")]
    info = gui.dpg.get_item_user_data(items[0])
    gui.double_click(*gui.centre(items[0]))
    gui.settle()
    assert {n.id for n in gui.app.doc.graph.nodes} == {n.id for n in load_graph(info.path).nodes}


def test_the_node_menu_collapses_and_expands(gui):
    doc = open_small(gui)
    gui.show("lora")
    gui.click(*gui.title("lora"), button=3)
    gui.frames(2)
    entry = next(i for i in gui.dpg.get_item_children(gui.app.node_menu, 1)
                 if gui.dpg.get_item_configuration(i).get("label") == "Collapse")
    gui.dpg.get_item_callback(entry)()  # menu items report no rect to click at: call what a click calls
    gui.frames(3)
    assert doc.graph.view.collapsed == ["lora"] and gui.app.canvas.views["lora"].compact
