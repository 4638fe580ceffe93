"""Values that read right, seen in the drawn editor: the only key is taken, defaults look like
defaults, empty required fields are outlined, fields a script does not take are not shown."""
from __future__ import annotations

import json

from dpg_lora.document import Document
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
