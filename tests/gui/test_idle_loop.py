"""The editor's loop sleeps while idle and wakes within one frame (real loop, real X input).

The loop runs in a child process (tests/gui/idle_probe.py): one viewport per process, and its
loop blocks in the OS wait, which the package's shared viewport must never do.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "single_image.json"


@pytest.fixture(scope="module")
def probe(x_display, tmp_path_factory):
    if sys.platform != "linux":
        pytest.skip("the probe drives X input")
    env = dict(os.environ, DPG_LORA_USER_DIR=str(tmp_path_factory.mktemp("idle-user")), PROBE_WAIT="1")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "gui" / "idle_probe.py"), str(PRESET), "2"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_loop_waits_with_glfw(probe):
    assert probe["method"] == "glfwWaitEvents"
    assert probe["nodes"] == 14


def test_idle_editor_draws_no_frames_and_uses_no_cpu(probe):
    assert probe["idle_wall_s"] >= 1.9
    assert probe["idle_frames"] == 0
    assert probe["idle_cpu_s"] < 0.1, probe  # all threads of the process, over 2 s


def test_an_event_queued_by_a_thread_is_drawn_in_the_next_frame(probe):
    assert probe["wake_frames"] == 1, probe
    assert probe["wake_ms"] < 1000


def test_a_timed_wake_up_runs_one_frame_when_due(probe):
    assert probe["timer_frames"] == 1, probe
    assert 0 <= probe["timer_late_ms"] < 1000


def test_typing_still_reaches_the_editor_while_it_sleeps_between_events(probe):
    assert probe["typed_rank"] == 32
