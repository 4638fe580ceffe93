"""Runs on a real sshd on loopback: config written there, log home byte for byte, stop, reconnect."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dpg_lora.remote.remote_run import RemoteRun, run_for_record
from dpg_lora.remote.ssh import Host, SshError, remote_command
from dpg_lora.runner.events import StateEvent
from dpg_lora.runner.process import RunError
from dpg_lora.runner.records import load_record
from remote_helpers import plan, wait_for

ODD = "it's a \"$(touch PWNED)\" `x` $HOME ü 日本"


def remote_bytes(server, path: Path) -> bytes:
    return path.read_bytes()


def test_quoted_argument_reaches_remote_untouched(sshd):
    host = Host("rhost0")
    proc = host.run(["printf", "%s", ODD])
    assert proc.returncode == 0
    assert proc.stdout.decode() == ODD
    assert not (sshd.home / "PWNED").exists()
    assert remote_command(["a b", "c"]) == "'a b' c"


def test_run_writes_config_as_user_and_streams_log_byte_for_byte(sshd, tmp_path):
    config_text = json.dumps({"note": ODD}, ensure_ascii=False) + "\n"
    run = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--config_path", "cfg ü.json", "--steps", "30",
                                                     "--flood", "3000")],
                           config_text=config_text, config_path="cfg ü.json", script="train_fake.py",
                           poll_min=0.02)
    run.start()
    assert run.wait(60), run.state
    assert run.state == "finished", (run.record.message, run.lines()[-5:])
    assert run.exit_code == 0
    written = sshd.trainer / "cfg ü.json"
    assert written.read_text(encoding="utf-8") == config_text
    import pwd

    assert written.stat().st_uid == pwd.getpwnam(sshd.user).pw_uid
    m = run.machines[0]
    remote_log = Path(m.run_dir) / "log"
    assert remote_log.parent.parent.parent == sshd.trainer / ".dpg-lora"
    assert Path(run.record.log_path).read_bytes() == remote_log.read_bytes()
    assert b"bad bytes: \xff\xfe end" in remote_log.read_bytes()
    assert run.progress is not None and run.progress.step == 30
    assert not (sshd.trainer / "PWNED").exists() and not (sshd.home / "PWNED").exists()
    saved = load_record(Path(run.record.log_path).parent / "run.json")
    assert saved.state == "finished" and saved.host == "rhost0" and saved.machines[0]["exit_code"] == 0


def test_failing_trainer_fails_with_its_exit_code(sshd, tmp_path):
    run = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--exit", "3")], poll_min=0.02)
    run.start()
    assert run.wait(60)
    assert run.state == "failed" and run.exit_code == 3


@pytest.mark.parametrize("field,value,needle", [
    ("cwd", "/nonexistent/trainer dir", "trainer folder not found"),
    ("script", "missing_script.py", "training script not found"),
    ("python", "no-such-python-3", "interpreter not found"),
])
def test_checks_name_host_and_what_failed(sshd, tmp_path, field, value, needle):
    p = plan(sshd)
    script = "train_fake.py"
    if field == "cwd":
        p["cwd"] = value
    elif field == "script":
        script = value
        p["argv"][1] = value
    else:
        p["argv"][0] = value
    run = RemoteRun.create(tmp_path / "runs", [p], script=script)
    with pytest.raises(RunError) as info:
        run.start()
    assert "rhost0" in str(info.value) and needle in str(info.value)
    assert run.state == "failed"


def test_unreachable_and_refused_hosts_fail_fast_with_a_clear_message(sshd, tmp_path):
    free = sshd.ports[0]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    with pytest.raises(SshError) as info:
        Host(f"ssh://{sshd.user}@127.0.0.1:{closed_port}").run(["true"], timeout=20)
    assert "127.0.0.1" in str(info.value) and "refused" in str(info.value)
    with pytest.raises(SshError) as info:
        Host(f"ssh://nobody-here@127.0.0.1:{free}").run(["true"], timeout=20)
    assert "nobody-here@127.0.0.1" in str(info.value) and "key was refused" in str(info.value)


def test_stop_takes_down_the_whole_remote_tree(sshd, tmp_path):
    pidfile = sshd.trainer / "pids stop.txt"
    run = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--forever", "--children", "--setsid-grandchild",
                                                     "--ignore-term", "--pidfile", str(pidfile))],
                           poll_min=0.02, grace=0.5)
    run.start()
    wait_for(lambda: any("READY" in line for line in run.lines()), 30)
    wait_for(lambda: pidfile.exists() and len(pidfile.read_text().splitlines()) >= 3, 30)
    states = []
    run.stop()
    assert run.wait(60)
    assert run.state == "stopped"
    for event in run.events.drain(100000):
        if isinstance(event, StateEvent):
            states.append(event.state)
    assert states[-2:] == ["stopping", "stopped"]
    leftovers = [p for p in sshd.user_processes() if "train_fake" in p or "sh -c" in p]
    assert leftovers == []


def test_detached_run_survives_a_killed_connection_and_catches_up(sshd, tmp_path):
    run = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--paced", "400", "--pace", "0.005")],
                           poll_min=0.02)
    run.start()
    wait_for(lambda: len(run.lines()) > 20, 30)
    check = Host("rhost0")
    out = __import__("subprocess").run(check.argv(["true"])[:-3] + ["-O", "check", "--", "rhost0"],
                                       capture_output=True, text=True)
    pid = int(out.stderr.split("pid=")[1].split(")")[0])
    os.kill(pid, 9)  # the master connection dies mid-run
    assert run.wait(60)
    assert run.state == "finished"
    m = run.machines[0]
    assert Path(run.record.log_path).read_bytes() == (Path(m.run_dir) / "log").read_bytes()


def test_reattach_follows_a_run_started_elsewhere(sshd, tmp_path):
    first = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--steps", "20", "--delay", "0.05")],
                             poll_min=0.02)
    first.start()
    first.close()  # this follower goes away; the trainer keeps running there
    record = load_record(Path(first.record.log_path).parent / "run.json")
    again = run_for_record(record, poll_min=0.02)
    assert isinstance(again, RemoteRun)
    assert again.wait(60)
    assert again.state == "finished" and again.exit_code == 0
    m = again.machines[0]
    assert Path(record.log_path).read_bytes() == (Path(m.run_dir) / "log").read_bytes()


def test_lost_connection_says_reconnecting_then_catches_up(sshd, tmp_path, monkeypatch):
    """While ssh cannot connect (a wrapper around the real ssh refuses while a flag file exists)
    the run says "reconnecting"; the trainer goes on there and the log catches up byte for byte."""
    flag = tmp_path / "network down"
    wrapper = tmp_path / "ssh-wrapper"
    wrapper.write_text("#!/bin/sh\n"
                       f"if [ -e '{flag}' ]; then echo 'ssh: connect to host x port 22: "
                       "Connection refused' >&2; exit 255; fi\n"
                       'exec ssh "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("DPG_LORA_SSH", str(wrapper))
    run = RemoteRun.create(tmp_path / "runs", [plan(sshd, "--paced", "150", "--pace", "0.01")],
                           poll_min=0.02)
    run.start()
    wait_for(lambda: len(run.lines()) > 10, 30)
    flag.touch()
    wait_for(lambda: run.state == "reconnecting", 30)
    assert "reconnecting to rhost0" in run.record.message and "refused" in run.record.message
    import time

    time.sleep(2.0)  # the trainer (1.5 s of output) ends there meanwhile
    flag.unlink()
    assert run.wait(60)
    assert run.state == "finished"
    states = [e.state for e in run.events.drain(10**6) if isinstance(e, StateEvent)]
    assert "reconnecting" in states and states.index("reconnecting") < len(states) - 1
    m = run.machines[0]
    assert Path(run.record.log_path).read_bytes() == (Path(m.run_dir) / "log").read_bytes()
