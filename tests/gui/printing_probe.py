"""The editor while a trainer prints: `printing_probe.py GRAPH LINES STEPS` prints JSON.

The real editor and loop (waiting for input, woken by the runner's threads) with GRAPH open and
the Run tab shown. Run is clicked (the Run button's handler, on the loop's thread) for a fake
trainer (tests/runner/fake_trainer.py) that prints LINES log lines about 2,000 a second, then
STEPS tqdm progress updates 50 a second, then ends. From the click to the frame that shows the
run ended, the editor process's CPU (user + system, all its threads: the reader, the follower,
the loop) is set against the wall time; the trainer is another process and not counted.
Run by bench_gui.py on its display.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from loop_probe import open_editor, run_driven

ROOT = Path(__file__).resolve().parents[2]
TRAINER = ROOT / "tests" / "runner" / "fake_trainer.py"
WIDTH, HEIGHT = 1500, 920  # bench_gui.WIDTH, HEIGHT


def measure(graph: str, lines: int, steps: int) -> dict:
    from dpg_lora.runner.training_run import RunRequest

    dpg, app, waker = open_editor("printing probe", WIDTH, HEIGHT)
    app.open_path(graph)
    assert app.run_panel is not None
    argv = [sys.executable, str(TRAINER), "--paced", str(lines), "--pace", "0.0005", "--steps", str(steps),
            "--delay", "0.02"]
    request = RunRequest.make(argv, str(ROOT))
    app.run_panel.request_provider = lambda: request  # what Run submits: this trainer, not the graph's
    state: dict = {"frames": 0, "go": False, "run": None, "ended": None, "stop": False}

    def on_frame(frames: int) -> None:  # the loop's thread: the only one that touches Dear PyGui
        state["frames"] = frames
        if state["go"]:
            state["go"] = False
            app.preview.select("Run")
            state["started"] = (frames, time.perf_counter(), time.process_time())
            state["run"] = app.run_panel.run_clicked()
        run = state["run"]
        if run is not None and state["ended"] is None and run.ended and not app.run_panel.manager.active():
            state["ended"] = (frames, time.perf_counter(), time.process_time())
            state["log"] = dpg.get_value(app.run_panel.tags["log"])
        if state["stop"]:
            dpg.stop_dearpygui()

    def drive() -> None:
        time.sleep(1.0)  # the deferred build and the fit are drawn
        state["go"] = True
        waker.post()
        deadline = time.perf_counter() + 120
        while state["ended"] is None and time.perf_counter() < deadline:
            time.sleep(0.02)
        state["stop"] = True
        waker.post()

    run_driven(dpg, app, waker, drive, on_frame)
    if state["ended"] is None:
        raise RuntimeError("the run did not end within 120 s")
    (f0, t0, c0), (f1, t1, c1) = state["started"], state["ended"]
    return {"wall_s": t1 - t0, "cpu_s": c1 - c0, "frames": f1 - f0, "lines": lines, "steps": steps,
            "last_line_shown": f"paced {lines - 1}" in state["log"], "pace_s": waker.pace}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DPG_LORA_USER_DIR", "/tmp/dpg-lora-printing-probe")
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
