"""`dpg-lora run --host/--detach`, `runs`, `attach`, `stop` as subprocesses against the test sshd."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from remote_helpers import SCRIPT_SHIM, wait_for  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
PRESET = REPO / "presets" / "single_image.json"

def cli(*args, env, timeout=120):
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], env=env,
                          capture_output=True, text=True, errors="replace", timeout=timeout)


def test_run_on_host_follows_to_the_end(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    r = cli("run", graph, env=env)
    assert r.returncode == 0, r.stderr
    assert "config: {" in r.stdout and "End Training" in r.stdout
    assert (sshd.trainer / "config ü.json").is_file()
    runs = json.loads(cli("runs", "--json", env=env).stdout)
    assert runs[0]["host"] == "rhost0" and runs[0]["state"] == "finished" and runs[0]["exit_code"] == 0


def test_dry_run_prints_each_machines_command_and_starts_nothing(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    r = cli("run", graph, "--host", "rhost0", "--host", "rhost1", "--dry-run", env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    commands = [line for line in lines if ": command: " in line]
    assert len(commands) == 2
    assert "--machine_rank 0" in commands[0] and "--machine_rank 1" in commands[1]
    assert all("--num_machines 2" in c and "--main_process_ip 127.0.0.1" in c for c in commands)
    assert "(on rhost1)" in r.stdout
    assert r.stdout.count("checked: trainer folder, script and interpreter (Python 3.") == 2
    missing = cli("run", graph, "--host", "rhost1", "--trainer-dir", "/no/such dir", "--dry-run", env=env)
    assert missing.returncode == 2 and "rhost1: trainer folder not found: /no/such dir" in missing.stderr
    assert json.loads(cli("runs", "--json", env=env).stdout) == []


def test_detach_then_attach_exits_with_the_trainers_code(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    set_options("--steps", "15", "--delay", "0.1", "--exit", "7", "--no-marker")
    r = cli("run", graph, "--detach", env=env)
    assert r.returncode == 0, r.stderr
    run_id = r.stdout.strip().splitlines()[-1]
    listed = json.loads(cli("runs", "--json", env=env).stdout)
    assert listed[0]["id"] == run_id and listed[0]["state"] == "running"
    a = cli("attach", run_id, env=env)
    assert a.returncode == 7, a.stderr
    assert "Epoch 2/2" in a.stdout
    listed = json.loads(cli("runs", "--json", env=env).stdout)
    assert listed[0]["state"] == "failed" and listed[0]["exit_code"] == 7
    log = Path(listed[0]["log_path"]).read_bytes()
    [remote_log] = sshd.trainer.glob(f".dpg-lora/runs/{run_id}/log")
    assert log == remote_log.read_bytes()


def test_stop_by_id_leaves_no_process_of_the_user(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    set_options("--forever", "--children", "--setsid-grandchild")
    r = cli("run", graph, "--detach", env=env)
    assert r.returncode == 0, r.stderr
    run_id = r.stdout.strip().splitlines()[-1]
    wait_for(lambda: any("python" in p for p in sshd.user_processes()), 30)
    s = cli("stop", run_id, "--grace", "1", env=env)
    assert s.returncode == 0, s.stderr
    assert "stopped" in s.stderr
    assert [p for p in sshd.user_processes() if "train_fake" in p or "python" in p] == []
    listed = json.loads(cli("runs", "--json", env=env).stdout)
    assert listed[0]["state"] == "stopped"


def test_two_hosts_get_ranks_0_and_1(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    for old in sshd.trainer.glob("accelerate-args-*.json"):
        old.unlink()
    r = cli("run", graph, "--host", "rhost0", "--host", "rhost1", env=env)
    assert r.returncode == 0, r.stderr
    args = {rank: json.loads((sshd.trainer / f"accelerate-args-{rank}.json").read_text())
            for rank in ("0", "1")}
    for rank, argv in args.items():
        assert argv[argv.index("--machine_rank") + 1] == rank
        assert argv[argv.index("--num_machines") + 1] == "2"
        assert argv[argv.index("--main_process_ip") + 1] == "127.0.0.1"
    runs = json.loads(cli("runs", "--json", env=env).stdout)
    assert runs[0]["host"] == "rhost0,rhost1" and runs[0]["machines"] == 2
    assert runs[0]["state"] == "finished"


def test_unreachable_host_is_exit_2_naming_it(sshd, remote_graph):
    graph, env, set_options, values = remote_graph
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = cli("run", graph, "--host", f"ssh://{sshd.user}@127.0.0.1:{port}", env=env, timeout=60)
    assert r.returncode == 2
    assert f"{sshd.user}@127.0.0.1:{port}" in r.stderr and "refused" in r.stderr
    assert "Traceback" not in r.stderr
    bad = cli("run", graph, "--host", "-oProxyCommand=touch x", env=env)
    assert bad.returncode == 2 and "not an ssh destination" in bad.stderr


def test_local_detached_run_attach_and_stop(tmp_path):
    """Local runs get the same commands: --detach without a host uses the same launcher here."""
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    trainer = tmp_path / "local trainer ü"
    trainer.mkdir()
    script = loader["values"].get("script", "train_longcat.py")
    (trainer / script).write_text(SCRIPT_SHIM, encoding="utf-8")
    (trainer / "train_fake.py").write_text((REPO / "tests/runner/fake_trainer.py").read_text())
    (trainer / "fake-options.json").write_text(json.dumps(["--forever"]))
    loader["values"].update(trainer_dir=str(trainer), python=sys.executable)
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    env = dict(os.environ, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    r = cli("run", graph, "--detach", env=env)
    assert r.returncode == 0, r.stderr
    run_id = r.stdout.strip().splitlines()[-1]
    listed = json.loads(cli("runs", "--json", env=env).stdout)
    assert listed[0]["id"] == run_id and listed[0]["host"] == "" and listed[0]["state"] == "running"
    s = cli("stop", run_id, "--grace", "1", env=env)
    assert s.returncode == 0 and "stopped" in s.stderr
    a = cli("attach", run_id, env=env)
    assert a.returncode == 130 and "READY" in a.stdout
