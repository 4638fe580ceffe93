"""Fixtures of the remote-run tests: one real sshd on loopback per test session (sshd_server.py)."""
from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest

from remote_helpers import SCRIPT_SHIM
from sshd_server import ssh_server, why_not

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


@pytest.fixture(scope="session")
def sshd():
    reason = why_not()
    if reason:
        pytest.skip(reason)
    with ssh_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))
    yield


@pytest.fixture
def remote_graph(sshd, tmp_path):
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    script = loader["values"].get("script", "train_longcat.py")
    shim = sshd.trainer / script
    shim.write_text(SCRIPT_SHIM, encoding="utf-8")
    user = pwd.getpwnam(sshd.user)
    os.chown(shim, user.pw_uid, user.pw_gid)
    options = sshd.trainer / "fake-options.json"

    def set_options(*opts: str) -> None:
        options.write_text(json.dumps(list(opts)))
        os.chown(options, user.pw_uid, user.pw_gid)

    set_options()
    loader["values"].update(trainer_dir=str(sshd.trainer), python=sshd.python, host="rhost0",
                            config_path="config ü.json")
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    env = dict(os.environ, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    yield graph, env, set_options, loader["values"]
    options.unlink(missing_ok=True)
