"""`dpg-lora import`: an import with errors exits 1, and error lines name node and field."""
from __future__ import annotations

import json
import re

from dpg_lora.cli import main
from dpg_lora.graph import load_graph
from tests.importers.test_config_import import config

LINE = re.compile(r"^(error|warning|info) [A-Z0-9_]+ [\w.\-\[\]']+: .+")


def run(capsys, tmp_path, data, *extra):
    src = tmp_path / "config.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "graph.json"
    code = main(["import", str(src), "-o", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out, out


def test_an_import_with_errors_exits_1_and_pins_the_error_to_a_node(tmp_path, capsys):
    data = config(script="train_longcat_edit.py")
    del data["dataset_configs"]
    code, err, out, graph_file = run(capsys, tmp_path, data)
    assert code == 1
    errors = [line for line in err if line.startswith("error ")]
    assert len(errors) == 1 and errors[0].startswith("error NO_DATASETS ")
    graph = load_graph(graph_file)  # still written: the user fixes it in the editor
    (dataset_list,) = graph.find("dataset_list")
    assert errors[0].startswith(f"error NO_DATASETS {dataset_list.id}: ") and "dataset_configs" in errors[0]
    assert all(LINE.match(line) for line in err), err
    assert "1 error" in out


def test_a_dropped_value_names_the_loader_field(tmp_path, capsys):
    data = config(script="train_longcat_edit.py", config_path=42)
    code, err, _, graph_file = run(capsys, tmp_path, data)
    assert code == 1
    (loader,) = load_graph(graph_file).find("script_loader")
    assert any(line.startswith(f"error VALUE_DROPPED {loader.id}.config_path: ") for line in err), err


def test_an_import_with_warnings_only_exits_0(tmp_path, capsys):
    code, err, out, _ = run(capsys, tmp_path, config(script="train_longcat_edit.py", learning_rte=1))
    assert code == 0
    assert any(line.startswith("warning UNKNOWN_KEY ") for line in err)
    assert "wrote" in out
