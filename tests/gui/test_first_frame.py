"""The editor's first frame comes before what it does not show yet: the window is drawn, then the
preset browser, the run panel (with the runner) and the file watcher are built, and only then.

Run as `dpg-lora` is (the command line, in a child process: one viewport per process).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
import dpg_lora.ui.app as app
from dpg_lora.cli import main
seen = []

def on_frame(frames):
    import dearpygui.dearpygui as dpg
    panel = app_ref[0]
    seen.append({"modules": sorted(sys.modules), "left_items": len(dpg.get_item_children(panel.left, 1))})
    if frames == 2:
        print(json.dumps(seen), flush=True)
        os._exit(0)

app_ref = []
real_build = app.EditorApp.build
def build(self, *args, **kwargs):
    app_ref.append(self)
    return real_build(self, *args, **kwargs)
app.EditorApp.build = build
real = app.run_editor
app.run_editor = lambda graph=None, **kw: real(graph, width=1000, height=700, on_frame=on_frame)
main(sys.argv[1:])
"""
LATER = ("dpg_lora.ui.presets_panel", "dpg_lora.ui.run_panel", "dpg_lora.runner", "watchfiles",
         "dpg_lora.scripts.argparse_ast", "subprocess")  # subprocess: 5 ms of imports (signal, selectors, locale)


def _frames(x_display, tmp_path, *argv: str) -> list[dict]:
    env = dict(os.environ, DISPLAY=x_display, DPG_LORA_USER_DIR=str(tmp_path / "user"))
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120,
                          env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _later(modules: list[str]) -> list[str]:
    return sorted(h for h in LATER if any(m == h or m.startswith(h + ".") for m in modules))


def test_the_first_frame_is_drawn_before_the_side_panels_and_runner_are_built(x_display, tmp_path):
    first, second = _frames(x_display, tmp_path, str(ROOT / "presets" / "single_image.json"))
    assert "dpg_lora.ui.canvas" in first["modules"]
    assert _later(first["modules"]) == [] and first["left_items"] == 0
    # the frame after: the deferred build ran (so the check above can fail)
    assert {"dpg_lora.ui.presets_panel", "dpg_lora.ui.run_panel", "dpg_lora.runner", "watchfiles",
            "subprocess"} <= set(_later(second["modules"]))
    assert second["left_items"] > 0
