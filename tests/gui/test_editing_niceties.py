"""Duplicated and pasted nodes become the selection and land in view (real keys and clicks)."""
from __future__ import annotations

from dpg_lora.document import Document
from tests.core.util import small_graph


def open_graph(gui, graph):
    gui.app.set_document(Document(graph))
    gui.at_zoom(1.0)
    return gui.app.doc


def in_view(gui, node_id) -> bool:
    x0, y0, x1, y1 = gui.app.canvas.container_rect()
    nx0, ny0, nx1, ny1 = gui.app.canvas.node_rect(node_id)
    return x0 <= nx0 and y0 <= ny0 and nx1 <= x1 and ny1 <= y1


def test_ctrl_d_twice_duplicates_the_copies_and_they_are_drawn_selected(gui):
    doc = open_graph(gui, small_graph())
    gui.show("cap0")
    gui.click(*gui.title("cap0"))
    gui.key("d", "Control_L")
    gui.settle()
    first = [n.id for n in doc.graph.nodes if n.type == "caption_item" and n.id != "cap0"]
    assert len(first) == 1
    canvas = gui.app.canvas
    assert canvas.selection()[0] == first
    assert gui.dpg.get_item_theme(canvas.views[first[0]].item) == canvas.chosen_themes["items"]
    assert in_view(gui, first[0])
    gui.key("d", "Control_L")  # again: the copy is duplicated, not "Select nodes to duplicate"
    gui.settle()
    second = [n.id for n in doc.graph.nodes if n.type == "caption_item" and n.id not in ("cap0", first[0])]
    assert len(second) == 1, gui.app.status_message()
    assert doc.graph.node(second[0]).pos == (doc.graph.node(first[0]).pos[0] + 40,
                                             doc.graph.node(first[0]).pos[1] + 40)
    assert canvas.selection()[0] == second
    assert in_view(gui, second[0])
    # the first copy is no longer drawn as selected
    assert gui.dpg.get_item_theme(canvas.views[first[0]].item) != canvas.chosen_themes["items"]
    gui.key("Delete")  # acts on the selection the editor made
    assert second[0] not in {n.id for n in doc.graph.nodes}


def test_pasted_nodes_become_the_selection_until_the_canvas_is_clicked(gui):
    doc = open_graph(gui, small_graph())
    gui.show("cap0")
    gui.click(*gui.title("cap0"))
    gui.key("c", "Control_L")
    gui.move(*gui.empty_canvas_point())
    gui.key("v", "Control_L")
    gui.settle()
    pasted = [n.id for n in doc.graph.nodes if n.type == "caption_item" and n.id != "cap0"]
    canvas = gui.app.canvas
    assert canvas.selection()[0] == pasted
    assert in_view(gui, pasted[0])
    gui.click(*gui.empty_canvas_point())  # a click on empty canvas clears it, as for any selection
    gui.frames(2)
    assert canvas.selection() == ([], [])
    assert gui.dpg.get_item_theme(canvas.views[pasted[0]].item) == gui.app.theme.categories["items"]
