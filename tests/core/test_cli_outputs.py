"""Where the CLI writes: never onto its input, and a bad output place is exit 2 with a message."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_cli import PRESET, dpg_lora

def run_cli(*args, cwd, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    full.update(env, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=60, env=full)


posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks and hard links")


def spellings(folder: Path, name: str) -> list[str]:
    """Ways to name `folder/name` from `folder` as the working folder."""
    out = [name, f"./{name}", f"../{folder.name}/{name}", str(folder / name)]
    if os.name != "nt":
        (folder / "link.json").symlink_to(name)
        os.link(folder / name, folder / "hard.json")
        out += ["link.json", "hard.json"]
    return out


def test_compile_out_onto_its_own_graph_is_refused(tmp_path):
    graph = tmp_path / "g.json"
    graph.write_bytes(PRESET.read_bytes())
    before = graph.read_bytes()
    for out in spellings(tmp_path, "g.json"):
        res = dpg_lora("compile", "g.json", "--out", out, cwd=tmp_path)
        assert res.returncode == 2, (out, res.stderr)
        assert "is the input" in res.stderr and "Traceback" not in res.stderr, res.stderr
        assert res.stdout == ""
        assert graph.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_import_out_onto_its_own_config_is_refused(tmp_path):
    config = tmp_path / "g.json"
    config.write_text(dpg_lora("compile", PRESET).stdout, encoding="utf-8")
    before = config.read_bytes()
    for out in spellings(tmp_path, "g.json"):
        res = dpg_lora("import", "g.json", "-o", out, cwd=tmp_path)
        assert res.returncode == 2, (out, res.stderr)
        assert "is the input" in res.stderr and "Traceback" not in res.stderr
        assert config.read_bytes() == before


def test_run_refuses_a_config_path_that_is_the_graph(tmp_path):
    graph = json.loads(PRESET.read_text(encoding="utf-8"))
    loader = next(n for n in graph["nodes"] if n["type"] == "script_loader")
    loader["values"]["config_path"] = "g.json"
    loader["values"]["trainer_dir"] = str(tmp_path)
    (tmp_path / "train_longcat.py").write_text("print('never')\n", encoding="utf-8")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(graph), encoding="utf-8")
    before = path.read_bytes()
    for extra in ((), ("--dry-run",)):
        res = run_cli("run", "g.json", *extra, cwd=tmp_path, DPG_LORA_USER_DIR=str(tmp_path / "user"))
        assert res.returncode == 2, res.stderr
        assert "is the input" in res.stderr
        assert path.read_bytes() == before


@pytest.mark.parametrize("where", ["folder", "under a file", "/proc"])
def test_compile_out_to_an_impossible_place_exits_2(tmp_path, where):
    (tmp_path / "file").write_text("x")
    out = {"folder": str(tmp_path), "under a file": str(tmp_path / "file" / "x.json"),
           "/proc": "/proc/nope/x.json"}[where]
    if where == "/proc" and not Path("/proc").is_dir():
        pytest.skip("no /proc")
    res = dpg_lora("compile", PRESET, "--out", out)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("dpg-lora: cannot write ") and out in res.stderr, res.stderr
    assert (tmp_path / "file").read_text() == "x"


def test_import_out_to_a_folder_exits_2(tmp_path):
    config = tmp_path / "c.json"
    config.write_text(dpg_lora("compile", PRESET).stdout, encoding="utf-8")
    res = dpg_lora("import", config, "-o", tmp_path)
    assert res.returncode == 2 and "cannot write" in res.stderr and "Traceback" not in res.stderr


def test_compile_out_with_print_command_names_the_written_file(tmp_path):
    out = tmp_path / "my config ü.json"
    res = dpg_lora("compile", PRESET, "--out", out, "--print", "command")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout.strip())
    assert argv[argv.index("--config_path") + 1] == str(out)
    assert out.is_file()


def test_compile_prints_nothing_and_writes_nothing_on_errors(tmp_path):
    graph = json.loads(PRESET.read_text(encoding="utf-8"))
    graph["links"] = [l for l in graph["links"] if l["dst_pin"] != "targets"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(graph), encoding="utf-8")
    for args in ((), ("--print", "config"), ("--print", "command"), ("--out", tmp_path / "c.json"),
                 ("--out", tmp_path / "c.json", "--print", "config")):
        res = dpg_lora("compile", path, *args)
        assert res.returncode == 1, args
        assert res.stdout == "", args
        assert "error INPUT_REQUIRED" in res.stderr
        assert "nothing printed or written" in res.stderr
        assert not (tmp_path / "c.json").exists()
