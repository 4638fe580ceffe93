"""`dpg-lora run` through a real subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dpg_lora.runner.records import list_records
from runner_helpers import FAKE_TRAINER, read_pids, survivors, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
REPO = Path(__file__).resolve().parents[2]
PRESET = REPO / "presets" / "single_image.json"


@pytest.fixture
def setup(tmp_path):
    """A trainer folder (space + non-ASCII) whose script is the fake trainer, and a graph for it."""
    trainer = tmp_path / "T2I Trainer ünï"
    trainer.mkdir()
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    script = loader["values"].get("script", "train_longcat.py")
    (trainer / script).write_text(FAKE_TRAINER.read_text(encoding="utf-8"), encoding="utf-8")
    loader["values"].update(trainer_dir=str(trainer), python=sys.executable)
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    env = dict(os.environ, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    return trainer, graph, env, loader["values"]


def cli(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "dpg_lora", "run", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_dry_run_starts_nothing(setup):
    trainer, graph, env, values = setup
    r = cli(graph, "--dry-run", env=env)
    assert r.returncode == 0, r.stderr
    assert "command: " in r.stdout and "--config_path" in r.stdout
    assert f"cwd: {trainer}" in r.stdout
    config = trainer / values["config_path"]
    assert f"config: {config}" in r.stdout
    assert not config.exists()
    assert list_records(Path(env["DPG_LORA_USER_DIR"]) / "runs") == []


def test_dry_run_overrides(setup, tmp_path):
    trainer, graph, env, values = setup
    other = tmp_path / "other dir"
    other.mkdir()
    (other / values.get("script", "train_longcat.py")).write_text("", encoding="utf-8")  # a dry run checks what a run does
    python = tmp_path / "py bin" / "python3"
    python.parent.mkdir()
    python.write_text("#!/bin/sh\n", encoding="utf-8")
    python.chmod(0o755)
    r = cli(graph, "--dry-run", "--trainer-dir", other, "--python", python, env=env)
    assert r.returncode == 0, r.stderr
    assert f"cwd: {other}" in r.stdout and f"command: '{python}' " in r.stdout


def test_real_run_writes_config_streams_log_and_records(setup):
    trainer, graph, env, values = setup
    r = cli(graph, env=env)
    assert r.returncode == 0, r.stderr
    config = trainer / values["config_path"]
    assert config.is_file()
    compiled = subprocess.run([sys.executable, "-m", "dpg_lora", "compile", str(graph)],
                              capture_output=True, text=True, env=env)
    assert config.read_text(encoding="utf-8") == compiled.stdout
    assert "Loading model…" in r.stdout and "=========== End Training ===========" in r.stdout
    assert "finished" in r.stderr
    [record] = list_records(Path(env["DPG_LORA_USER_DIR"]) / "runs")
    assert record.state == "finished" and record.config_text == compiled.stdout


def test_trainer_exit_code_is_returned(setup):
    trainer, graph, env, values = setup
    script = trainer / values.get("script", "train_longcat.py")
    script.write_text("import sys\nprint('boom')\nsys.exit(7)\n", encoding="utf-8")
    r = cli(graph, env=env)
    assert r.returncode == 7
    assert "boom" in r.stdout and "failed (exit code 7)" in r.stderr


def test_unreadable_graph_and_compile_errors(setup, tmp_path):
    trainer, graph, env, values = setup
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = cli(bad, env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    data = json.loads(graph.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    loader["values"]["script"] = "train_nope.py"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    r = cli(broken, env=env)
    assert r.returncode == 1
    assert any(line.startswith("error UNKNOWN_SCRIPT ") for line in r.stderr.splitlines())
    assert list_records(Path(env["DPG_LORA_USER_DIR"]) / "runs") == []


def test_missing_trainer_dir_is_a_clear_error(setup, tmp_path):
    trainer, graph, env, values = setup
    r = cli(graph, "--trainer-dir", tmp_path / "missing dir", env=env)
    assert r.returncode == 2 and "missing dir" in r.stderr


def test_ctrl_c_stops_the_whole_tree(setup, tmp_path):
    trainer, graph, env, values = setup
    pidfile = tmp_path / "pids.txt"
    script = trainer / values.get("script", "train_longcat.py")
    # make the trainer start children, ignore TERM and run until stopped
    wrapper = (f"import sys, runpy\nsys.argv[1:] += ['--forever', '--children', '--ignore-term', "
               f"'--pidfile', {str(pidfile)!r}]\nrunpy.run_path({str(trainer / 'real.py')!r}, run_name='__main__')\n")
    (trainer / "real.py").write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    script.write_text(wrapper, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dpg_lora", "run", str(graph), "--grace", "0.5"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        pids = wait_for(lambda: (p := read_pids(pidfile)) and len(p) == 3 and p, timeout=30)
        log = wait_for(lambda: list_records(Path(env["DPG_LORA_USER_DIR"]) / "runs"))[0].log_path
        wait_for(lambda: b"READY" in Path(log).read_bytes())
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "stopping" in err and "stopped" in err
    wait_for(lambda: not survivors(pids.values()), timeout=10)


def test_terminal_gets_a_live_progress_line(setup):
    import pty

    trainer, graph, env, values = setup
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "dpg_lora", "run", str(graph)], env=env,
                            stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the child side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(60) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "step 5/5  100.0%  1.91 it/s  ETA 00:00  loss 0.2" in screen
    assert "\x1b[2K" in screen  # redrawn in place
    assert "Steps:" not in screen  # raw tqdm lines are not echoed on a terminal
    assert "Loading model…" in screen
