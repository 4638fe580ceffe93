"""The canvas measures a node's drawn size only after its items changed: an idle or panning frame
measures no node, and a node that grows still pushes the node under it down (real X clicks)."""
from __future__ import annotations

from dpg_lora.document import Document
from tests.graphs import small_graph


def _measured(gui, frames: int = 3) -> set[str]:
    """The nodes the canvas measured for growth over `frames` frames."""
    canvas = gui.app.canvas
    seen: set[str] = set()
    real = canvas._drawn

    def drawn(ids, partial=False):
        seen.update(ids)
        return real(ids, partial)

    canvas._drawn = drawn
    try:
        gui.frames(frames)
    finally:
        del canvas._drawn
    return seen


def test_idle_frames_measure_no_node_and_an_edit_measures_the_nodes_it_changed(gui):
    gui.app.set_document(Document(small_graph()))
    gui.at_zoom(1.0)
    gui.frames(6)
    assert _measured(gui) == set()
    assert gui.app.doc.set_value("lora", "rank", 16)
    measured = _measured(gui)
    assert "lora" in measured and len(measured) < len(gui.app.doc.graph.nodes)
    assert _measured(gui) == set()  # settled again


def test_a_fold_opened_again_pushes_the_node_under_it(gui):
    doc = gui.app.set_document(Document(small_graph())) or gui.app.doc
    gui.at_zoom(1.0)
    canvas = gui.app.canvas
    view = canvas.views["lora"]
    assert view.advanced
    below = next(n.id for n in doc.graph.nodes if n.id != "lora" and canvas.views[n.id].advanced == 0
                 and canvas.views[n.id].spec.fields)

    def put_below() -> float:
        x0, y0, x1, y1 = canvas.node_rect("lora")
        y = doc.graph.node("lora").pos[1] + (y1 - y0) + 10
        doc.move_nodes({below: (doc.graph.node("lora").pos[0], y)})
        gui.frames(4)
        return y

    gui.show("lora")
    gui.click(*gui.centre(view.advanced))  # open: its fields are built, the node grows
    gui.frames(6)
    assert view.advanced_open
    gui.dpg.set_value(view.advanced, False)  # closed, as a click closes it: no handler tells Python
    gui.frames(6)
    y = put_below()
    gui.show("lora")
    gui.click(*gui.centre(view.advanced))  # reopen: drawn taller at once, no field is built
    gui.frames(6)
    assert doc.graph.node(below).pos[1] > y
