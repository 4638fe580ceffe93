"""At a small zoom compact nodes are packed (not spaced for their full size): the fitted zoom of a
big preset is larger, nothing overlaps, and a node dragged there stays where it was dropped.
Asserted on the rectangles Dear PyGui reports as drawn; real X input for the drag."""
from __future__ import annotations

from pathlib import Path

from dpg_lora.layout import COMPACT_BELOW, ZOOM_LEVELS, bounds, overlapping

MIXED = Path(__file__).resolve().parents[2] / "presets" / "mixed.json"


def open_mixed(gui):
    gui.app.layout(1280, 720)
    gui.frames(2)
    assert gui.app.open_path(str(MIXED))
    gui.settle()


def test_the_fitted_small_zoom_is_dense_and_without_overlap(gui):
    open_mixed(gui)
    canvas = gui.app.canvas
    assert canvas.zoom == 0.5, canvas.zoom  # spaced for full nodes it fitted only at 30%
    drawn = canvas.drawn_rects()["nodes"]
    assert overlapping(drawn) == []
    nodes = gui.app.doc.graph.nodes
    spread = (max(n.pos[1] for n in nodes) - min(n.pos[1] for n in nodes)) * canvas.zoom  # model spacing, scaled
    height = bounds(drawn.values())[3]
    assert height < 0.65 * spread, (height, spread)
    for zoom in ZOOM_LEVELS[ZOOM_LEVELS.index(0.5):]:  # every compact level: packed anew, no overlap
        canvas.set_zoom(zoom)
        gui.settle()
        assert canvas.zoom == zoom and overlapping(canvas.drawn_rects()["nodes"]) == [], zoom

def test_a_node_dragged_at_a_compact_zoom_stays_where_it_is_dropped(gui):
    open_mixed(gui)
    canvas = gui.app.canvas
    assert canvas.zoom < COMPACT_BELOW
    node = "lora"
    x0, y0, x1, y1 = canvas.node_rect(node)
    before_model = gui.app.doc.graph.node(node).pos
    start = (int(x0 + 20), int(y0 + 5))
    gui.drag(start, (start[0] + 40, start[1] + 60), steps=6)
    gui.settle()
    nx0, ny0, _, _ = canvas.node_rect(node)
    assert abs(nx0 - (x0 + 40)) <= 2 and abs(ny0 - (y0 + 60)) <= 2  # no jump back into the packing
    after_model = gui.app.doc.graph.node(node).pos
    z = canvas.zoom
    assert abs(after_model[0] - before_model[0] - 40 / z) <= 3 and abs(after_model[1] - before_model[1] - 60 / z) <= 3
    gui.key("z", "Control_L")  # undo: back in its packed place
    gui.settle()
    assert gui.app.doc.graph.node(node).pos == before_model
    bx0, by0, _, _ = canvas.node_rect(node)
    assert abs(bx0 - x0) <= 2 and abs(by0 - y0) <= 2
