"""A node draws few Dear PyGui items: a field's row is its widget, an input's label stands alone,
tooltips are built on the first real hover, an ordered input's rows only while it is open."""
from __future__ import annotations

from dpg_lora.document import Document
from dpg_lora.specs.types import PATH
from tests.graphs import small_graph


def open_small(gui):
    gui.app.set_document(Document(small_graph(), context=gui.app.context))
    gui.at_zoom(1.0)
    return gui.app.doc


def tooltip_texts(gui) -> list[str]:
    """The texts of the tooltips on the canvas's nodes."""
    dpg = gui.dpg
    out: list[str] = []

    def walk(item) -> None:
        for kid in [k for slot in dpg.get_item_children(item).values() for k in slot]:
            if dpg.get_item_type(kid).endswith("mvTooltip"):
                out.append(" ".join(str(dpg.get_value(t)) for t in dpg.get_item_children(kid, 1)))
            walk(kid)

    walk(gui.app.canvas.editor)
    return out


def tooltips(gui) -> int:
    return len(tooltip_texts(gui))


def test_a_field_row_is_its_widget_and_a_single_input_label_has_no_group(gui):
    open_small(gui)
    dpg = gui.dpg
    view = gui.app.canvas.views["lora"]
    for widget in view.fields.values():
        if widget.fld.kind == PATH:
            assert dpg.get_item_type(widget.row).endswith("mvGroup")
        else:
            assert widget.row == widget.widget and dpg.get_item_parent(widget.widget) == view.static
    single = gui.app.canvas.views["ds0"]
    pin = next(p for p in single.spec.inputs if not p.multi)
    assert dpg.get_item_type(dpg.get_item_parent(single.pin_texts[pin.name])).endswith("mvNodeAttribute")
    assert tooltips(gui) == 0  # none is built before a hover


def test_an_input_label_gets_its_tooltip_on_the_first_real_hover(gui):
    open_small(gui)
    gui.show("ds0")
    view = gui.app.canvas.views["ds0"]
    text = view.pin_texts[view.spec.inputs[0].name]
    assert gui.dpg.get_item_info(text)["handlers"] == gui.app.hover_handlers
    before = tooltips(gui)
    gui.move(*gui.empty_canvas_point())
    gui.move(*gui.centre(text), frames=4)
    assert tooltips(gui) == before + 1
    assert sum("takes:" in t for t in tooltip_texts(gui)) == 1
    gui.move(*gui.empty_canvas_point())
    gui.move(*gui.centre(text), frames=4)
    assert tooltips(gui) == before + 1  # built once
    assert gui.dpg.get_item_info(text)["handlers"] is None


def test_a_key_field_gets_its_tooltip_on_hover_and_still_commits(gui):
    doc = open_small(gui)
    gui.show("img0")
    widget = gui.app.canvas.views["img0"].fields["key"].widget
    assert gui.dpg.get_item_info(widget)["handlers"] == gui.app.key_commit_handlers
    before = tooltips(gui)
    gui.move(*gui.empty_canvas_point())
    gui.move(*gui.centre(widget), frames=4)
    assert tooltips(gui) == before + 1
    gui.move(*gui.empty_canvas_point(), frames=2)
    gui.move(*gui.centre(widget), frames=4)
    assert tooltips(gui) == before + 1
    assert gui.dpg.get_item_info(widget)["handlers"] == gui.app.key_commit_handlers  # commits still
    gui.click(*gui.centre(widget))
    gui.key("a", "Control_L")
    gui.type("main")
    gui.key("Return")
    gui.frames(3)
    assert doc.graph.node("img0").values["key"] == "main"


def test_ordered_rows_are_built_only_while_open(gui):
    doc = open_small(gui)
    doc.add_node("image_item", (0.0, 0.0), {"key": "extra", "suffix": "_E"}, link_to=("il0", "items"))
    gui.frames(3)
    view = gui.app.canvas.views["il0"]
    group = view.order_groups["items"]
    assert gui.dpg.is_item_shown(view.order_summary["items"]) and gui.dpg.get_item_children(group, 1) == []
    gui.show("il0")
    gui.click(*gui.centre(view.order_toggle["items"]))
    gui.frames(2)
    assert len(gui.dpg.get_item_children(group, 1)) == 2 and gui.dpg.is_item_shown(group)
    view.on_toggle_order(view.order_toggle["items"], None, "items")  # closed, as the click above opened it
    gui.frames(2)
    assert gui.dpg.get_item_children(group, 1) == [] and not gui.dpg.is_item_shown(group)
