"""Values that read right, seen in the drawn editor: the only key is taken, defaults look like
defaults, empty required fields are outlined, fields a script does not take are not shown."""
from __future__ import annotations

import json

from dpg_lora.document import Document
from dpg_lora.specs import REGISTRY
from tests.core.util import small_graph


def open_graph(gui, graph):
    gui.app.set_document(Document(graph))
    gui.at_zoom(1.0)
    return gui.app.doc


def preview(gui) -> dict:
    return json.loads(gui.dpg.get_value(gui.app.preview.json))


def test_a_batch_with_one_candidate_shows_and_writes_it(gui):
    graph = small_graph()
    for name in ("target_config", "caption_config"):
        graph.node("bat0").values.pop(name)
    doc = open_graph(gui, graph)
    gui.show("bat0")
    fields = gui.app.canvas.views["bat0"].fields
    assert gui.dpg.get_value(fields["target_config"].widget) == "train"
    assert gui.dpg.get_value(fields["caption_config"].widget) == "train"
    batch = preview(gui)["dataset_configs"][0]["batch_configs"][0]
    assert batch["target_config"] == "train" and batch["caption_config"] == "train"
    assert not doc.result.errors
    # a second target key makes it a real choice: nothing is guessed, the field asks
    doc.add_node("target_item", (40, 700), {"key": "other", "image": "train"}, link_to=("tl0", "items"))
    gui.frames(3)
    widget = fields["target_config"]
    assert gui.dpg.get_value(widget.widget) not in ("train", "other")
    assert list(widget.labels.values())[1:] == ["train", "other"]
    assert any(d.field == "target_config" and d.code == "FIELD_REQUIRED" for d in doc.result.errors)
    # choosing one with the mouse writes it: the popup lists the choices below the box
    gui.show("bat0")
    gui.click(*gui.centre(widget.widget))
    x0, _, x1, y1 = gui.rect(widget.widget)
    row = gui.app.theme.font_size + 4
    gui.click(int(x0 + 20), int(y1 + row * 2 + row // 2 + 2))
    gui.frames(3)
    assert doc.graph.node("bat0").values["target_config"] == "other"
    assert preview(gui)["dataset_configs"][0]["batch_configs"][0]["target_config"] == "other"


def _theme(gui, state):
    return gui.app.theme.value_themes[state]


def test_defaults_read_as_defaults_and_a_typed_value_as_the_users(gui):
    doc = open_graph(gui, small_graph())
    gui.show("misc")
    rate = gui.app.canvas.views["misc"].fields["learning_rate"]
    assert "learning_rate" not in doc.graph.node("misc").values
    assert rate.state == "default" and gui.dpg.get_item_theme(rate.widget) == _theme(gui, "default")
    assert "train_longcat.py" in rate.state_tip
    gui.click(*gui.centre(rate.widget))
    gui.key("a", "Control_L")
    gui.type("0.001")
    gui.frames(3)
    assert doc.graph.node("misc").values["learning_rate"] == 0.001
    assert rate.state == "set" and not gui.dpg.get_item_theme(rate.widget)
    # the hovered tooltip says how the value reads
    gui.move(*gui.centre(rate.widget), frames=6)
    assert rate.tip_text and gui.dpg.get_value(rate.tip_text) == rate.state_tip


def test_an_empty_required_field_is_outlined_and_says_what_it_needs(gui):
    graph = small_graph()
    graph.node("dir").values.pop("pretrained_model_name_or_path")
    doc = open_graph(gui, graph)
    gui.show("dir")
    base = gui.app.canvas.views["dir"].fields["pretrained_model_name_or_path"]
    assert base.state == "missing" and gui.dpg.get_item_theme(base.widget) == _theme(gui, "missing")
    assert gui.dpg.is_item_shown(base.note) and "must not be empty" in gui.dpg.get_value(base.note)
    assert base.state_tip == "required: needs a value"
    assert gui.dpg.get_item_configuration(base.widget)["hint"] == "(required)"
    assert any(d.field == "pretrained_model_name_or_path" for d in doc.result.errors)  # and in Problems
    gui.click(*gui.centre(base.widget))
    gui.type("models/base")
    gui.key("Return")
    gui.frames(3)
    assert base.state == "set" and not gui.dpg.is_item_shown(base.note)


def test_a_key_field_hint_reads_as_a_hint(gui):
    graph = small_graph()
    graph.node("img0").values.pop("key")
    open_graph(gui, graph)
    key = gui.app.canvas.views["img0"].fields["key"]
    assert gui.dpg.get_value(key.widget) == ""
    assert gui.dpg.get_item_configuration(key.widget)["hint"] == "(name, e.g. train)"
    assert key.state == "missing"


def test_a_problem_shows_under_its_field(gui):
    graph = small_graph(num_train_epochs=0)
    open_graph(gui, graph)
    gui.show("misc")
    view = gui.app.canvas.views["misc"]
    epochs = view.fields["num_train_epochs"]
    assert epochs.state == "wrong" and gui.dpg.is_item_shown(epochs.note)
    assert "Epochs" in gui.dpg.get_value(epochs.note)
    listed = [gui.dpg.get_value(i) for i in gui.dpg.get_item_children(view.problems, 1)]
    assert not any("Epochs" in t for t in listed)  # said once on the node: under its field
    _, ny0, _, ny1 = gui.rect(epochs.note)
    _, wy0, _, wy1 = gui.rect(epochs.widget)
    assert ny0 >= wy1 - 1 and ny1 - ny0 < 2.5 * (wy1 - wy0)  # right under it, one line or so


def test_fields_a_script_does_not_read_are_not_shown(gui):
    graph = small_graph("train_longcat.py")
    doc = open_graph(gui, graph)
    view = gui.app.canvas.views["cap0"]
    assert "instruction" not in view.fields  # LongCat ignores it: not built, not shown
    doc.set_value("script", "script", "train_qwen_image_edit_new.py")
    gui.frames(3)
    assert gui.dpg.is_item_shown(view.fields["instruction"].row)
    doc.set_value("cap0", "instruction", "Describe the edit.")
    doc.set_value("script", "script", "train_longcat.py")
    gui.frames(3)
    assert not gui.dpg.is_item_shown(view.fields["instruction"].row)
    listed = [gui.dpg.get_value(i) for i in gui.dpg.get_item_children(view.problems, 1)]
    assert any("Instruction" in t and "not written" in t for t in listed), listed
    assert "instruction" not in preview(gui)["dataset_configs"][0]["caption_configs"]["train"]
    assert doc.graph.node("cap0").values["instruction"] == "Describe the edit."  # kept


def test_choosing_a_script_offers_its_values_and_accepting_is_one_undo(gui):
    doc = open_graph(gui, small_graph("train_longcat.py"))
    gui.show("script")
    widget = gui.app.canvas.views["script"].fields["script"]
    names = list(widget.labels.values())
    gui.click(*gui.centre(widget.widget))
    x0, _, _, y1 = gui.rect(widget.widget)
    row = gui.app.theme.font_size + 4
    index = names.index("train_qwen_image_new.py")
    gui.click(int(x0 + 20), int(y1 + row * index + row // 2 + 2))
    gui.frames(3)
    assert doc.graph.node("script").values["script"] == "train_qwen_image_new.py"
    modal = gui.app.dialogs.modal
    assert modal and gui.dpg.is_item_shown(modal)
    texts = [gui.dpg.get_value(i) for i in gui.dpg.get_item_children(modal, 1)
             if gui.dpg.get_item_type(i).endswith("mvText")]
    assert any("Output directory: flux-dreambooth -> output/qwen_image_lora" in t
               and "Save name: flux_ -> qwen_image_" in t for t in texts), texts
    buttons = [i for i in gui.dpg.get_all_items() if gui.dpg.get_item_type(i).endswith("mvButton")
               and gui.dpg.get_item_label(i) == "Set them"]
    gui.click(*gui.centre(buttons[0]))
    gui.frames(3)
    config = preview(gui)
    assert (config["output_dir"], config["save_name"]) == ("output/qwen_image_lora", "qwen_image_")
    gui.key("z", "Control_L")  # one step takes both back, the script stays
    assert "output_dir" not in doc.graph.node("dir").values and "save_name" not in doc.graph.node("dir").values
    assert doc.graph.node("script").values["script"] == "train_qwen_image_new.py"


def test_a_new_directory_setup_starts_with_its_scripts_names(gui):
    doc = open_graph(gui, small_graph("train_longcat.py"))
    node_id = gui.app.edits.add_node_at(REGISTRY["directory_setup"], (0, 900))
    gui.frames(3)
    view = gui.app.canvas.views[node_id]
    assert gui.dpg.get_value(view.fields["output_dir"].widget) == "output/longcat_lora"
    assert gui.dpg.get_value(view.fields["save_name"].widget) == "longcat_"
    assert doc.graph.node(node_id).values["save_name"] == "longcat_"


def test_the_json_preview_marks_the_defaults_on_request(gui):
    doc = open_graph(gui, small_graph())
    preview_panel = gui.app.preview
    assert gui.dpg.get_value(preview_panel.json) == doc.result.config_text  # the exact bytes by default
    assert str(len(doc.result.defaulted)) in gui.dpg.get_value(preview_panel.defaults_line)
    gui.click(*gui.centre(preview_panel.mark_defaults))
    gui.frames(3)
    rows = {r.strip().split(":")[0]: r for r in gui.dpg.get_value(preview_panel.json).split("\n")}
    assert rows['"learning_rate"'].endswith("\u2190 default")
    assert not rows['"rank"'].endswith("\u2190 default")  # the LoRA node sets it
    gui.click(*gui.centre(preview_panel.mark_defaults))
    gui.frames(3)
    assert gui.dpg.get_value(preview_panel.json) == doc.result.config_text
