"""The compile context: machine defaults are an explicit input of compile_graph, never hidden state."""
from __future__ import annotations

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.document import Document
from dpg_lora.settings import Settings
from tests.core.util import small_graph

HERE = CompileContext(trainer_dir="/opt/T2I Trainér", python="/opt/py/bin/python3")


def test_same_graph_and_context_give_the_same_bytes_in_any_order():
    empty_first = compile_graph(small_graph())
    here = compile_graph(small_graph(), HERE)
    empty_again = compile_graph(small_graph())  # compiling with HERE left nothing behind
    assert empty_first.argv == empty_again.argv == ["python", "train_longcat.py", "--config_path", "config.json"]
    assert empty_first.cwd == empty_again.cwd == "."
    assert here.argv[0] == "/opt/py/bin/python3" and here.cwd == "/opt/T2I Trainér"
    assert compile_graph(small_graph(), HERE).argv == here.argv
    # the machine picks where and how the trainer runs, not what the config says
    assert here.config_text == empty_first.config_text


def test_a_value_set_on_the_script_loader_wins_over_the_context():
    g = small_graph()
    g.node("script").values.update(python="/usr/bin/python3.11", trainer_dir="trainer")
    result = compile_graph(g, HERE)
    assert result.argv[0] == "/usr/bin/python3.11" and result.cwd == "trainer"


def test_context_from_settings(tmp_path):
    ctx = CompileContext.from_settings(Settings(trainer_dir=tmp_path, python="py3"), environ={})
    assert ctx == CompileContext(trainer_dir=str(tmp_path), python="py3", wandb_login="")
    assert CompileContext.from_settings(Settings(), environ={"WANDB_API_KEY": "k"}) == CompileContext(
        wandb_login="WANDB_API_KEY")


def test_the_document_compiles_for_its_context_and_recompiles_when_it_changes():
    doc = Document(small_graph(), context=HERE)
    assert doc.result.argv[0] == "/opt/py/bin/python3"
    revision = doc.revision
    doc.context = CompileContext()
    assert doc.revision == revision  # not an edit: nothing to undo, not dirty
    assert doc.result.argv[0] == "python" and not doc.dirty
