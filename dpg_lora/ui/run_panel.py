"""The run panel: Run/Stop, state, progress with ETA, loss plot (raw + EMA), log tail, history.

A thin renderer over `RunView`; all decisions live there. Call `drain()` once per frame from the
main thread: it does nothing when nothing changed and sets each widget at most once. The log and
the loss plot are redrawn at most every `slow_interval` seconds while a run prints (state and
progress at once); `next_due()` says when a held-back redraw falls due.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

import dearpygui.dearpygui as dpg

from dpg_lora.runner.manager import RunManager
from dpg_lora.runner.records import RunRecord
from dpg_lora.runner.training_run import RunRequest
from dpg_lora.runner.view import DRAIN_LINES, RunView

RequestProvider = Callable[[], "RunRequest | None"]
SLOW_SECTIONS = frozenset({"log", "loss"})  # costly to redraw, fine at a few frames a second


def _history_label(record: RunRecord) -> str:
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.started)) if record.started else "-"
    code = "" if record.exit_code is None else f" ({record.exit_code})"
    where = f"  on {record.host}" if record.host else ""
    return f"{started}  {record.state}{code}  {record.id}{where}"


def _machine_label(index: int, machine) -> str:
    return f"machine {index}: {machine.label}"


def _tail_lines(path: str, lines: int, max_bytes: int = 1 << 16) -> str:
    from dpg_lora.runner.parse import LineSplitter

    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - max_bytes))
            data = fh.read()
    except OSError as exc:
        return f"[log not readable: {exc}]"
    splitter = LineSplitter()
    return "\n".join((splitter.feed(data) + splitter.flush())[-lines:])


class RunPanel:
    def __init__(self, parent: int | str, manager: RunManager,
                 request_provider: RequestProvider | None = None, *, log_lines: int = 400,
                 drain_budget: int = DRAIN_LINES, slow_interval: float = 0.25) -> None:
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
        self.machine_index = 0  # whose log the log box shows (0 = machine 0, the run's log)
        self._machines_shown: tuple = ()
        self._machine_log_at = 0.0
        self.outputs: list = []  # files.Entry of the shown run's output folder
        self.outputs_note = ""
        self.copy_progress: tuple[int, int | None] | None = None
        self._outputs_dirty = False
        self._lock = threading.Lock()

    # --- building -----------------------------------------------------------------------------

    def build(self) -> None:
        t = self.tags
        with dpg.group(parent=self.parent) as t["root"]:
            with dpg.group(horizontal=True):
                t["run"] = dpg.add_button(label="Run", callback=lambda: self.run_clicked())
                t["stop"] = dpg.add_button(label="Stop", callback=lambda: self.stop_clicked())
                t["state"] = dpg.add_text("idle")
            with dpg.group(horizontal=True):
                t["where"] = dpg.add_text("")
                t["machine"] = dpg.add_combo([], width=220, show=False,
                                             callback=lambda s, a: self.select_machine(a))
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
            with dpg.collapsing_header(label="Output files", default_open=False):
                with dpg.group(horizontal=True):
                    t["list_outputs"] = dpg.add_button(label="List checkpoints",
                                                       callback=lambda: self.list_outputs())
                    t["copy"] = dpg.add_button(label="Copy home", callback=lambda: self.copy_selected())
                t["outputs_note"] = dpg.add_text("")
                t["outputs"] = dpg.add_listbox([], num_items=5, width=-1)
                t["copy_progress"] = dpg.add_progress_bar(default_value=0.0, overlay="", width=-1)
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

    def machines(self) -> list:
        """The machines of the run on view (detached runs), machine 0 first; [] for a local child."""
        from dpg_lora.remote.machine import Machine

        run = self.manager.get(self.view.run_id) if self.view.run_id else None
        if run is not None and getattr(run, "machines", None):
            return list(run.machines)
        for record in self.history:
            if record.id == self.view.run_id and record.machines:
                return [Machine.from_dict(d) for d in record.machines]
        return []

    def select_machine(self, label: str) -> None:
        for i, m in enumerate(self.machines()):
            if _machine_label(i, m) == label:
                self.machine_index = i
        self._machine_log_at = 0.0
        self.view._dirty.add("log")

    def _record_of_view(self) -> RunRecord | None:
        run = self.manager.get(self.view.run_id) if self.view.run_id else None
        if run is not None:
            return run.record
        return next((r for r in self.history if r.id == self.view.run_id), None)

    def list_outputs(self) -> threading.Thread | None:
        """List machine 0's output folder (checkpoints with sizes) on a worker thread."""
        from dpg_lora.remote import files
        from dpg_lora.remote.machine import Machine

        record = self._record_of_view()
        if record is None:
            self._set_outputs([], "no run on view")
            return None
        output_dir = files.output_dir_of(record.config_text)
        if not output_dir:
            self._set_outputs([], "the run's config names no output_dir")
            return None
        machines = self.machines() or [Machine(host="", cwd=record.cwd, argv=list(record.argv),
                                               log_path=record.log_path)]
        m = machines[0]
        self._set_outputs([], f"listing {output_dir} on {m.label}\u2026")

        def work() -> None:
            try:
                entries = files.checkpoints(m, m.connect(), output_dir)
                self._set_outputs(entries, f"{len(entries)} item(s) in {output_dir} on {m.label}")
            except Exception as exc:  # shown in the panel; a worker must not die silently
                self._set_outputs([], str(exc))

        thread = threading.Thread(target=work, name="list-outputs", daemon=True)
        thread.start()
        return thread

    def _set_outputs(self, entries: list, note: str) -> None:
        with self._lock:
            self.outputs, self.outputs_note = list(entries), note
            self._outputs_dirty = True
        self._wake()

    def _output_label(self, entry) -> str:
        from dpg_lora.remote.files import human_size

        return f"{entry.path}{'/' if entry.is_dir else ''}  {human_size(entry.size)}"

    def copy_selected(self, dest_dir: str | None = None) -> threading.Thread | None:
        """Copy the chosen output file home (into the run's folder, `outputs/`) with progress."""
        from dpg_lora.remote import files

        label = dpg.get_value(self.tags["outputs"])
        entry = next((e for e in self.outputs if self._output_label(e) == label), None)
        record = self._record_of_view()
        machines = self.machines()
        if entry is None or record is None or not machines or entry.is_dir:
            self._set_outputs(self.outputs, "choose a file first (folders are not copied)")
            return None
        m = machines[0]
        remote = f"{files.output_dir_of(record.config_text).rstrip('/')}/{entry.path}"
        dest = Path(dest_dir or record.folder / "outputs") / entry.path

        def progress(done: int, total: int | None) -> None:
            with self._lock:
                self.copy_progress = (done, total)
                self._outputs_dirty = True
            self._wake()

        def work() -> None:
            try:
                files.copy_home(m, m.connect(), remote, dest, entry.size, progress)
                self._set_outputs(self.outputs, f"copied to {dest}")
            except Exception as exc:  # shown in the panel
                self._set_outputs(self.outputs, str(exc))

        thread = threading.Thread(target=work, name="copy-home", daemon=True)
        thread.start()
        return thread

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
        self._draw_machines(dirty)
        self._draw_outputs()
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
            if self.machine_index > 0:
                dpg.set_value(t["log"], self._machine_log_text())
            else:
                dpg.set_value(t["log"], view.log_text())
            if at_bottom:  # follow the tail unless the user scrolled up to read
                dpg.set_y_scroll(box, -1.0)
        return True

    def next_due(self) -> float | None:
        """When held-back log/plot changes may be drawn, or another machine's log is re-read
        (None: nothing due)."""
        due = [self._slow_next if self._held else None,
               self._machine_log_at + 0.5 if self.machine_index > 0 and self.view.live else None]
        due = [d for d in due if d is not None]
        return min(due) if due else None

    def _wake(self) -> None:
        """Worker threads changed what the panel shows: wake the render loop (never draw here)."""
        wake = getattr(self.manager.events, "wake", None)
        if wake is not None:
            wake()

    def _machine_log_text(self) -> str:
        machines = self.machines()
        if self.machine_index >= len(machines):
            return ""
        return _tail_lines(machines[self.machine_index].log_path, self.view.log.maxlen or 400)

    def _draw_machines(self, dirty: set) -> None:
        """The host line and the machine switch; another machine's log re-read twice a second."""
        machines = self.machines()
        shown = (self.view.run_id, tuple(m.label for m in machines))
        t = self.tags
        if shown != self._machines_shown:
            self._machines_shown = shown
            if not machines or shown[0] is None:
                where = ""
            elif len(machines) == 1:
                where = f"on {machines[0].label}"
            else:
                where = f"on {len(machines)} machines; log of"
            dpg.set_value(t["where"], where)
            labels = [_machine_label(i, m) for i, m in enumerate(machines)]
            if self.machine_index >= len(machines):
                self.machine_index = 0
            dpg.configure_item(t["machine"], items=labels, show=len(machines) > 1)
            if labels:
                dpg.set_value(t["machine"], labels[self.machine_index])
        if self.machine_index > 0 and time.monotonic() - self._machine_log_at > 0.5:
            self._machine_log_at = time.monotonic()
            dirty.add("log")

    def _draw_outputs(self) -> None:
        with self._lock:
            if not self._outputs_dirty:
                return
            self._outputs_dirty = False
            entries, note, progress = list(self.outputs), self.outputs_note, self.copy_progress
        from dpg_lora.remote.files import human_size

        t = self.tags
        dpg.set_value(t["outputs_note"], note)
        dpg.configure_item(t["outputs"], items=[self._output_label(e) for e in entries])
        if progress is not None:
            done, total = progress
            dpg.set_value(t["copy_progress"], done / total if total else 0.0)
            dpg.configure_item(t["copy_progress"], overlay=f"{human_size(done)}"
                               + (f" of {human_size(total)}" if total else ""))

    def _update_history(self) -> None:
        self._history_dirty = False
        self.history = self.manager.history()
        dpg.configure_item(self.tags["history"], items=[_history_label(r) for r in self.history])
