"""`dpg-lora import FILE [--script NAME] -o GRAPH.json`."""
from __future__ import annotations

import json

import pytest

from dpg_lora.cli import main
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from tests.importers.test_config_import import config


def run(capsys, *argv):
    code = main(["import", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out  # notes on stderr, the summary on stdout


def test_a_config_becomes_a_graph_file(tmp_path, capsys):
    src = tmp_path / "config.json"
    src.write_text(json.dumps(config(learning_rte=1, script="train_longcat_edit.py")), encoding="utf-8")
    out = tmp_path / "sub" / "graph.json"
    code, lines, err = run(capsys, src, "-o", out)
    assert code == 0
    assert "warning UNKNOWN_KEY extra_settings.learning_rte: " in "\n".join(lines)  # node.field
    assert all(line.split(" ")[0] in ("error", "warning", "info") for line in lines)
    graph = load_graph(out)
    assert graph.script() == "train_longcat_edit.py" and graph.name == "config"
    assert compile_graph(graph).config["learning_rte"] == 1
    assert "wrote" in err


def test_script_option_and_workflows(tmp_path, capsys):
    src = tmp_path / "wf.json"
    src.write_text(json.dumps({"nodes": [{"id": "s", "type": "scriptNode", "position": {"x": 0, "y": 0},
                                          "data": {"scriptName": "train_longcat.py"}}],
                               "edges": [], "timestamp": 1, "version": "1.0"}), encoding="utf-8")
    code, lines, _ = run(capsys, src, "--script", "train_flux2klein.py", "-o", tmp_path / "g.json")
    assert code == 1 and any(line.startswith("error NO_DATASETS ") for line in lines)  # no Dataset List
    assert load_graph(tmp_path / "g.json").script() == "train_flux2klein.py"
    assert any("SCRIPT_OVERRIDDEN" in line for line in lines)


def test_a_dpg_lora_graph_passes_through(tmp_path, capsys):
    src = tmp_path / "config.json"
    src.write_text(json.dumps(config()), encoding="utf-8")
    assert run(capsys, src, "-o", tmp_path / "a.json")[0] == 0
    code, lines, _ = run(capsys, tmp_path / "a.json", "-o", tmp_path / "b.json")
    assert code == 0 and lines == []
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_unreadable_input_exits_2(tmp_path, capsys):
    cases = {"missing.json": None, "bad.json": b"{not json", "list.json": b"[1, 2]", "latin.json": b'{"a": "\xe9"}',
             "broken_graph.json": b'{"format": "dpg-lora-graph", "version": 1, "nodes": [{"id": 3}]}'}
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        code, lines, err = run(capsys, path, "-o", tmp_path / "out.json")
        assert code == 2, name
        assert lines[0].startswith("dpg-lora: ") and len(lines) == 1, lines
    assert not (tmp_path / "out.json").exists()


def test_the_editor_import_hook_finds_the_importer():
    pytest.importorskip("dearpygui")
    from dpg_lora.ui.file_actions import importer

    fn = importer()
    assert fn is not None and fn.__name__ == "import_file"
