"""Runs the editor's real loop (waiting for input) in this process and prints what it saw as JSON.

Used by test_idle_loop.py in a child process (one viewport per process) and by
benchmarks/bench_gui.py. A driver thread lets the loop settle, counts frames and process CPU time
over an idle spell, then queues one run event from a thread (the way the runner's reader does)
and notes the frame that draws it; a timed wake-up (`wake_at`) is checked the same way.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from loop_probe import open_editor, run_driven

ROOT = Path(__file__).resolve().parents[2]


def probe(graph: str | None, idle_seconds: float, settle_seconds: float = 1.0) -> dict:
    from dpg_lora.runner.events import StateEvent

    dpg, app, waker = open_editor("idle probe", 1000, 700, os.environ.get("PROBE_WAIT", "1") == "1",
                                  watch=True, autosave=True)
    if graph:
        app.open_path(graph)
        if "lora" in app.canvas.views:
            app.canvas.centre_on("lora")
    out: dict = {"method": waker.method, "nodes": len(app.doc.graph.nodes)}
    state = {"frames": 0, "stop": False, "seen": None, "timer_seen": None}
    timer_flag = {"due": None}

    def on_frame(frames: int) -> None:
        state["frames"] = frames
        now = time.perf_counter()
        if state["seen"] is None and dpg.get_value(app.run_panel.tags["state"]).startswith("running"):
            state["seen"] = (frames, now)
        if timer_flag["due"] is not None and state["timer_seen"] is None and time.monotonic() >= timer_flag["due"]:
            state["timer_seen"] = (frames, time.monotonic())
        view = app.canvas.views.get("lora")
        if view is not None and "rank" in view.fields:
            x0, y0 = dpg.get_item_rect_min(view.fields["rank"].widget)
            x1, y1 = dpg.get_item_rect_max(view.fields["rank"].widget)
            state["rank_xy"] = (int((x0 + x1) / 2), int((y0 + y1) / 2))
        if state.get("shot"):
            dpg.output_frame_buffer(file=state.pop("shot"))
            waker.post()  # the file is written during the next frame
        if state.get("centre"):
            state["centre"] = False
            app.canvas.centre_on("lora")
            waker.post()  # work started outside a turn: wake the loop, whose turns then move the view
        if state["stop"]:
            dpg.stop_dearpygui()

    def quiet() -> None:
        """Until no frame was drawn for 0.3 s: a fit or a centring measures frame by frame, which
        on a loaded machine outlasts any fixed wait."""
        quiet_since, last, deadline = time.perf_counter(), state["frames"], time.perf_counter() + 20
        while time.perf_counter() - quiet_since < 0.3 and time.perf_counter() < deadline:
            time.sleep(0.02)
            if state["frames"] != last:
                quiet_since, last = time.perf_counter(), state["frames"]

    def drive() -> None:
        time.sleep(settle_seconds)
        quiet()
        f0, c0, t0 = state["frames"], time.process_time(), time.perf_counter()
        time.sleep(idle_seconds)
        f1, c1, t1 = state["frames"], time.process_time(), time.perf_counter()
        out.update(idle_frames=f1 - f0, idle_cpu_s=c1 - c0, idle_wall_s=t1 - t0)
        # a background event, queued and woken the way the runner's reader thread does it
        before, put_at = state["frames"], time.perf_counter()
        app.run_panel.manager.events.put(StateEvent("probe-run", "running"))
        deadline = time.perf_counter() + 5
        while state["seen"] is None and time.perf_counter() < deadline:
            time.sleep(0.002)
        if state["seen"] is not None:
            out.update(wake_frames=state["seen"][0] - before, wake_ms=(state["seen"][1] - put_at) * 1000)
        time.sleep(0.5)
        # a timed wake-up: nothing queued, the timer thread alone must run a frame when due
        before = state["frames"]
        due = time.monotonic() + 0.3
        timer_flag["due"] = due
        waker.wake_at(due)
        deadline = time.perf_counter() + 5
        while state["timer_seen"] is None and time.perf_counter() < deadline:
            time.sleep(0.002)
        if state["timer_seen"] is not None:
            out.update(timer_frames=state["timer_seen"][0] - before,
                       timer_late_ms=(state["timer_seen"][1] - due) * 1000)
        state["centre"] = True
        waker.post()
        time.sleep(0.5)
        quiet()  # the rank field's place is read when the centring has ended
        if state.get("rank_xy"):
            out.update(typed_rank=type_into(state["rank_xy"], "32",
                                            lambda: app.doc.graph.node("lora").values.get("rank")))
        if os.environ.get("PROBE_SHOT"):
            state["shot"] = os.environ["PROBE_SHOT"]
            waker.post()
            time.sleep(0.5)
        state["stop"] = True
        waker.post()

    run_driven(dpg, app, waker, drive, on_frame)
    return out


def type_into(xy: tuple[int, int], text: str, read) -> object:
    """Real X input while the loop sleeps between events: click, select all, type, Return.
    Returns what `read()` gives once the edit arrived (or after 3 s)."""
    from Xlib import X, XK, display
    from Xlib.ext import xtest

    xd = display.Display(os.environ["DISPLAY"])

    def send(kind, detail=0, **kw):
        xtest.fake_input(xd, kind, detail, **kw)
        xd.sync()
        time.sleep(0.05)

    def key(name, *mods):
        codes = [xd.keysym_to_keycode(XK.string_to_keysym(m)) for m in mods]
        code = xd.keysym_to_keycode(XK.string_to_keysym(name))
        for c in codes:
            send(X.KeyPress, c)
        send(X.KeyPress, code)
        send(X.KeyRelease, code)
        for c in reversed(codes):
            send(X.KeyRelease, c)

    send(X.MotionNotify, x=xy[0], y=xy[1])
    send(X.ButtonPress, 1)
    send(X.ButtonRelease, 1)
    key("a", "Control_L")
    for ch in text:
        key(ch)
    key("Return")
    deadline = time.perf_counter() + 3
    while time.perf_counter() < deadline and str(read()) != text:
        time.sleep(0.01)
    xd.close()
    return read()


def main() -> int:
    graph = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
    idle = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    print(json.dumps(probe(graph, idle)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DPG_LORA_USER_DIR", "/tmp/dpg-lora-idle-probe")
    sys.exit(main())
