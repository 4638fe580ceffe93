"""GUI test fixtures: one Dear PyGui context and viewport per process, a fresh editor per test.

Dear PyGui 2.3 cannot re-create a viewport in one process (upstream #2662), so the viewport is
session-scoped and each test builds the editor into it and destroys it afterwards. Input is real
X input (XTest via python-xlib), so imnodes behaves exactly as for a user. Uses $DISPLAY, or
starts a private Xvfb; skips cleanly when neither is possible.
"""
from __future__ import annotations

import os
import time

import pytest

WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="session")
def x_display():
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    from dpg_lora.cli.screenshot import start_xvfb

    try:
        proc, name = start_xvfb(WIDTH + 200, HEIGHT + 200)
    except OSError as exc:
        pytest.skip(f"GUI tests need a display: DISPLAY is unset and {exc}")
    os.environ["DISPLAY"] = name
    yield name
    os.environ.pop("DISPLAY", None)
    proc.terminate()
    proc.wait(5)


@pytest.fixture(scope="package")  # torn down before other packages' Dear PyGui contexts
def dpg_viewport(x_display, tmp_path_factory):
    dpg = pytest.importorskip("dearpygui.dearpygui", reason="Dear PyGui (or libX11) is missing")
    os.environ["DPG_LORA_USER_DIR"] = str(tmp_path_factory.mktemp("user"))
    dpg.create_context()
    dpg.configure_app(manual_callback_management=True)
    dpg.create_viewport(title="dpg-lora tests", width=WIDTH, height=HEIGHT, x_pos=0, y_pos=0)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    yield dpg
    dpg.destroy_context()


