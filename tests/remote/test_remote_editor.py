"""The editor's Run tab runs, follows, stops and reattaches a remote run (real X input, Xvfb),
each phase in its own process; screenshots are kept in the test's folder."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("gui_remote_editor.py")


@pytest.fixture(scope="module")
def display():
    pytest.importorskip("dearpygui.dearpygui")
    pytest.importorskip("Xlib")
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    from dpg_lora.cli.screenshot import start_xvfb

    try:
        proc, name = start_xvfb(1600, 1100)
    except OSError as exc:
        pytest.skip(f"needs a display: {exc}")
    yield name
    proc.terminate()
    proc.wait(5)


def phase(env, *args) -> dict:
    r = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], env=env, capture_output=True,
                       text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_run_tab_runs_follows_reattaches_and_stops_a_remote_run(sshd, remote_graph, display, tmp_path):
    graph, env, set_options, values = remote_graph
    set_options("--forever", "--children")
    env = dict(env, DISPLAY=display)
    shots = tmp_path / "shots"
    shots.mkdir()
    first = phase(env, "run", graph, shots)
    assert first["state"] == "running" and first["where"] == "on rhost0"
    assert "on rhost0" in first["cwd_line"] and "every path is on that host" in first["cwd_line"]
    # the first editor is gone; the trainer still runs there
    assert any("python" in p for p in sshd.user_processes())
    second = phase(env, "reattach", shots)
    assert second["run_id"] == first["run_id"]
    assert second["reattached_state"] == "running" and second["where"] == "on rhost0"
    assert second["state"].startswith("stopped")
    assert [p for p in sshd.user_processes() if "python" in p] == []
    for name in ("command", "running", "reattached", "stopped"):
        assert (shots / f"{name}.png").stat().st_size > 10_000
