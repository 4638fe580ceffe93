"""The editor's Run tab with a remote run, in a process of its own (one viewport per process).

    python gui_remote_editor.py run GRAPH OUT_DIR       click Run, wait for the trainer's READY, shot
    python gui_remote_editor.py reattach OUT_DIR        a new editor reattaches; click Stop; shots

Real X input (XTest) on the Run and Stop buttons; what it saw goes to stdout as one JSON line.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_gui_class():
    spec = importlib.util.spec_from_file_location("gui_conftest", HERE.parent / "gui" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Gui


def until(gui, predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out; state {gui.app.run_panel.view.state_text!r}")
        gui.frames(1)
        time.sleep(0.02)
    gui.frames(3)


def main() -> int:
    import dearpygui.dearpygui as dpg

    from dpg_lora.ui.app import EditorApp

    phase, args = sys.argv[1], sys.argv[2:]
    out = Path(args[-1])
    dpg.create_context()
    dpg.configure_app(manual_callback_management=True)
    dpg.create_viewport(title="dpg-lora remote", width=1400, height=900, x_pos=0, y_pos=0)
    app = EditorApp(runner=True).build(1400, 900)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    dpg.set_primary_window(app.root, True)
    gui = load_gui_class()(app, dpg)
    panel = app.run_panel
    seen: dict = {}
    try:
        if phase == "run":
            assert app.open_path(args[0]), app.status_message()
            gui.frames(4)
            app.preview.select("Command")
            gui.frames(3)
            seen["cwd_line"] = dpg.get_value(app.preview.cwd)
            gui.shot(out / "command.png")
            app.preview.select("Run")
            gui.frames(3)
            gui.click(*gui.centre(panel.tags["run"]))
            until(gui, lambda: panel.view.state == "running" and "READY" in panel.view.log_text())
            seen["state"] = dpg.get_value(panel.tags["state"])
            seen["where"] = dpg.get_value(panel.tags["where"])
            seen["run_id"] = panel.view.run_id
            gui.shot(out / "running.png")
        else:
            app.preview.select("Run")
            until(gui, lambda: panel.view.state == "running" and "READY" in panel.view.log_text())
            seen["reattached_state"] = dpg.get_value(panel.tags["state"])
            seen["where"] = dpg.get_value(panel.tags["where"])
            seen["run_id"] = panel.view.run_id
            gui.shot(out / "reattached.png")
            gui.click(*gui.centre(panel.tags["stop"]))
            until(gui, lambda: panel.view.state == "stopped")
            seen["state"] = dpg.get_value(panel.tags["state"])
            gui.shot(out / "stopped.png")
    finally:
        dpg.destroy_context()
    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
