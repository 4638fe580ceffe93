"""One strict JSON reader for every command: the same file gets the same answer from compile,
validate, import and run, exit 2 and one line naming the file and the place, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dpg_lora.cli import main
from dpg_lora.graph import Graph, GraphFileError, Node, graph_from_dict, graph_to_text, load_graph
from tests.core.util import small_graph
from tests.validation.helpers import sound

COMMANDS = (["compile"], ["validate"], ["run", "--dry-run"])


def graph_text() -> str:
    return graph_to_text(small_graph())


def lora_index() -> int:
    return [n.id for n in small_graph().nodes].index("lora")


# (name, replacement of the lora node's `"rank": 8`, place named, words in the message)
GRAPH_CASES = [
    ("nan", '"rank": NaN', "values.rank", "NaN"),
    ("infinity", '"rank": -Infinity', "values.rank", "Infinity"),
    ("overflowing float", '"rank": 1e400', "values.rank", "1e400"),
    ("5000 digits", '"rank": ' + "9" * 5000, "values.rank", "5000-digit"),
    ("duplicate key", '"rank": 16, "rank": 99999', "values.rank", "duplicate key 'rank'"),
    ("deep nesting", '"rank": ' + "[" * 10_000 + "]" * 10_000, "", "nested too deeply"),
    ("moderately deep", '"rank": ' + "[" * 990 + "]" * 990, "", "nested too deeply"),
    ("lone surrogate", '"rank": "x\\ud800"', "values.rank", "lone surrogate"),  # loads, but no save could write it
]


def bad_graph(tmp_path, replacement: str):
    text = graph_text()
    assert text.count('"rank": 8') == 1
    path = tmp_path / "bad graph.json"
    path.write_text(text.replace('"rank": 8', replacement), encoding="utf-8")
    return path


def one_error_line(capsys, path, where: str, words: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err[:2000]
    assert str(path) in lines[0] and words in lines[0], lines[0][:500]
    assert where in lines[0], lines[0][:500]
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("name,replacement,where,words", GRAPH_CASES, ids=[c[0] for c in GRAPH_CASES])
def test_bad_numbers_keys_and_nesting_in_a_graph(tmp_path, capsys, command, name, replacement, where, words):
    path = bad_graph(tmp_path, replacement)
    assert main([command[0], str(path), *command[1:]]) == 2
    line = one_error_line(capsys, path, where, words)
    if where:
        assert f"nodes[{lora_index()}].values.rank" in line


@pytest.mark.parametrize("name,replacement,where,words", GRAPH_CASES, ids=[c[0] for c in GRAPH_CASES])
def test_import_refuses_the_same_graphs(tmp_path, capsys, name, replacement, where, words):
    path = bad_graph(tmp_path, replacement)
    out = tmp_path / "out.json"
    assert main(["import", str(path), "-o", str(out)]) == 2
    one_error_line(capsys, path, where, words)
    assert not out.exists()


CONFIG_CASES = [
    ("nan extra key", '"my_key": NaN', "my_key", "NaN"),
    ("5000 digits", '"my_steps": ' + "7" * 5000, "my_steps", "5000-digit"),
    ("duplicate key", '"rank": 16, "rank": 99999', "rank", "duplicate key 'rank'"),
    ("deep", '"x": ' + "[" * 10_000 + "]" * 10_000, "", "nested too deeply"),
]


def bad_config(tmp_path, insert: str):
    text = json.dumps(sound("train_longcat_edit.py"))
    path = tmp_path / "bad config.json"
    path.write_text("{" + insert + ", " + text[1:], encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("name,insert,where,words", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_numbers_keys_and_nesting_in_a_config(tmp_path, capsys, command, name, insert, where, words):
    path = bad_config(tmp_path, insert)
    argv = [command, str(path), "--script", "train_longcat_edit.py"]
    if command == "import":
        argv += ["-o", str(tmp_path / "g.json")]
    assert main(argv) == 2
    line = one_error_line(capsys, path, where, words)
    assert f"{path}: {where}: " in line if where else True


def test_duplicate_keys_name_the_nested_place(tmp_path):
    from dpg_lora import jsonfile

    config = sound("train_longcat_edit.py")
    text = json.dumps(config).replace('"repeats": 1', '"repeats": 1, "repeats": 3', 1)
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(jsonfile.JsonFileError) as info:
        jsonfile.read_json(path)
    assert info.value.where == "dataset_configs[0].repeats"


def test_a_bom_is_accepted_by_every_reader(tmp_path, capsys):
    graph = tmp_path / "g.json"
    graph.write_bytes(b"\xef\xbb\xbf" + graph_text().encode())
    config = tmp_path / "c.json"
    config.write_bytes(b"\xef\xbb\xbf" + json.dumps(sound("train_longcat_edit.py")).encode())
    assert main(["compile", str(graph)]) == 0
    assert main(["validate", str(graph)]) == 0
    assert main(["validate", str(config), "--script", "train_longcat_edit.py"]) == 0
    assert main(["import", str(config), "-o", str(tmp_path / "out.json")]) == 0
    assert "not valid JSON" not in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("argv", [["validate"], ["compile"], ["import", "-o", "OUT"], ["run", "--dry-run"]],
                         ids=lambda a: a[0])
def test_a_fifo_is_refused_without_blocking(tmp_path, argv):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    args = [str(tmp_path / "out.json") if a == "OUT" else a for a in argv]
    proc = subprocess.run([sys.executable, "-m", "dpg_lora", args[0], str(fifo), *args[1:]],
                          capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2, proc.stderr
    assert "named pipe" in proc.stderr and str(fifo) in proc.stderr and "Traceback" not in proc.stderr


def test_a_folder_or_device_is_refused(tmp_path):
    from dpg_lora import jsonfile

    for path, words in ((tmp_path, "a folder"), ("/dev/null", "a device")):
        if not os.path.exists(path):
            continue
        with pytest.raises(jsonfile.JsonFileError) as info:
            jsonfile.read_json(path)
        assert words in info.value.message and info.value.kind == "unreadable"


# ---------------------------------------------------------------- in memory and writers

def test_non_finite_positions_and_extra_values_are_refused_in_memory():
    data = json.loads(graph_text())
    data["nodes"][0]["pos"] = [float("nan"), 0]
    with pytest.raises(GraphFileError) as info:
        graph_from_dict(data)
    assert "nodes[0]" in info.value.where and "pos" in info.value.where
    data = json.loads(graph_text())
    data["nodes"].append({"id": "extra", "type": "extra_settings", "values": {"my_key": float("inf")}})
    with pytest.raises(GraphFileError) as info:
        graph_from_dict(data)
    assert info.value.where.endswith("values.my_key") and "finite" in info.value.message


def test_writers_never_write_non_finite_numbers():
    graph = small_graph()
    graph.nodes.append(Node(id="extra", type="extra_settings", values={"my_key": float("nan")}))
    with pytest.raises(ValueError):
        graph_to_text(graph)
    graph = Graph(nodes=[Node(id="a", type="lora_config")])
    graph.nodes[0].pos = (float("inf"), 0.0)  # assigned past the model's check
    with pytest.raises(ValueError):
        graph_to_text(graph)


def test_loaded_graphs_round_trip_through_the_strict_reader(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(graph_text(), encoding="utf-8")
    assert graph_to_text(load_graph(path)) == graph_text()


def test_a_lone_surrogate_in_a_text_field_is_refused_on_load_not_when_saving(tmp_path):
    text = graph_text().replace('"models/base"', '"models/\\ud800base"')
    path = tmp_path / "g.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphFileError) as info:
        load_graph(path)  # before: loaded, and every save then failed with UnicodeEncodeError
    assert info.value.where.endswith("values.pretrained_model_name_or_path")
    assert "lone surrogate" in info.value.message
