"""`dpg-lora validate --check-data` scans where the graph runs: its Script Loader's host, or --host
for a config (the test sshd on loopback)."""
from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli(*args, env):
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], env=env, capture_output=True,
                          text=True, errors="replace", timeout=120, cwd=str(REPO))


@pytest.fixture(autouse=True)
def _no_datasets_left(sshd):
    yield
    shutil.rmtree(sshd.trainer / "datasets", ignore_errors=True)  # the sshd's folder is shared


def dataset_on_host(sshd, files: dict[str, bytes]) -> None:
    folder = sshd.trainer / "datasets" / "single"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    user = pwd.getpwnam(sshd.user)
    for path in [folder.parent, folder, *folder.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)


def test_a_graph_that_runs_on_a_host_has_its_folders_scanned_there(sshd, remote_graph, tmp_path):
    graph, env, _set_options, _values = remote_graph
    missing = cli("validate", graph, "--check-data", env=env)
    assert missing.returncode == 1, missing.stderr
    assert "DATA_DIR_MISSING" in missing.stderr and "not a folder on rhost0" in missing.stderr
    dataset_on_host(sshd, {"a.jpg": b"x", "a.txt": b"a cat", "b.png": b"x"})
    found = cli("validate", graph, "--check-data", env=env)
    assert "DATA_DIR_MISSING" not in found.stderr
    assert "dataset 0 (datasets/single): 2 pairs; 1 captions missing" in found.stdout, found.stdout


def test_a_config_is_scanned_on_the_host_given(sshd, remote_graph, tmp_path):
    graph, env, _set_options, _values = remote_graph
    dataset_on_host(sshd, {"a.jpg": b"x", "a.txt": b"a cat"})
    config = json.loads(cli("compile", graph, "--print", "config", env=env).stdout)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    res = cli("validate", path, "--script", "train_longcat.py", "--check-data", "--host", "rhost0",
              "--python", sshd.python, "--root", sshd.trainer, env=env)
    assert "dataset 0 (datasets/single): 1 pairs" in res.stdout, (res.stdout, res.stderr)
    assert "DATA_DIR_MISSING" not in res.stderr
