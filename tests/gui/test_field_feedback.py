"""Typing into number fields and Extra settings with real keys: nothing changes without a word."""
from __future__ import annotations

import json

from dpg_lora.document import Document
from dpg_lora.graph import graph_to_text
from dpg_lora.specs import REGISTRY
from dpg_lora.ui.node_widgets import parse_number_text
from tests.core.util import small_graph


def open_graph(gui, graph):
    gui.app.set_document(Document(graph))
    gui.frames(4)
    return gui.app.doc


def problem_texts(gui, node_id) -> list[str]:
    view = gui.app.canvas.views[node_id]
    texts = [gui.dpg.get_value(item) for item in gui.dpg.get_item_children(view.problems, 1)]
    notes = [gui.dpg.get_value(w.note) for w in view.fields.values()  # a field's problem is said under it
             if w.note and gui.dpg.is_item_shown(w.note)]
    return [t[2:] if t[:2] in ("\u00d7 ", "! ") else t for t in texts] + notes  # the severity mark


def retype(gui, widget, text):
    gui.click(*gui.centre(widget))
    gui.key("a", "Control_L")
    gui.type(text)
    gui.frames(3)


def test_a_number_below_the_minimum_is_kept_and_said(gui):
    doc = open_graph(gui, small_graph())
    gui.show("misc")
    epochs = gui.app.canvas.views["misc"].fields["num_train_epochs"].widget
    retype(gui, epochs, "-5")
    gui.key("Return")
    gui.frames(3)
    assert doc.graph.node("misc").values["num_train_epochs"] == -5  # not clamped to 1
    assert gui.dpg.get_value(epochs) == "-5"
    status = gui.app.status_message()
    assert "Epochs must be at least 1, not -5" in status, status
    assert any("Epochs must be at least 1, not -5" in t for t in problem_texts(gui, "misc"))
    assert json.loads(gui.dpg.get_value(gui.app.preview.json))["num_train_epochs"] == -5


def test_text_that_is_no_number_is_said_on_the_field_and_the_status_line(gui):
    doc = open_graph(gui, small_graph())
    before = graph_to_text(doc.graph)
    gui.show("misc")
    view = gui.app.canvas.views["misc"]
    rate = view.fields["learning_rate"].widget
    retype(gui, rate, "abc")
    assert graph_to_text(doc.graph) == before  # nothing stored
    assert gui.dpg.get_value(rate) == "abc"  # what was typed stays visible, marked
    status = gui.app.status_message()
    assert "Learning rate: 'abc' is not a number" in status and "0.0001" in status, status
    assert "Learning rate: 'abc' is not a number" in problem_texts(gui, "misc")
    assert gui.dpg.get_item_theme(rate)  # tinted
    retype(gui, rate, "0.001")
    assert doc.graph.node("misc").values["learning_rate"] == 0.001
    assert not gui.dpg.get_item_theme(rate)
    assert not any("is not a number" in t for t in problem_texts(gui, "misc"))


def test_an_extra_setting_of_nan_is_refused_with_its_place(gui):
    graph = small_graph()
    doc = open_graph(gui, graph)
    node_id = doc.add_node("extra_settings", (40, 600))
    doc.add_link(node_id, "script", "extra")
    gui.frames(4)
    gui.show(node_id)
    box = gui.app.canvas.views[node_id].extra_text
    gui.click(*gui.centre(box))
    keys = {"{": ("braceleft", True), "}": ("braceright", True), '"': ("quotedbl", True),
            ":": ("colon", True), " ": ("space", False), "_": ("underscore", True)}
    for ch in '{"my_key": NaN}':
        name, shift = keys.get(ch, (ch.lower(), ch.isupper()))
        gui.key(name, *(("Shift_L",) if shift else ()))
    gui.frames(3)
    assert gui.dpg.get_value(box) == '{"my_key": NaN}'
    assert doc.graph.node(node_id).values == {}
    assert any(t.startswith("Extra settings: my_key: NaN is not valid JSON") for t in problem_texts(gui, node_id))
    assert "NaN" not in gui.dpg.get_value(gui.app.preview.json)


def test_parse_number_text_reads_what_a_person_types():
    epochs = REGISTRY["misc_settings"].field("num_train_epochs")
    rate = REGISTRY["misc_settings"].field("learning_rate")
    assert parse_number_text(epochs, " 12 ") == (12, None)
    assert parse_number_text(epochs, "-5") == (-5, None)  # kept: the bounds rule reports it
    assert parse_number_text(epochs, "1e3") == (1000, None)
    assert parse_number_text(epochs, "-") == (None, None)  # still being typed
    assert parse_number_text(rate, "1e-") == (None, None)
    assert parse_number_text(epochs, "2.5")[1] == "Epochs: '2.5' is not a whole number"
    assert parse_number_text(rate, "abc")[1] == "Learning rate: 'abc' is not a number"
    assert parse_number_text(rate, "nan")[1] == "Learning rate: 'nan' is not a finite number"
    assert parse_number_text(rate, "1e400")[1] == "Learning rate: '1e400' is not a finite number"
    assert parse_number_text(rate, "0.5") == (0.5, None)
