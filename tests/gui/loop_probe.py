"""What the loop probes share: the real editor in a viewport of its own, and its real loop run
while a driver thread acts (idle_probe.py, printing_probe.py; each runs in a child process)."""
from __future__ import annotations

import threading
from typing import Callable


def open_editor(title: str, width: int, height: int, wait: bool = True, **app_options):
    """(dpg, app, waker): the editor built and shown, waiting between inputs unless `wait` is off."""
    import dearpygui.dearpygui as dpg

    from dpg_lora.ui.app import EditorApp, make_waker

    dpg.create_context()
    dpg.configure_app(manual_callback_management=True)
    dpg.create_viewport(title=title, width=width, height=height, x_pos=0, y_pos=0)
    waker = make_waker(wait)
    app = EditorApp(waker=waker, **app_options).build(width, height)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    dpg.set_primary_window(app.root, True)
    return dpg, app, waker


def run_driven(dpg, app, waker, drive: Callable[[], None], on_frame: Callable[[int], None]) -> None:
    """The real loop until `drive` (a thread; it must never touch Dear PyGui) has it stop."""
    from dpg_lora.ui.app import run_loop

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    try:
        run_loop(app, on_frame=on_frame)
    finally:
        driver.join(10)
        app.sync.close()
        waker.close()
        dpg.destroy_context()
