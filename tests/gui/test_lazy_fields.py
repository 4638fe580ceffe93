"""Fields cost no widgets until shown: folded Advanced fields are built on the first real click
that opens the fold, fields of other scripts when the script changes; built rows keep spec order."""
from __future__ import annotations

from dpg_lora.document import Document
from dpg_lora.specs import REGISTRY
from tests.core.util import small_graph


def open_small(gui):
    gui.app.set_document(Document(small_graph(), context=gui.app.context))
    gui.at_zoom(1.0)  # opening fits (a zoom change rebuilds the views); these tests keep a view
    return gui.app.doc


def row_order(gui, view, parent) -> list[str]:
    by_row = {w.row: name for name, w in view.fields.items()}
    return [by_row[c] for c in gui.dpg.get_item_children(parent, 1) if c in by_row]


def spec_order(spec, names) -> list[str]:
    return [f.name for f in spec.fields if f.name in names]


def test_folded_advanced_fields_are_built_when_the_fold_is_first_opened(gui):
    doc = open_small(gui)
    view = gui.app.canvas.views["lora"]
    advanced = [f.name for f in REGISTRY["lora_config"].fields if f.advanced]
    assert advanced and not set(advanced) & set(view.fields)
    doc.set_value("lora", "rank", 16)
    gui.frames(2)
    assert not set(advanced) & set(view.fields)  # an edit does not build them either
    gui.show("lora")
    gui.click(*gui.centre(view.advanced))  # a real click on "Advanced (n)"
    gui.frames(3)
    built = [n for n in advanced if n in view.fields]
    assert built, "opening the fold builds its fields"
    assert row_order(gui, view, view.advanced) == spec_order(view.spec, built)
    assert all(gui.dpg.is_item_shown(view.fields[n].row) for n in built if view.fields[n].visible)


def test_a_field_of_another_script_is_built_in_its_place_when_that_script_is_chosen(gui):
    from dpg_lora.scripts import SCRIPTS, profile

    doc = open_small(gui)
    view = gui.app.canvas.views["misc"]
    script = doc.result.script
    other, fld = next((s, f) for f in REGISTRY["misc_settings"].fields for s in SCRIPTS
                      if script not in f.scripts and s in f.scripts and profile(s).schema == "new")
    view.open_advanced()  # as a click on the fold does (tested above)
    gui.frames(2)
    assert fld.name not in view.fields
    before = len(view.fields)
    doc.set_value("script", "script", other)
    gui.frames(2)
    assert fld.name in view.fields and gui.dpg.is_item_shown(view.fields[fld.name].row)
    assert len(view.fields) > before
    basic = [n for n, w in view.fields.items() if not w.fld.advanced]
    advanced = [n for n, w in view.fields.items() if w.fld.advanced]
    assert row_order(gui, view, view.static) == spec_order(view.spec, basic)
    assert row_order(gui, view, view.advanced) == spec_order(view.spec, advanced)
    children = gui.dpg.get_item_children(view.static, 1)
    assert children[-1] == view.advanced  # basic rows stay above the fold


def test_a_node_holds_far_fewer_items_than_all_its_fields_would_need(gui):
    open_small(gui)
    view = gui.app.canvas.views["misc"]
    spec = REGISTRY["misc_settings"]
    assert len(view.fields) < len(spec.fields)
    assert all(not w.fld.advanced for w in view.fields.values())


def test_a_field_gets_its_help_tooltip_on_the_first_real_hover(gui):
    open_small(gui)
    gui.show("lora")
    widget = gui.app.canvas.views["lora"].fields["rank"].widget

    def tooltips() -> int:
        return sum(gui.dpg.get_item_type(i).endswith("mvTooltip") for i in gui.dpg.get_all_items())

    before = tooltips()
    assert gui.dpg.get_item_info(widget)["handlers"] == gui.app.hover_handlers
    gui.move(*gui.empty_canvas_point())
    gui.move(*gui.centre(widget), frames=4)
    assert tooltips() == before + 1
    gui.move(*gui.empty_canvas_point())
    gui.move(*gui.centre(widget), frames=4)
    assert tooltips() == before + 1  # built once
    assert gui.dpg.get_item_info(widget)["handlers"] is None  # no hover callbacks any more
