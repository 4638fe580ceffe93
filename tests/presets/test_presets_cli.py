from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import write_graph

REPO = Path(__file__).resolve().parents[2]


def _run(args, tmp_path, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "dpg_lora", "presets", *args], cwd=tmp_path,
                          env=full_env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _user_dir(tmp_path: Path) -> Path:
    user = tmp_path / "user dir ü"
    presets = user / "presets"
    write_graph(presets / "Überraschung 日本.json", "Überraschung 日本", description="ünï")
    (presets / "broken.json").write_text('{"format": "dpg-lora-graph", "version": 1, "nodes": [{"id": 1}]}',
                                         encoding="utf-8")
    return user


def test_presets_list_json(tmp_path):
    user = _user_dir(tmp_path)
    proc = _run(["list", "--json"], tmp_path, DPG_LORA_USER_DIR=str(user))
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    for row in rows:
        assert {"name", "path", "source", "script", "node_count", "error"} <= set(row)
    builtin = [r for r in rows if r["source"] == "builtin"]
    shipped = sorted(p.name for p in (REPO / "presets").glob("*.json"))
    assert sorted(Path(r["path"]).name for r in builtin) == shipped
    assert all(r["error"] is None and r["node_count"] > 0 and r["script"].endswith(".py") for r in builtin)
    user_rows = {Path(r["path"]).name: r for r in rows if r["source"] == "user"}
    assert set(user_rows) == {"broken.json", "Überraschung 日本.json"}
    good = user_rows["Überraschung 日本.json"]
    assert (good["name"], good["script"], good["node_count"], good["error"]) == \
        ("Überraschung 日本", "train_longcat.py", 1, None)
    assert Path(good["path"]) == user / "presets" / "Überraschung 日本.json"
    broken = user_rows["broken.json"]
    assert broken["error"] and "broken.json" in broken["error"] and "nodes[0]" in broken["error"]


def test_presets_list_table_and_presets_dir_override(tmp_path):
    user = _user_dir(tmp_path)
    builtin = tmp_path / "my builtins"
    write_graph(builtin / "only.json", "Only one", script="train_flux2klein.py")
    proc = _run(["list"], tmp_path, DPG_LORA_USER_DIR=str(user), DPG_LORA_PRESETS_DIR=str(builtin))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["SOURCE", "NAME", "SCRIPT", "NODES", "FILE"]
    assert lines[1].split()[:2] == ["builtin", "Only"] and "train_flux2klein.py" in lines[1]
    assert any(line.startswith("user") and "Überraschung 日本" in line for line in lines)
    assert any(line.startswith("broken: ") and "broken.json" in line for line in lines)


def test_bad_setting_exits_2_with_message(tmp_path):
    (tmp_path / ".env").write_text("DPG_LORA_THEME=purple\n", encoding="utf-8")
    proc = _run(["list"], tmp_path, DPG_LORA_USER_DIR=str(tmp_path / "u"))
    assert proc.returncode == 2
    assert f"DPG_LORA_THEME='purple' (from {tmp_path / '.env'} line 1)" in proc.stderr
