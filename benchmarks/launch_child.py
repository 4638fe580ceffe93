"""A start as a user makes it, printing `phases NAME=MS,...` and `mapped CPU_MS` once the first frame
is drawn and `built CPU_MS` once the frame after the deferred build is drawn (then it exits; CPU_MS:
the process's user + system CPU so far; phases: wall milliseconds each step of the start took, from
this script's first line). Run by bench_gui.py on its display.

`launch_child.py bare`: a bare Dear PyGui window with an empty node editor, the baseline. Its window
has the viewport's size and place from the start, as the editor's has: a window left to take them
from `set_primary_window` is drawn only from the second frame on (Dear ImGui lays it out in the
first, which shows nothing: a black screen read back with `import -window root`), so its first
frame would be a black one against the editor's full one.
`launch_child.py editor [GRAPH]`: `dpg-lora [GRAPH]` through the command line (argument parsing,
settings, the display check), the window the size of the bare one.
Only `sys`, `os` and `time` are imported here, so neither side pays for the benchmark's own modules.
"""
import os
import sys
import time

WIDTH, HEIGHT = 1500, 920  # bench_gui.WIDTH, HEIGHT
STARTED = time.perf_counter()
MARKS: list = []  # (phase that just ended, perf_counter)


def mark(phase: str) -> None:
    MARKS.append((phase, time.perf_counter()))


def say(what: str) -> None:
    if what == "mapped":
        ends = [STARTED] + [t for _, t in MARKS]
        print("phases " + ",".join(f"{name}={(t - ends[i]) * 1000:.1f}" for i, (name, t) in enumerate(MARKS)))
    print(what, round(time.process_time() * 1000), flush=True)


def timed(dpg, name: str, phase_before: str, phase: str) -> None:
    """Mark `phase_before` when dpg.`name` is first called and `phase` when that call returns."""
    real = getattr(dpg, name)

    def call(*args, **kwargs):
        if not any(p == phase for p, _ in MARKS):
            mark(phase_before)
            result = real(*args, **kwargs)
            mark(phase)
            return result
        return real(*args, **kwargs)

    setattr(dpg, name, call)


def bare() -> None:
    import dearpygui.dearpygui as dpg

    mark("imports")
    dpg.create_context()
    dpg.create_viewport(title="bare", width=WIDTH, height=HEIGHT, x_pos=0, y_pos=0)
    with dpg.window(pos=(0, 0), width=WIDTH, height=HEIGHT, no_title_bar=True, no_move=True, no_resize=True,
                    no_collapse=True) as window:
        dpg.add_node_editor()
    dpg.set_primary_window(window, True)
    dpg.setup_dearpygui()
    timed(dpg, "show_viewport", "build", "show")
    timed(dpg, "render_dearpygui_frame", "open", "frame")
    dpg.show_viewport()
    dpg.render_dearpygui_frame()
    say("mapped")
    dpg.render_dearpygui_frame()
    say("built")
    os._exit(0)


def editor(argv: list[str]) -> None:
    import dearpygui.dearpygui as dpg

    import dpg_lora.ui.app as app  # what the command line imports before opening the window
    from dpg_lora.cli import main

    mark("imports")
    timed(dpg, "show_viewport", "build", "show")  # build: settings, the app object, its widgets
    timed(dpg, "render_dearpygui_frame", "open", "frame")  # open: the graph read, compiled, drawn as nodes

    def on_frame(frames: int) -> None:
        say("mapped" if frames == 1 else "built")
        if frames == 2:
            os._exit(0)

    real = app.run_editor
    app.run_editor = lambda graph=None, **kw: real(graph, width=WIDTH, height=HEIGHT, on_frame=on_frame)
    main(argv)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        editor(sys.argv[2:])
