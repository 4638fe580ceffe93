"""The run panel: Run/Stop, state, progress with ETA, loss plot (raw + EMA), log tail, history.

A thin renderer over `RunView`; all decisions live there. Call `drain()` once per frame from the
main thread: it does nothing when nothing changed and sets each widget at most once. The log and
the loss plot are redrawn at most every `slow_interval` seconds while a run prints (state and
progress at once); `next_due()` says when a held-back redraw falls due.
"""
from __future__ import annotations

import time
from typing import Callable

import dearpygui.dearpygui as dpg

from dpg_lora.runner.manager import RunManager
from dpg_lora.runner.records import RunRecord
from dpg_lora.runner.training_run import RunRequest
from dpg_lora.runner.view import RunView

RequestProvider = Callable[[], "RunRequest | None"]
SLOW_SECTIONS = frozenset({"log", "loss"})  # costly to redraw, fine at a few frames a second


def _history_label(record: RunRecord) -> str:
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.started)) if record.started else "-"
    code = "" if record.exit_code is None else f" ({record.exit_code})"
    return f"{started}  {record.state}{code}  {record.id}"


class RunPanel:
    def __init__(self, parent: int | str, manager: RunManager,
                 request_provider: RequestProvider | None = None, *, log_lines: int = 400,
                 drain_budget: int = 2000, slow_interval: float = 0.25) -> None:
        self.parent = parent
        self.manager = manager
        self.request_provider = request_provider
        self.view = RunView(log_lines=log_lines)
        self.drain_budget = drain_budget
        self.slow_interval = slow_interval
        self._held: set[str] = set()  # slow sections changed but not redrawn yet
        self._slow_next = 0.0  # monotonic time of the next allowed slow redraw
        self.history: list[RunRecord] = []
        self._history_dirty = True
        self.tags: dict[str, int | str] = {}
        self.status_message = ""

    # --- building -----------------------------------------------------------------------------

    def build(self) -> None:
        t = self.tags
        with dpg.group(parent=self.parent) as t["root"]:
            with dpg.group(horizontal=True):
                t["run"] = dpg.add_button(label="Run", callback=lambda: self.run_clicked())
                t["stop"] = dpg.add_button(label="Stop", callback=lambda: self.stop_clicked())
                t["state"] = dpg.add_text("idle")
            t["progress"] = dpg.add_progress_bar(default_value=0.0, overlay="", width=-1)
            t["eta"] = dpg.add_text("")
            with dpg.plot(label="loss", height=180, width=-1) as t["plot"]:
                dpg.add_plot_legend()
                t["x"] = dpg.add_plot_axis(dpg.mvXAxis, label="step")
                t["y"] = dpg.add_plot_axis(dpg.mvYAxis, label="loss")
                t["raw"] = dpg.add_line_series([], [], label="loss", parent=t["y"])
                t["smooth"] = dpg.add_line_series([], [], label="EMA", parent=t["y"])
            with dpg.child_window(height=220, width=-1, horizontal_scrollbar=True) as t["log_box"]:
                t["log"] = dpg.add_text("")
            with dpg.collapsing_header(label="History", default_open=False):
                t["history"] = dpg.add_listbox([], num_items=6, width=-1)
                with dpg.group(horizontal=True):
                    dpg.add_button(label="Open log", callback=lambda: self.open_selected())
                    dpg.add_button(label="Refresh", callback=lambda: self.refresh_history())
        self.drain()

    # --- actions --------------------------------------------------------------------------------

    def run_clicked(self):
        """Submit the provider's snapshot; returns the queued/started run (or None)."""
        request = self.request_provider() if self.request_provider else None
        return self.manager.submit(request) if request is not None else None

    def stop_clicked(self) -> None:
        if self.view.run_id and self.view.live:
            self.manager.stop(self.view.run_id)
        else:
            self.manager.stop()

    def refresh_history(self) -> None:
        self._history_dirty = True

    def open_selected(self) -> None:
        label = dpg.get_value(self.tags["history"])
        for record in self.history:
            if _history_label(record) == label:
                self.view.show_record(record)
                return

    # --- per frame ------------------------------------------------------------------------------

    def drain(self) -> bool:
        """Apply new events to the widgets. Returns True if anything was redrawn."""
        events = self.manager.drain(self.drain_budget)
        if events:
            self.view.apply(events)
        dirty = self.view.take_dirty() | self._held
        self._held = set()
        if dirty & SLOW_SECTIONS:
            now = time.monotonic()
            if now < self._slow_next and self.view.live:
                self._held = dirty & SLOW_SECTIONS
                dirty -= SLOW_SECTIONS
            else:
                self._slow_next = now + self.slow_interval
        if self._history_dirty or ("state" in dirty and not self.view.live):
            self._update_history()
        if not dirty:
            return False
        view, t = self.view, self.tags
        if "state" in dirty:
            dpg.set_value(t["state"], view.state_text)
            dpg.configure_item(t["stop"], enabled=view.live or bool(self.manager.queued()))
        if "state" in dirty or "progress" in dirty:
            dpg.set_value(t["progress"], view.fraction)
            dpg.configure_item(t["progress"], overlay=view.progress_label)
            dpg.set_value(t["eta"], view.eta_text)
        if "loss" in dirty:
            dpg.set_value(t["raw"], [view.loss_xs, view.loss_ys])
            dpg.set_value(t["smooth"], [view.loss_xs, view.loss_smooth])
            if view.loss_xs:
                dpg.fit_axis_data(t["x"])
                dpg.fit_axis_data(t["y"])
        if "log" in dirty:
            box = t["log_box"]
            at_bottom = dpg.get_y_scroll(box) >= dpg.get_y_scroll_max(box) - 4
            dpg.set_value(t["log"], view.log_text())
            if at_bottom:  # follow the tail unless the user scrolled up to read
                dpg.set_y_scroll(box, -1.0)
        return True

    def next_due(self) -> float | None:
        """When held-back log/plot changes may be drawn (None: nothing held back)."""
        return self._slow_next if self._held else None

    def _update_history(self) -> None:
        self._history_dirty = False
        self.history = self.manager.history()
        dpg.configure_item(self.tags["history"], items=[_history_label(r) for r in self.history])