class Gui:
    """Frames and real X input against the editor."""

    def __init__(self, app, dpg):
        from Xlib import X, XK, display
        from Xlib.ext import xtest

        self.app, self.dpg = app, dpg
        self.X, self.XK, self.xtest = X, XK, xtest
        self.xd = display.Display(os.environ["DISPLAY"])

    # -- frames
    def show(self, node_id: str) -> None:
        """Bring a node into view at a readable zoom (tests must not click off-screen)."""
        self.app.canvas.centre_on(node_id)
        self.settle()

    def settle(self, limit: int = 40) -> None:
        """Frames until the canvas has finished fitting or revealing (it measures drawn nodes)."""
        self.frames(2)
        for _ in range(limit):
            if self.app.canvas.settled():
                break
            self.frames(1)
        self.frames(1)

    def at_zoom(self, zoom: float) -> None:
        """Show the graph at `zoom`, its top-left corner (or all of it) in view."""
        self.settle()
        self.app.canvas.set_zoom(zoom)
        self.app.canvas.request_fit(keep_zoom=True)
        self.settle()

    def frames(self, n: int = 1) -> None:
        dpg = self.dpg
        for _ in range(n):
            self.app.turn()
            dpg.render_dearpygui_frame()
            dpg.run_callbacks(dpg.get_callback_queue())

    def shot(self, path: str) -> None:
        """Save the current frame as a PNG (for debugging a failing test)."""
        self.dpg.output_frame_buffer(file=str(path))
        self.frames(3)

    # -- geometry
    def rect(self, item) -> tuple[float, float, float, float]:
        x0, y0 = self.dpg.get_item_rect_min(item)
        x1, y1 = self.dpg.get_item_rect_max(item)
        return x0, y0, x1, y1

    def centre(self, item) -> tuple[int, int]:
        x0, y0, x1, y1 = self.rect(item)
        return int((x0 + x1) / 2), int((y0 + y1) / 2)

    def click_problem_of(self, node_id: str) -> None:
        """A real click on the shown Problems tab's row for `node_id` (it centres that node)."""
        item = next(i for i, n in self.app.preview.problem_nodes.items() if n == node_id)
        self.click(*self.centre(item))
        self.frames(2)

    def off_centre(self, node_id: str) -> float:
        """How far (px, across) the node's middle is from the canvas's visible centre."""
        cx, _ = self.app.canvas.visible_centre()
        x0, _, x1, _ = self.app.canvas.node_rect(node_id)
        return abs((x0 + x1) / 2 - cx)

    def pin(self, node_id: str, pin: str | None = None) -> tuple[int, int]:
        """Screen position of a node's output pin (pin=None) or of one of its inputs."""
        canvas = self.app.canvas
        attr = canvas.pin_attr[(node_id, pin)]
        label = self.dpg.get_item_children(attr, 1)[0]
        _, ly0, _, ly1 = self.rect(label)
        nx0, _, nx1, _ = canvas.node_rect(node_id)
        return (int(nx1) - 1 if pin is None else int(nx0) + 1), int((ly0 + ly1) / 2)

    def title(self, node_id: str) -> tuple[int, int]:
        x0, y0, x1, _ = self.app.canvas.node_rect(node_id)
        return int(x0 + 30), int(y0 + 10)

    # -- input
    def _sync(self, frames: int = 2) -> None:
        self.xd.sync()
        time.sleep(0.01)
        self.frames(frames)

    def move(self, x: int, y: int, frames: int = 2) -> None:
        self.xtest.fake_input(self.xd, self.X.MotionNotify, x=int(x), y=int(y))
        self._sync(frames)

    def press(self, button: int = 1) -> None:
        self.xtest.fake_input(self.xd, self.X.ButtonPress, button)
        self._sync()

    def release(self, button: int = 1) -> None:
        self.xtest.fake_input(self.xd, self.X.ButtonRelease, button)
        self._sync()

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.move(x, y)
        self.press(button)
        self.release(button)

    def double_click(self, x: int, y: int) -> None:
        self.move(x, y)
        for _ in range(2):
            self.xtest.fake_input(self.xd, self.X.ButtonPress, 1)
            self._sync(1)
            self.xtest.fake_input(self.xd, self.X.ButtonRelease, 1)
            self._sync(1)
        self.frames(2)

    def wheel(self, x: int, y: int, clicks: int) -> None:
        """Turn the mouse wheel over (x, y): positive clicks away from the user (X button 4)."""
        self.move(x, y)
        button = 4 if clicks > 0 else 5
        for _ in range(abs(clicks)):
            self.xtest.fake_input(self.xd, self.X.ButtonPress, button)
            self.xtest.fake_input(self.xd, self.X.ButtonRelease, button)
            self._sync(2)

    def drag(self, start, end, steps: int = 8, button: int = 1) -> None:
        self.move(*start)
        self.press(button)
        for i in range(1, steps + 1):
            self.move(start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps, 1)
        self.frames(2)
        self.release(button)
        self.frames(2)

    def _keycode(self, name: str) -> int:
        return self.xd.keysym_to_keycode(self.XK.string_to_keysym(name))

    def key(self, name: str, *modifiers: str) -> None:
        """Press a key by X keysym name ("z", "Delete", "Return"), with modifiers ("Control_L")."""
        for mod in modifiers:
            self.xtest.fake_input(self.xd, self.X.KeyPress, self._keycode(mod))
        self._sync(1)
        code = self._keycode(name)
        self.xtest.fake_input(self.xd, self.X.KeyPress, code)
        self._sync(1)
        self.xtest.fake_input(self.xd, self.X.KeyRelease, code)
        self._sync(1)
        for mod in reversed(modifiers):
            self.xtest.fake_input(self.xd, self.X.KeyRelease, self._keycode(mod))
        self._sync(2)

    def type(self, text: str) -> None:
        names = {" ": "space", ".": "period", "_": "underscore", "-": "minus", "/": "slash"}
        for ch in text:
            name = names.get(ch, ch)
            if ch.isupper() or ch == "_":
                self.key(name.lower() if ch.isupper() else "minus", "Shift_L")
            else:
                self.key(name)

    def empty_canvas_point(self) -> tuple[int, int]:
        """A point on the canvas that no node covers."""
        x0, y0, x1, y1 = self.app.canvas.container_rect()
        rects = [self.app.canvas.node_rect(n) for n in self.app.canvas.views]
        for y in range(int(y1) - 30, int(y0) + 30, -40):
            for x in range(int(x1) - 30, int(x0) + 30, -40):
                if not any(r[0] - 10 <= x <= r[2] + 10 and r[1] - 10 <= y <= r[3] + 10 for r in rects):
                    return x, y
        raise AssertionError("no empty canvas left")


@pytest.fixture
def gui(dpg_viewport):
    from dpg_lora.ui.app import EditorApp

    dpg = dpg_viewport
    app = EditorApp(runner=False).build(WIDTH, HEIGHT)
    dpg.set_primary_window(app.root, True)
    g = Gui(app, dpg)
    g.frames(3)
    yield g
    g.xtest.fake_input(g.xd, g.X.ButtonRelease, 1)  # never leave a button held for the next test
    g.xd.sync()
    g.frames(1)
    app.destroy()
    g.frames(1)
    g.xd.close()
