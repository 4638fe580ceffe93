"""`dpg-lora validate`: graphs and configs, output lines and exit codes."""
from __future__ import annotations

import json

from dpg_lora.cli import main
from dpg_lora.graph import save_graph
from dpg_lora.scripts.profiles import F2K, LCE
from tests.validation.helpers import ds, graph, node, sound


def run(capsys, *argv):
    code = main(["validate", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err.splitlines()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_sound_config_exits_0(tmp_path, capsys):
    code, out, err = run(capsys, write(tmp_path, "c.json", sound(LCE)), "--script", LCE)
    assert code == 0 and err == []
    assert "0 errors" in out


def test_config_errors_print_json_paths_and_exit_1(tmp_path, capsys):
    config = sound(LCE)
    ds(config)["batch_configs"][0]["reference_config"] = "nope"
    code, _, err = run(capsys, write(tmp_path, "c.json", config), "--script", LCE)
    assert code == 1
    assert err == ["error R17_BATCH_REFERENCE dataset_configs[0].batch_configs[0].reference_config: "
                   + err[0].split(": ", 1)[1]]


def test_script_comes_from_the_option_then_the_key_then_the_keys(tmp_path, capsys):
    config = sound(F2K)
    del ds(config)["batch_configs"][0]["reference_config_extra"]
    path = write(tmp_path, "c.json", config)
    code, _, err = run(capsys, path)  # no script key, and its keys fit every script: asked for
    assert code == 2 and "--script" in err[0]
    config["script"] = F2K
    path = write(tmp_path, "c.json", config)
    code, out, err = run(capsys, path)
    assert code == 1 and any("R18_REFERENCE_CONFIG_EXTRA" in line for line in err) and F2K in out
    assert run(capsys, path, "--script", LCE)[0] == 0


def test_warnings_alone_exit_0_and_info_needs_verbose(tmp_path, capsys):
    config = sound(LCE)
    config["optimizer"] = "lion"
    ds(config)["caption_configs"]["train"]["ext"] = "txt"
    path = write(tmp_path, "c.json", config)
    code, _, err = run(capsys, path, "--script", LCE)
    assert code == 0 and [line.split()[1] for line in err] == ["OPTIMIZER"]
    code, _, err = run(capsys, path, "--script", LCE, "-v")
    assert "CAPTION_EXT_NO_DOT" in " ".join(err)


def test_errors_are_listed_before_warnings(tmp_path, capsys):
    config = sound(LCE)
    config["output_dir"] = "C:\\out"
    config["report_to"] = "none"
    _, _, err = run(capsys, write(tmp_path, "c.json", config), "--script", LCE)
    assert [line.split()[0] for line in err] == ["error", "warning"]


def test_graph_file_prints_node_and_field(tmp_path, capsys):
    b = graph()
    node(b, "bat").values["caption_config"] = "missing"
    path = tmp_path / "g.json"
    save_graph(b.build(), path)
    code, _, err = run(capsys, path)
    assert code == 1
    assert any(line.startswith("error R16_BATCH_CAPTION bat.caption_config: ") for line in err)


def test_sound_graph_exits_0(tmp_path, capsys):
    path = tmp_path / "g.json"
    save_graph(graph().build(), path)
    assert run(capsys, path)[0] == 0


def test_unreadable_and_malformed_files_exit_2_with_one_line(tmp_path, capsys):
    cases = [tmp_path / "missing.json", write(tmp_path, "bad.json", "{nope"),
             write(tmp_path, "list.json", [1, 2]),
             write(tmp_path, "graph.json", {"format": "dpg-lora-graph", "version": 1, "nodes": 3})]
    for path in cases:
        code, _, err = run(capsys, path)
        assert code == 2 and len(err) == 1 and err[0].startswith("dpg-lora: "), (path, err)


def test_check_data_prints_a_summary_per_dataset(tmp_path, capsys):
    folder = tmp_path / "data" / "pairs" / "set"
    folder.mkdir(parents=True)
    for name in ("a_T.jpg", "a_R.jpg", "b_T.jpg"):
        (folder / name).write_bytes(b"")
    for name in ("a_T.txt", "b_T.txt"):
        (folder / name).write_text("a caption", encoding="utf-8")
    config = sound(LCE)
    ds(config)["train_data_dir"] = "data/pairs"
    path = write(tmp_path, "c.json", config)
    code, out, err = run(capsys, path, "--script", LCE, "--check-data", "--root", tmp_path)
    assert code == 1
    assert "dataset 0 (data/pairs): 2 pairs; 1 missing `_R`: set/b_T.jpg" in out
    assert any(line.startswith("error DATA_MISSING_PARTNER dataset_configs[0].image_configs.ref:") for line in err)
