"""The run panel with remote runs: host line, machine switch, stop, reattach, checkpoints, copy home
(a Dear PyGui context without a viewport; the runs go through the test sshd)."""
from __future__ import annotations

import json
import os
import pwd

import pytest

dpg = pytest.importorskip("dearpygui.dearpygui")

from dpg_lora.runner import RunManager, RunRequest  # noqa: E402
from dpg_lora.ui.run_panel import RunPanel  # noqa: E402
from remote_helpers import wait_for  # noqa: E402


def request(server, *options, hosts=("rhost0",), config=None):
    return RunRequest.make([server.python, "train_fake.py", *options], str(server.trainer),
                           config_text=json.dumps(config) if config else None,
                           config_path="panel-config.json" if config else None,
                           script="train_fake.py", hosts=hosts)


def drain_until(panel, predicate, timeout=60):
    return wait_for(lambda: (panel.drain() or True) and predicate(), timeout)


def test_two_machines_then_switch_log(headless_window, sshd, tmp_path):
    manager = RunManager(tmp_path / "runs", grace=0.5)
    panel = RunPanel(headless_window, manager,
                     request_provider=lambda: request(sshd, "--steps", "3", hosts=("rhost0", "rhost1")))
    panel.build()
    run = panel.run_clicked()
    drain_until(panel, lambda: panel.view.state == "finished")
    assert dpg.get_value(panel.tags["where"]) == "on 2 machines; log of"
    items = dpg.get_item_configuration(panel.tags["machine"])["items"]
    assert items == ["machine 0: rhost0", "machine 1: rhost1"]
    assert dpg.get_item_configuration(panel.tags["machine"])["show"]
    panel.select_machine(items[1])
    panel.drain()
    machine1_log = run.machines[1].log_path
    assert os.path.basename(machine1_log) == "machine-1.log"
    assert "End Training" in dpg.get_value(panel.tags["log"])
    assert run.machines[0].run_dir != run.machines[1].run_dir  # a shared trainer folder is fine
    for m in run.machines:
        assert open(m.log_path, "rb").read() == open(os.path.join(m.run_dir, "log"), "rb").read()


def test_reattach_on_start_then_stop(headless_window, sshd, tmp_path):
    first = RunManager(tmp_path / "runs", grace=0.5)
    run = first.submit(request(sshd, "--forever"))
    wait_for(lambda: any("READY" in line for line in run.lines()), 60)
    run.close()  # the editor that started it goes away; the trainer keeps running there
    manager = RunManager(tmp_path / "runs", grace=0.5)  # a new editor: reattaches on start
    panel = RunPanel(headless_window, manager)
    panel.build()
    drain_until(panel, lambda: panel.view.state == "running" and "READY" in panel.view.log_text())
    assert dpg.get_value(panel.tags["where"]) == "on rhost0"
    panel.stop_clicked()
    drain_until(panel, lambda: panel.view.state == "stopped")
    assert dpg.get_value(panel.tags["state"]).startswith("stopped")
    assert [p for p in sshd.user_processes() if "train_fake" in p] == []


def test_checkpoints_listed_with_sizes_and_copied_home(headless_window, sshd, tmp_path):
    user = pwd.getpwnam(sshd.user)
    out = sshd.trainer / "output ü"
    out.mkdir(exist_ok=True)
    data = os.urandom(3 << 20) + b"tail"
    (out / "lora-100.safetensors").write_bytes(data)
    (out / "checkpoint-100").mkdir(exist_ok=True)
    (out / "checkpoint-100" / "state.bin").write_bytes(b"x" * 1000)
    for path in [out, *out.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    manager = RunManager(tmp_path / "runs", grace=0.5)
    panel = RunPanel(headless_window, manager,
                     request_provider=lambda: request(sshd, config={"output_dir": "output ü"}))
    panel.build()
    panel.run_clicked()
    drain_until(panel, lambda: panel.view.state == "finished")
    panel.list_outputs().join(60)
    panel.drain()
    items = dpg.get_item_configuration(panel.tags["outputs"])["items"]
    assert items == ["checkpoint-100/  1000 B", "lora-100.safetensors  3.0 MiB"]
    dpg.set_value(panel.tags["outputs"], items[1])
    panel.copy_selected(str(tmp_path / "home")).join(60)
    panel.drain()
    assert (tmp_path / "home" / "lora-100.safetensors").read_bytes() == data
    assert dpg.get_value(panel.tags["copy_progress"]) == pytest.approx(1.0)
    assert "copied to" in dpg.get_value(panel.tags["outputs_note"])
