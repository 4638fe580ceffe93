""""Check dataset folders" against a host: one listing command, the same findings as a local scan
of the same folder (on loopback the test can read it both ways)."""
from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.remote.remote_files import check_remote_data, host_check
from dpg_lora.remote.ssh import Host
from dpg_lora.validation.data_check import check_data

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


class CountingHost(Host):
    calls = 0

    def run(self, *args, **kwargs):
        CountingHost.calls += 1
        return super().run(*args, **kwargs)


def _config():
    result = compile_graph(load_graph(str(PRESET)))
    config = json.loads(result.config_text)
    config["dataset_configs"][0]["train_data_dir"] = "data ü $(x)"
    return config, result.script


def test_remote_scan_matches_a_local_scan_in_one_call(sshd):
    folder = sshd.trainer / "data ü $(x)"
    (folder / "sub dir").mkdir(parents=True, exist_ok=True)
    (folder / ".hidden").mkdir(exist_ok=True)
    files = {"a.jpg": b"x", "a.txt": b"a cat", "b.png": b"x", "c.jpg": b"x",
             "c.txt": b"\xef\xbb\xbfbom caption", "d.webp": b"x", "d.txt": b"\xff\xfe bad",
             "sub dir/e.jpg": b"x", "sub dir/e.txt": "ünï".encode(), ".hidden/f.jpg": b"x"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    user = pwd.getpwnam(sshd.user)
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    config, script = _config()
    local = check_data(config, script, str(sshd.trainer))
    CountingHost.calls = 0
    remote = check_remote_data(CountingHost("rhost0"), str(sshd.trainer), sshd.python, config, script)
    assert CountingHost.calls == 1
    assert [d.line for d in remote.datasets] == [d.line for d in local.datasets]
    assert [(f.code, f.path, f.message) for f in remote.findings] == \
        [(f.code, f.path, f.message) for f in local.findings]
    assert remote.datasets[0].pairs == 5  # a, b, c, d and sub dir/e; .hidden is skipped
    assert "1 captions missing" in remote.datasets[0].line
    assert "1 captions not UTF-8" in remote.datasets[0].line


def test_missing_folder_and_unreachable_host_are_named(sshd):
    config, script = _config()
    config["dataset_configs"][0]["train_data_dir"] = "no such folder"
    result = host_check("rhost0", sshd.python)(config, script, str(sshd.trainer))
    [finding] = [f for f in result.findings if f.code == "DATA_DIR_MISSING"]
    assert "not a folder on rhost0" in finding.message
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = host_check(f"ssh://{sshd.user}@127.0.0.1:{port}", sshd.python)(config, script, ".")
    [finding] = down.findings
    assert finding.code == "DATA_HOST_UNREACHABLE" and f"127.0.0.1:{port}" in finding.message
