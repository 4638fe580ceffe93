"""A zoom change keeps what the user had: the selected nodes, opened Advanced folds and their
fields (the node items are resized in place, not rebuilt). Real X input: click, wheel."""
from __future__ import annotations

from dpg_lora.document import Document
from dpg_lora.layout import ZOOM_LEVELS
from dpg_lora.ui.node_widgets import WIDTH
from tests.core.util import small_graph


def test_zooming_out_and_in_keeps_the_selection_and_an_opened_fold(gui):
    app, dpg = gui.app, gui.dpg
    app.set_document(Document(small_graph(), context=app.context))
    gui.at_zoom(1.0)
    canvas = app.canvas
    gui.show("lora")
    view = canvas.views["lora"]
    item = view.item
    gui.click(*gui.centre(view.advanced))  # open "Advanced (n)"
    gui.frames(3)
    assert dpg.get_value(view.advanced) is True
    sized = {item for item, _ in view.scaled}
    opened = [n for n, w in view.fields.items() if w.fld.advanced and w.visible and w.widget in sized]
    assert opened
    gui.click(*gui.title("lora"))  # select it
    gui.frames(2)
    assert canvas.selection()[0] == ["lora"]
    x0, y0, x1, y1 = canvas.node_rect("lora")
    point = (int((x0 + x1) / 2), int(y0 + 8))
    for steps, zoom in ((-1, ZOOM_LEVELS[1]), (-1, ZOOM_LEVELS[2]), (2, 1.0)):
        gui.wheel(*point, steps)
        gui.frames(3)
        assert canvas.zoom == zoom
        assert canvas.views["lora"].item == item  # the same node item, resized
        assert canvas.selection()[0] == ["lora"], zoom
        assert dpg.get_value(view.advanced) is True
    width = dpg.get_item_rect_size(view.fields[opened[0]].widget)[0]
    assert width >= WIDTH  # an advanced field is drawn, at its 100% width again (label beside)
    gui.wheel(*point, -6)  # the smallest zoom: compact, fields hidden, the fold still open
    gui.frames(3)
    assert canvas.zoom == ZOOM_LEVELS[-1] and view.compact
    assert canvas.selection()[0] == ["lora"]
    gui.wheel(*point, 6)
    gui.frames(3)
    assert canvas.zoom == 1.0 and not view.compact
    assert dpg.get_value(view.advanced) is True and dpg.get_item_rect_size(view.fields[opened[0]].widget)[0] == width
    assert canvas.selection()[0] == ["lora"]
