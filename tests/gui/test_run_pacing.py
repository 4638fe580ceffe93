"""While a run prints, the loop redraws its output at a pace and sleeps between (real loop, a real
trainer process printing thousands of lines a second).

The loop runs in a child process (tests/gui/printing_probe.py): one viewport per process, and its
loop blocks in the OS wait.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "mixed.json"


def test_a_printing_run_is_redrawn_a_few_times_a_second_and_shows_its_last_line(x_display, tmp_path):
    env = dict(os.environ, DISPLAY=x_display, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "gui" / "printing_probe.py"), str(PRESET),
                           "3000", "60"], capture_output=True, text=True, timeout=180, env=env, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["last_line_shown"], seen  # nothing held back at the end
    assert 0.25 <= seen["pace_s"] <= 1.0
    # each paced redraw is two frames (the text, its scroll to the end); the run's start and end
    # and the Run click draw a few more. A loop that drew whenever output arrived drew 15 to 20
    # frames a second here, several times this bound.
    redraws = seen["wall_s"] / seen["pace_s"] + 1
    assert seen["frames"] <= 2 * redraws + 12, seen
