"""An edit refreshes only the node views it touched (refresh calls counted per node)."""
from __future__ import annotations

import pytest

from dpg_lora.document import Document
from dpg_lora.ui.node_widgets import NodeView
from tests.core.util import small_graph


@pytest.fixture
def refreshed(gui, monkeypatch):
    """Node ids refreshed since the last `clear()`, with the editor showing a two-dataset graph."""
    calls: list[str] = []
    original = NodeView.refresh

    def counting(self, *args, **kwargs):
        calls.append(self.node_id)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(NodeView, "refresh", counting)
    gui.app.set_document(Document(small_graph(datasets=2), context=gui.app.context))
    gui.settle()  # opening fits the graph: a zoom change rebuilds (and refreshes) every node
    assert set(calls) == {n.id for n in gui.app.doc.graph.nodes}  # the first sync shows every node
    calls.clear()
    return calls


def dataset_nodes(i: int) -> set[str]:
    return {f"{p}{i}" for p in ("ds", "il", "img", "tl", "tgt", "cl", "cap", "bl", "bat")}


def test_a_value_typed_into_a_widget_refreshes_that_node_only(gui, refreshed):
    view = gui.app.canvas.views["lora"]
    widget = view.fields["rank"].widget
    view.on_value(widget, 32, ("lora", "rank"))  # the widget's own callback
    gui.frames(2)
    assert gui.app.doc.graph.node("lora").values["rank"] == 32
    assert refreshed == ["lora"]
    refreshed.clear()
    gui.frames(3)  # nothing changed: nothing refreshed
    assert refreshed == []


def test_renaming_a_key_refreshes_its_dataset_not_the_other(gui, refreshed):
    gui.app.edit_value("img0", "key", "main")
    gui.frames(2)
    doc = gui.app.doc
    assert doc.graph.node("cap0").values["image"] == "main"  # the rename followed
    touched = set(refreshed)
    assert {"img0", "tgt0", "cap0", "il0"} <= touched  # values, and the list showing img0's key
    assert touched <= dataset_nodes(0), touched - dataset_nodes(0)
    assert len(refreshed) == len(touched)  # once each


def test_removing_a_link_refreshes_the_nodes_whose_links_or_problems_changed(gui, refreshed):
    doc = gui.app.doc
    link = doc.find_link("cap1", "cl1", "items")
    gui.app.unlink(link)
    gui.frames(2)
    assert doc.find_link("cap1", "cl1", "items") is None
    touched = set(refreshed)
    assert touched, "the unlinked nodes' problems changed"
    assert not touched & (dataset_nodes(0) | {"lora", "misc", "dir", "script"}), touched
    refreshed.clear()
    gui.app.undo()
    gui.frames(2)
    assert doc.find_link("cap1", "cl1", "items") is not None
    assert set(refreshed) == touched  # undo touches the same nodes back
