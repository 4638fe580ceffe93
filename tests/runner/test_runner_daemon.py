"""Nothing a run starts outlives Stop, even a daemon that escaped with fork + setsid + fork."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from dpg_lora.runner.training_run import RunRequest, TrainingRun
from runner_helpers import read_pids, wait_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: /proc, subreaper")
DAEMON_TRAINER = Path(__file__).with_name("daemon_trainer.py")
ROOT = Path(__file__).resolve().parents[2]


def marked_processes(mark: str) -> list[int]:
    """Every live process (zombies aside) whose environment holds `mark`."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            environ = Path(entry.path, "environ").read_bytes()
            state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"RUN_MARK={mark}".encode() in environ.split(b"\0") and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


@pytest.fixture
def daemon_run(tmp_path):
    folder = tmp_path / "trainer ü"
    folder.mkdir()
    (folder / "train_daemon.py").write_text(DAEMON_TRAINER.read_text(encoding="utf-8"), encoding="utf-8")
    mark = uuid.uuid4().hex
    started: list[TrainingRun] = []

    def start(*options, grace=0.5):
        pidfile = tmp_path / "pids.txt"
        request = RunRequest.make([sys.executable, "train_daemon.py", "--pidfile", str(pidfile), *options],
                                  folder, env={"RUN_MARK": mark})
        run = TrainingRun.from_request(request, tmp_path / "runs", grace=grace)
        run.start()
        started.append(run)
        pids = wait_for(lambda: (p := read_pids(pidfile)) and len(p) == 3 and p)
        assert set(pids) == {"trainer", "daemon", "daemon-child"}
        return run, pids

    yield start, mark
    for pid in marked_processes(mark):  # never leave a stray process behind, pass or fail
        os.kill(pid, signal.SIGKILL)


def test_stop_takes_down_a_double_forked_daemon(daemon_run):
    start, mark = daemon_run
    run, pids = start()
    assert len(marked_processes(mark)) >= 3
    run.stop()
    assert run.wait(30) and run.state == "stopped"
    wait_for(lambda: not marked_processes(mark), timeout=10)


def test_a_daemon_ignoring_term_is_killed_after_the_grace(daemon_run):
    start, mark = daemon_run
    run, pids = start("--daemon-ignores-term", grace=0.3)
    run.stop()
    assert run.wait(30) and run.state == "stopped"
    wait_for(lambda: not marked_processes(mark), timeout=10)


def test_a_daemon_left_behind_by_a_finished_trainer_goes_with_the_run(daemon_run):
    start, mark = daemon_run
    run, pids = start("--finish")
    assert run.wait(30)
    assert run.state == "finished" and run.exit_code == 0
    wait_for(lambda: not marked_processes(mark), timeout=10)


def test_ctrl_c_on_dpg_lora_run_leaves_no_process(tmp_path):
    import json

    folder = tmp_path / "trainer"
    folder.mkdir()
    data = json.loads((ROOT / "presets" / "single_image.json").read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    loader["values"].update(trainer_dir=str(folder), python=sys.executable, script="train_longcat.py")
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    pidfile = tmp_path / "pids.txt"
    mark = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    env.update(PYTHONPATH=str(ROOT), DPG_LORA_USER_DIR=str(tmp_path / "user"), RUN_MARK=mark)
    (folder / "train_longcat.py").write_text(f"import sys\nsys.argv += ['--pidfile', {str(pidfile)!r}]\n"
                                             + DAEMON_TRAINER.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dpg_lora", "run", str(graph), "--grace", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: pidfile.exists() and len(read_pids(pidfile)) == 3, timeout=30)
        assert len(marked_processes(mark)) >= 4  # dpg-lora itself carries the mark too
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "stopped" in err
        wait_for(lambda: not marked_processes(mark), timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in marked_processes(mark):
            os.kill(pid, signal.SIGKILL)
