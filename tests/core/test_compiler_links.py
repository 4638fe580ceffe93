"""The compiler's link rules: one link into a single input, one Script Loader."""
from __future__ import annotations

from dpg_lora.compiler import compile_graph
from tests.core.util import small_graph


def diagnostics(result, code):
    return [(d.severity, d.node_id, d.field) for d in result.diagnostics if d.code == code]


def test_one_link_into_a_single_input_is_no_warning():
    assert diagnostics(compile_graph(small_graph()), "MULTIPLE_LINKS") == []


def test_a_second_link_into_a_single_input_is_ignored_with_a_warning():
    g = small_graph(learning_rate=0.5)
    g.nodes.append(g.node("misc").model_copy(update={"id": "misc2", "values": {"learning_rate": 0.25}}))
    g.links.append(g.links[[l.src for l in g.links].index("misc")].model_copy(update={"src": "misc2"}))
    result = compile_graph(g)
    assert diagnostics(result, "MULTIPLE_LINKS") == [("warning", "script", "misc")]
    assert result.config["learning_rate"] == 0.5  # the first link's node is the one written
    assert "misc2" in {d.node_id for d in result.diagnostics if d.code == "UNCONNECTED_NODE"}


def test_only_the_first_script_loader_is_used():
    g = small_graph("train_longcat.py")
    assert diagnostics(compile_graph(g), "EXTRA_SCRIPT_LOADER") == []
    g.nodes.append(g.node("script").model_copy(update={"id": "script2",
                                                        "values": {"script": "train_qwen_image_new.py"}}))
    result = compile_graph(g)
    assert diagnostics(result, "EXTRA_SCRIPT_LOADER") == [("warning", "script2", None)]
    assert result.script == "train_longcat.py"
