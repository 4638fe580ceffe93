"""The Run tab: what Run will start and the checks before it, the run on view (state, progress
with ETA, loss plot, log), the queue, output files and the history with each run's log, frozen
config, what changed since it and Run again.

A thin renderer: the plan and checks come from runner/prelaunch.py (computed on a worker thread,
never per frame), the run on view from `RunView`, the diff from config_diff.py. Call `drain()`
once per frame from the main thread: it does nothing when nothing changed and sets each widget at
most once. While a run prints, the log, the loss plot and the progress are redrawn on the loop's
paced turns (`drain(paced=)`: a few a second, ui/wake.py) or at most every `slow_interval` seconds,
its state at once; `next_due()` says when a held-back redraw or a plan falls due.

The view follows the selected run: the one just started with Run or Run again, or the history
entry chosen; with none chosen, a run that starts (a reattached one, the queue's next) is shown.
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import dearpygui.dearpygui as dpg

from dpg_lora.runner.events import StateEvent
from dpg_lora.runner.manager import RunManager
from dpg_lora.runner.parse import Progress, format_seconds
from dpg_lora.runner.records import RunRecord, frozen_config_text
from dpg_lora.runner.training_run import RunRequest
from dpg_lora.runner.view import DRAIN_LINES, RunView
from dpg_lora.ui.problem_texts import remote_words
from dpg_lora.ui.texts import current, tr

if TYPE_CHECKING:
    from dpg_lora.document import Document
    from dpg_lora.runner.prelaunch import Check, LaunchPlan

RequestProvider = Callable[[], "RunRequest | None"]
DocumentProvider = Callable[[], "Document | None"]
# drawn on the paced turns while a run prints (a few a second): the log and plot are costly to
# redraw, and progress changing between them would keep the loop drawing frame after frame
SLOW_SECTIONS = frozenset({"log", "loss", "progress"})
PLAN_DELAY = 0.25  # seconds of quiet after an edit before the checks touch the file system
FINAL_STATES = ("finished", "failed", "stopped", "cancelled")
STATUS_COLOURS = {"pass": (110, 200, 120), "warn": (230, 180, 70), "block": (235, 95, 85),
                  "later": (150, 160, 175), "unknown": (150, 160, 175)}


def _history_label(record: RunRecord) -> str:
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.started)) if record.started else "-"
    code = "" if record.exit_code is None else f" ({record.exit_code})"
    where = tr("run.history_where", host=record.host) if record.host else ""
    return tr("run.history_label", started=started, state=tr_state_word(record.state), code=code,
              run_id=record.id, where=where)


def tr_state_word(state: str) -> str:
    """A state as one word (the history list and the queue): running, finished, ..."""
    key = f"run.word.{state}"
    return tr(key) if _has(key) else state


def _has(key: str) -> bool:
    return current().has(key)


def _remote(message: str | None) -> str:
    """An ssh failure in the current language (ui/problem_texts.py); other texts as they are."""
    return remote_words(message, current()) if message else ""


def _host_words(machine) -> str:
    """A machine as the panel names it: its ssh destination, or "this machine" in the current language."""
    return machine.host or tr("run.host_local")


def _machine_label(index: int, machine) -> str:
    return tr("run.machine", index=index, label=_host_words(machine))


def _tail_lines(path: str, lines: int, max_bytes: int = 1 << 16) -> str:
    from dpg_lora.runner.parse import LineSplitter

    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - max_bytes))
            data = fh.read()
    except OSError as exc:
        return tr("run.log_unreadable", error=exc)
    splitter = LineSplitter()
    return "\n".join((splitter.feed(data) + splitter.flush())[-lines:])


def progress_words(p: Progress | None) -> str:
    """The progress bar's own line: step and percent."""
    if p is None:
        return ""
    parts = [tr("run.step_total", step=p.step, total=p.total) if p.total else tr("run.step", step=p.step)]
    if p.fraction is not None:
        parts.append(tr("run.percent", percent=f"{100 * p.fraction:.1f}"))
    return "  ".join(parts)


def figures_words(p: Progress | None, epoch: tuple[int, int | None] | None, live: bool) -> str:
    """The line under the bar: speed and ETA while the run is live (never after), loss, epoch."""
    parts = []
    if p is not None and live:
        if p.rate:
            parts.append(tr("run.rate_its", rate=f"{p.rate:.2f}") if p.rate >= 1
                         else tr("run.rate_sit", rate=f"{1 / p.rate:.2f}"))
        if p.remaining is not None:
            parts.append(tr("run.eta", eta=format_seconds(p.remaining)))
        elif p.elapsed is not None:
            parts.append(tr("run.elapsed", elapsed=format_seconds(p.elapsed)))
    if p is not None and p.loss is not None:
        parts.append(tr("run.loss_value", loss=f"{p.loss:.4g}"))
    if epoch is not None:
        parts.append(tr("run.epoch_total", epoch=epoch[0], total=epoch[1]) if epoch[1]
                     else tr("run.epoch", epoch=epoch[0]))
    return "  ".join(parts)


def state_sentence(view: RunView, record: RunRecord | None) -> str:
    """The run's state in words; an ended run says how it ended, how long it took, where it
    stopped, never a stale speed or ETA."""
    state = view.state
    if state not in FINAL_STATES:
        if state == "reconnecting":
            return tr("run.state.reconnecting", message=_remote(view.message))
        return tr(f"run.state.{state}") if _has(f"run.state.{state}") else tr("run.state.other", state=state)
    if state == "cancelled":
        return tr("run.state.cancelled")
    duration = record.duration if record is not None else None
    took = format_seconds(duration) if duration is not None else "?"
    code = view.exit_code
    if state == "finished":
        return (tr("run.state.finished", duration=took, code=code) if code is not None
                else tr("run.state.finished_no_code", duration=took))
    if state == "failed":
        message = _remote(view.message) or "-"
        return (tr("run.state.failed", duration=took, code=code, message=message) if code is not None
                else tr("run.state.failed_no_code", duration=took, message=message))
    p = view.progress
    if p is not None:
        step = f"{p.step}/{p.total}" if p.total else str(p.step)
        return tr("run.state.stopped_at", step=step, duration=took)
    return tr("run.state.stopped", duration=took)


def check_line(check: "Check") -> str:
    words = tr(f"run.reason.{check.name}.{check.reason}", subject=check.subject)
    if check.status == "block" and check.message and check.reason in ("failed",):
        words += f" ({_remote(check.message)})"
    return f"{tr('run.check.' + check.name)}: {words}"


class RunPanel:
    def __init__(self, parent: int | str, manager: RunManager,
                 request_provider: RequestProvider | None = None, *, log_lines: int = 400,
                 drain_budget: int = DRAIN_LINES, slow_interval: float = 0.25,
                 document: DocumentProvider | None = None, base_dir: str | Path | None = None,
                 status: Callable[..., Any] | None = None) -> None:
        self.parent = parent
        self.manager = manager
        self.request_provider = request_provider
        self.document = document  # the open graph: its plan is shown before a run
        self.base_dir = Path(base_dir) if base_dir is not None else Path.cwd()
        self.status = status
        self.view = RunView(log_lines=log_lines)
        self.drain_budget = drain_budget
        self.slow_interval = slow_interval
        self._held: set[str] = set()  # slow sections changed but not redrawn yet
        self._slow_next = 0.0  # monotonic time of the next allowed slow redraw
        self._paced = False  # the slow sections wait for the loop's paced turn (`drain(paced=)`)
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
        # the plan: recomputed (on a worker) when the open graph or its context changed
        self.plan: LaunchPlan | None = None
        self.plan_error = ""
        self._plan_key: tuple | None = None  # the open graph's state last noticed
        self._job_key: tuple | None = None  # ... that the running plan job is for
        self._planned_key: tuple | None = None  # ... that the plan on screen is for
        self._plan_due: float | None = None
        self._plan_job = None
        self._host_job = None
        self._host_checks: dict[tuple, Check] = {}  # request key -> the last host check's result
        self._plan_dirty = True
        self._shown_doc: int | None = None
        self._queue_shown: tuple = ()
        self._run_shown = False
        self.selected_id: str | None = None  # the history entry chosen (None: nothing chosen)
        self.history_items: dict[str, int | str] = {}  # run id -> its selectable
        self.detail_kind = ""  # what the detail box shows: "log", "config", "diff" or ""
        self.detail_text = ""

    # --- building -----------------------------------------------------------------------------

    def build(self) -> None:
        t = self.tags  # disabled buttons look disabled through the window's theme (ui/theme.py)
        with dpg.group(parent=self.parent) as t["root"]:
            with dpg.group(horizontal=True):
                t["run"] = dpg.add_button(label=tr("run.run"), callback=lambda: self.run_clicked())
                t["stop"] = dpg.add_button(label=tr("run.stop"), callback=lambda: self.stop_clicked(),
                                           enabled=False)
                with dpg.tooltip(t["stop"]):
                    t["stop_tip"] = dpg.add_text(tr("run.stop_tip"), wrap=360)
                t["check_host"] = dpg.add_button(label=tr("run.check_host"), show=False,
                                                 callback=lambda: self.check_host())
                t["state"] = dpg.add_text(tr("run.state.idle"))
            # before a run: what Run will start, and the checks
            with dpg.collapsing_header(label=tr("run.plan_header"), default_open=True) as t["plan_header"]:
                t["plan_note"] = dpg.add_text(tr("run.plan_none"), wrap=0)
                with dpg.group(horizontal=True):
                    t["lab_host"] = dpg.add_text(tr("run.host") + ":")
                    t["plan_host"] = dpg.add_text("")
                with dpg.group(horizontal=True):
                    t["lab_cwd"] = dpg.add_text(tr("run.trainer_dir") + ":")
                    t["plan_cwd"] = dpg.add_text("", wrap=0)
                with dpg.group(horizontal=True):
                    t["lab_config"] = dpg.add_text(tr("run.config_file") + ":")
                    t["plan_config"] = dpg.add_text("", wrap=0)
                with dpg.group(horizontal=True):
                    t["plan_command_label"] = dpg.add_text(tr("run.command") + ":")
                    t["copy_command"] = dpg.add_button(label=tr("run.copy"), small=True,
                                                       callback=lambda: self.copy_command())
                t["plan_command"] = dpg.add_text("", wrap=0, color=(200, 210, 230))
                t["lab_checks"] = dpg.add_text(tr("run.checks") + ":")
                t["checks"] = dpg.add_group()
                t["queue"] = dpg.add_text("", wrap=0)
            # the run on view
            with dpg.group(show=False) as t["run_group"]:
                t["on_view"] = dpg.add_text("", wrap=0)
                with dpg.group(horizontal=True):
                    t["clear_view"] = dpg.add_button(label=tr("run.clear_view"), small=True,
                                                     callback=lambda: self.clear_view())
                    t["where"] = dpg.add_text("")
                    t["machine"] = dpg.add_combo([], width=220, show=False,
                                                 callback=lambda s, a: self.select_machine(a))
                t["progress"] = dpg.add_progress_bar(default_value=0.0, overlay="", width=-1)
                t["eta"] = dpg.add_text("")
                with dpg.plot(label=tr("run.plot"), height=180, width=-1) as t["plot"]:
                    dpg.add_plot_legend()
                    t["x"] = dpg.add_plot_axis(dpg.mvXAxis, label=tr("run.plot_step"))
                    t["y"] = dpg.add_plot_axis(dpg.mvYAxis, label=tr("run.plot_loss"))
                    t["raw"] = dpg.add_line_series([], [], label=tr("run.plot_loss"), parent=t["y"])
                    t["smooth"] = dpg.add_line_series([], [], label=tr("run.plot_ema"), parent=t["y"])
                with dpg.child_window(height=220, width=-1, horizontal_scrollbar=True) as t["log_box"]:
                    t["log"] = dpg.add_text("")
            with dpg.collapsing_header(label=tr("run.outputs"), default_open=False) as t["outputs_header"]:
                with dpg.group(horizontal=True):
                    t["list_outputs"] = dpg.add_button(label=tr("run.list_outputs"),
                                                       callback=lambda: self.list_outputs())
                    t["copy"] = dpg.add_button(label=tr("run.copy_home"), callback=lambda: self.copy_selected())
                t["outputs_note"] = dpg.add_text("")
                t["outputs"] = dpg.add_listbox([], num_items=5, width=-1)
                t["copy_progress"] = dpg.add_progress_bar(default_value=0.0, overlay="", width=-1)
            with dpg.collapsing_header(label=tr("run.history"), default_open=True) as t["history_header"]:
                t["history_empty"] = dpg.add_text(tr("run.history_empty"))
                # one selectable per run on record, newest first: choosing one shows that run
                t["history"] = dpg.add_child_window(height=130, width=-1, show=False)
                with dpg.group(horizontal=True):
                    t["open_log"] = dpg.add_button(label=tr("run.open_log"), callback=lambda: self.show_detail("log"))
                    t["open_config"] = dpg.add_button(label=tr("run.open_config"),
                                                      callback=lambda: self.show_detail("config"))
                    t["open_diff"] = dpg.add_button(label=tr("run.open_diff"),
                                                    callback=lambda: self.show_detail("diff"))
                with dpg.group(horizontal=True):
                    t["run_again"] = dpg.add_button(label=tr("run.run_again"), callback=lambda: self.ask_run_again())
                    t["refresh"] = dpg.add_button(label=tr("run.refresh"), callback=lambda: self.refresh_history())
                # Run again asks first, inline under the buttons
                with dpg.group(show=False) as t["again_dialog"]:
                    t["again_title"] = dpg.add_text(tr("run.again_title"), color=STATUS_COLOURS["warn"])
                    t["again_text"] = dpg.add_text("", wrap=0)
                    with dpg.group(horizontal=True):
                        t["again_yes"] = dpg.add_button(label=tr("run.again_confirm"),
                                                        callback=lambda: self.run_again())
                        t["again_no"] = dpg.add_button(label=tr("run.cancel"),
                                                       callback=lambda: dpg.configure_item(t["again_dialog"],
                                                                                           show=False))
                t["detail_title"] = dpg.add_text("", wrap=0)
                t["detail"] = dpg.add_input_text(default_value="", multiline=True, readonly=True,
                                                 width=-1, height=200, show=False)
        self.drain()

    # --- actions --------------------------------------------------------------------------------

    def run_clicked(self):
        """Submit the provider's snapshot; returns the queued/started run (or None). The view
        follows that run from now on."""
        request = self.request_provider() if self.request_provider else None
        return self._submit(request) if request is not None else None

    def _submit(self, request: RunRequest):
        run = self.manager.submit(request)
        if run.id != self.view.run_id:
            self.view.follow(run.id, state=run.state if run.state != "queued" else "queued")
        self.selected_id = None
        self.machine_index = 0
        self._history_dirty = True
        self._plan_dirty = True
        return run

    def stop_clicked(self) -> None:
        if self.view.run_id and (self.view.live or self.view.state == "queued"):
            self.manager.stop(self.view.run_id)
        else:
            self.manager.stop()

    def clear_view(self) -> None:
        """Show the plan again instead of an ended run (a live one stays)."""
        if not self.view.live:
            self.view.clear()
            self.selected_id = None
            self._mark_selected()

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

    def _record_of(self, run_id: str | None) -> RunRecord | None:
        if run_id is None:
            return None
        run = self.manager.get(run_id)
        if run is not None:
            return run.record
        return next((r for r in self.history if r.id == run_id), None)

    def _record_of_view(self) -> RunRecord | None:
        return self._record_of(self.view.run_id)

    def list_outputs(self) -> threading.Thread | None:
        """List machine 0's output folder (checkpoints with sizes) on a worker thread."""
        from dpg_lora.remote import files
        from dpg_lora.remote.machine import Machine

        record = self._record_of_view()
        if record is None:
            self._set_outputs([], tr("run.no_run_on_view"))
            return None
        output_dir = files.output_dir_of(record.config_text)
        if not output_dir:
            self._set_outputs([], tr("run.no_output_dir"))
            return None
        machines = self.machines() or [Machine(host="", cwd=record.cwd, argv=list(record.argv),
                                               log_path=record.log_path)]
        m = machines[0]
        self._set_outputs([], tr("run.listing", folder=output_dir, host=_host_words(m)))

        def work() -> None:
            try:
                entries = files.checkpoints(m, m.connect(), output_dir)
                self._set_outputs(entries, tr("run.listed", count=len(entries), folder=output_dir,
                                              host=_host_words(m)))
            except Exception as exc:  # shown in the panel; a worker must not die silently
                self._set_outputs([], _remote(str(exc)))

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
            self._set_outputs(self.outputs, tr("run.choose_file"))
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
                self._set_outputs(self.outputs, tr("run.copied_to", path=dest))
            except Exception as exc:  # shown in the panel
                self._set_outputs(self.outputs, _remote(str(exc)))

        thread = threading.Thread(target=work, name="copy-home", daemon=True)
        thread.start()
        return thread

    def copy_command(self) -> None:
        dpg.set_clipboard_text(dpg.get_value(self.tags["plan_command"]))
        self._say(tr("run.copied"))

    def _say(self, text: str, error: bool = False) -> None:
        self.status_message = text
        if self.status is not None:
            self.status(text, error=error)

    # --- history ----------------------------------------------------------------------------

    def refresh_history(self) -> None:
        self._history_dirty = True

    def _selected_record(self) -> RunRecord | None:
        """The history entry of the run on view (the one highlighted; the buttons act on it)."""
        return next((r for r in self.history if r.id == self.view.run_id), None)

    def select_history(self, run_id: str) -> None:
        """Show the chosen history entry's run: its state, figures and log (a live one goes on)."""
        record = next((r for r in self.history if r.id == run_id), None)
        if record is None:
            return
        self.selected_id = record.id
        self.machine_index = 0
        live = self.manager.get(record.id)
        self.view.show_record(live.record if live is not None else record)
        if live is not None and live.request_log_snapshot():
            self.view.expect_snapshot()  # its lines from the run itself, each once
        self._mark_selected()
        if self.detail_kind:
            self.show_detail(self.detail_kind)

    def history_labels(self) -> list[str]:
        return [dpg.get_item_label(item) for item in self.history_items.values()]

    def _mark_selected(self) -> None:
        """The history entry of the run on view is the highlighted one."""
        for run_id, item in self.history_items.items():
            dpg.set_value(item, run_id == self.view.run_id)
        chosen = self._selected_record() is not None
        for tag in ("open_log", "open_config", "open_diff", "run_again"):
            dpg.configure_item(self.tags[tag], enabled=chosen)
        if not chosen:
            dpg.configure_item(self.tags["again_dialog"], show=False)

    def show_detail(self, kind: str) -> None:
        """The chosen run's log, frozen config or what changed since it, in the detail box."""
        t = self.tags
        record = self._selected_record()
        self.detail_kind = kind
        if record is None:
            title, text = tr("run.select_first"), ""
        elif kind == "log":
            title = tr("run.detail_log", run_id=record.id, path=record.log_path)
            text = _tail_lines(record.log_path, 2000, max_bytes=1 << 20)
        elif kind == "config":
            frozen = frozen_config_text(record)
            path = record.frozen_config_path if record.frozen_config_path.is_file() else record.folder / "run.json"
            title = (tr("run.detail_config", run_id=record.id, path=path) if frozen is not None
                     else tr("run.detail_no_config", run_id=record.id))
            text = frozen or ""
        else:
            title, text = self._diff_of(record)
        self.detail_text = text
        dpg.set_value(t["detail_title"], title)
        dpg.set_value(t["detail"], text)
        dpg.configure_item(t["detail"], show=bool(text))

    def _diff_of(self, record: RunRecord) -> tuple[str, str]:
        from dpg_lora.config_diff import diff_configs, format_change

        doc = self.document() if self.document else None
        if doc is None:
            return tr("run.detail_no_graph"), ""
        frozen = frozen_config_text(record)
        try:
            old = json.loads(frozen) if frozen else {}
        except ValueError:
            old = {}
        result = doc.result
        changes = diff_configs(old, result.config)
        if not changes:
            title = tr("run.detail_diff_none", run_id=record.id)
        else:
            title = tr("run.detail_diff", run_id=record.id, count=len(changes))
        if result.errors:
            title += "\n" + tr("run.detail_diff_errors")
        return title, "\n".join(format_change(c, 120) for c in changes)

    def ask_run_again(self) -> None:
        record = self._selected_record()
        if record is None:
            dpg.set_value(self.tags["detail_title"], tr("run.select_first"))
            return
        dpg.set_value(self.tags["again_text"], tr("run.again_text", run_id=record.id))
        dpg.configure_item(self.tags["again_dialog"], show=True)

    def run_again(self):
        """Submit the chosen run as it was (its command, trainer folder, hosts, frozen config)."""
        dpg.configure_item(self.tags["again_dialog"], show=False)
        record = self._selected_record()
        if record is None:
            return None
        run = self._submit(RunRequest.again(record, frozen_config_text(record)))
        self._say(tr("run.again_queued", run_id=record.id, new_id=run.id))
        return run

    # --- the plan -----------------------------------------------------------------------------

    def _doc_key(self, doc) -> tuple | None:
        if doc is None:
            return None
        return (id(doc), doc.revision, id(doc.context), doc.path)

    def _request_of(self, doc) -> RunRequest:
        from dpg_lora.runner.prelaunch import request_of

        return request_of(doc.result, self.base_dir, graph=doc.path)

    @staticmethod
    def _request_key(request: RunRequest) -> tuple:
        return (request.hosts, request.cwd, request.argv)

    def check_host(self) -> None:
        """The host check of the plan's request, on a worker (ssh round trips)."""
        from dpg_lora.runner.prelaunch import Check, PlanJob, host_check

        if self.plan is None or not self.plan.remote or self._host_job is not None:
            return
        request = self.plan.request
        key = self._request_key(request)
        self._host_checks[key] = Check("host", "later", "checking", ", ".join(h for h in request.hosts if h))
        runs_dir = self.manager.runs_dir
        self._host_job = (key, PlanJob(lambda: host_check(request, runs_dir), self._wake, "host-check"))
        self._plan_due = time.monotonic()  # show "checking" now

    def _poll_plan(self) -> bool:
        """Start or collect the plan's worker; True when the plan on screen changed."""
        from dpg_lora.runner.prelaunch import Check, PlanJob, plan_launch

        changed = False
        if self._host_job is not None:
            key, job = self._host_job
            done = job.poll()
            if done is not None:
                self._host_job = None
                ok, value = done
                self._host_checks[key] = value if ok else Check("host", "block", "failed", "", str(value))
                self._plan_due = time.monotonic()
        doc = self.document() if self.document else None
        key = self._doc_key(doc)
        now = time.monotonic()
        if key != self._plan_key:
            self._plan_key = key
            self._plan_due = now + (0 if self.plan is None else PLAN_DELAY)
            if doc is None:
                self.plan, self._plan_due, changed = None, None, True
        if self._plan_job is not None:
            done = self._plan_job.poll()
            if done is not None:
                self._plan_job = None
                ok, value = done
                self.plan, self.plan_error = (value, "") if ok else (None, str(value))
                self._planned_key = self._job_key
                changed = True
        if self._plan_due is not None and now >= self._plan_due and self._plan_job is None and doc is not None:
            self._plan_due = None
            result, request = doc.result, self._request_of(doc)
            login = doc.context.wandb_login
            host = self._host_checks.get(self._request_key(request))
            self._job_key = key
            self._plan_job = PlanJob(lambda: plan_launch(result, request, graph=doc.path,
                                                         wandb_login=login, host=host), self._wake)
        return changed

    def plan_is_current(self) -> bool:
        """The plan on screen is the open graph's as it is now (nothing pending)."""
        doc = self.document() if self.document else None
        return (self._planned_key == self._doc_key(doc) and self._plan_job is None
                and self._plan_due is None)

    def _draw_plan(self) -> None:
        t, plan = self.tags, self.plan
        dpg.delete_item(t["checks"], children_only=True)
        if plan is None:
            dpg.set_value(t["plan_note"], self.plan_error or tr("run.plan_none"))
            for tag in ("plan_host", "plan_cwd", "plan_config", "plan_command"):
                dpg.set_value(t[tag], "")
            dpg.configure_item(t["check_host"], show=False)
            return
        from dpg_lora.compiler import shell_command

        request = plan.request
        hosts = [h for h in request.hosts if h]
        if not hosts:
            host = tr("run.host_local")
        elif len(hosts) == 1:
            host = hosts[0]
        else:
            host = tr("run.host_many", count=len(hosts), hosts=", ".join(hosts))
        blocked = sum(c.status == "block" for c in plan.checks)
        dpg.set_value(t["plan_note"], tr("run.blocked", count=blocked) if blocked else tr("run.ready"))
        dpg.set_value(t["plan_host"], host)
        dpg.set_value(t["plan_cwd"], request.cwd)
        dpg.set_value(t["plan_config"], plan.config_file)
        if len(plan.machines) > 1:
            command = "\n".join(f"# {tr('run.command_machine', index=i, host=h)}\n{shell_command(list(argv))}"
                                for i, (h, argv) in enumerate(plan.machines))
        else:
            command = shell_command(list(plan.machines[0][1]))
        dpg.set_value(t["plan_command"], command)
        dpg.configure_item(t["check_host"], show=plan.remote)
        for check in plan.checks:
            with dpg.group(horizontal=True, parent=t["checks"]):
                dpg.add_text(f"[{tr('run.status.' + check.status)}]", color=STATUS_COLOURS[check.status])
                dpg.add_text(check_line(check), wrap=0)

    def _draw_queue(self) -> None:
        live = [r for r in self.manager.active()]
        queued = self.manager.queued()
        shown = (tuple((r.id, r.state) for r in live), tuple(r.id for r in queued))
        if shown == self._queue_shown:
            return
        self._queue_shown = shown
        lines = [tr("run.queue_live", label=self._run_label(r.record)) for r in live]
        lines += [tr("run.queue_item", position=i + 1, label=self._run_label(r.record)) for i, r in enumerate(queued)]
        if not queued:
            lines.append(tr("run.queue_empty"))
        dpg.set_value(self.tags["queue"], f"{tr('run.queue')}: " + "\n".join(lines))

    @staticmethod
    def _run_label(record: RunRecord) -> str:
        where = tr("run.history_where", host=record.host) if record.host else ""
        script = record.script or (record.argv[1] if len(record.argv) > 1 else "")
        return f"{record.id}  {script}{where}"

    # --- language -----------------------------------------------------------------------------

    # the fixed texts: tag -> (catalogue key, attribute, suffix); the rest is drawn from state
    FIXED = {
        "run": ("run.run", "label", ""), "stop": ("run.stop", "label", ""),
        "stop_tip": ("run.stop_tip", "value", ""), "check_host": ("run.check_host", "label", ""),
        "plan_header": ("run.plan_header", "label", ""), "lab_host": ("run.host", "value", ":"),
        "lab_cwd": ("run.trainer_dir", "value", ":"), "lab_config": ("run.config_file", "value", ":"),
        "plan_command_label": ("run.command", "value", ":"), "copy_command": ("run.copy", "label", ""),
        "lab_checks": ("run.checks", "value", ":"), "clear_view": ("run.clear_view", "label", ""),
        "plot": ("run.plot", "label", ""), "x": ("run.plot_step", "label", ""),
        "y": ("run.plot_loss", "label", ""), "raw": ("run.plot_loss", "label", ""),
        "smooth": ("run.plot_ema", "label", ""), "outputs_header": ("run.outputs", "label", ""),
        "list_outputs": ("run.list_outputs", "label", ""), "copy": ("run.copy_home", "label", ""),
        "history_header": ("run.history", "label", ""), "history_empty": ("run.history_empty", "value", ""),
        "open_log": ("run.open_log", "label", ""), "open_config": ("run.open_config", "label", ""),
        "open_diff": ("run.open_diff", "label", ""), "run_again": ("run.run_again", "label", ""),
        "refresh": ("run.refresh", "label", ""), "again_title": ("run.again_title", "value", ""),
        "again_yes": ("run.again_confirm", "label", ""), "again_no": ("run.cancel", "label", ""),
    }

    def retranslate(self) -> None:
        """After a language switch: the fixed texts again from the catalogue, and everything
        drawn from state (plan, checks, run on view, queue, history, detail) drawn again."""
        for tag, (key, attribute, suffix) in self.FIXED.items():
            item = self.tags.get(tag)
            if item is None or not dpg.does_item_exist(item):
                continue
            if attribute == "value":
                dpg.set_value(item, tr(key) + suffix)
            else:
                dpg.configure_item(item, label=tr(key) + suffix)
        self.view._dirty.update(("state", "progress", "log"))
        self._plan_dirty = self._history_dirty = True
        self._queue_shown = self._machines_shown = ()
        if self.detail_kind and self._selected_record() is not None:
            self.show_detail(self.detail_kind)
        if dpg.get_item_configuration(self.tags["again_dialog"])["show"]:
            self.ask_run_again()

    # --- per frame ------------------------------------------------------------------------------

    def drain(self, paced: bool | None = None) -> bool:
        """Apply new events to the widgets. Returns True if anything was redrawn. `paced`: the
        loop wakes for a run's output at its own pace (ui/wake.py `wake_paced`) and this turn is
        (True) or is not (False) that wake's: the slow sections wait for it (a paced post is
        pending for the output that changed them). None: they wait `slow_interval` seconds."""
        self._paced = paced is not None
        events = self.manager.drain(self.drain_budget)
        if events:
            self.view.apply(events)
            if any(isinstance(e, StateEvent) for e in events):
                self._history_dirty = True  # a run started or ended: its entry changed
        busy = self._follow_document()
        if self._poll_plan() or self._plan_dirty:
            self._plan_dirty = False
            self._draw_plan()
            busy = True
        dirty = self.view.take_dirty() | self._held
        self._held = set()
        if dirty & SLOW_SECTIONS:
            now = time.monotonic()
            if self.view.live and (not paced if paced is not None else now < self._slow_next):
                self._held = dirty & SLOW_SECTIONS
                dirty -= SLOW_SECTIONS
                wake = getattr(self.manager.events, "wake_output", None) if paced is not None else None
                if wake is not None:
                    wake()  # a paced post for them (there is one already when output changed them)
            else:
                self._slow_next = now + self.slow_interval
        if self._history_dirty:
            self._update_history()
            self._draw_queue()
        self._draw_machines(dirty)
        self._draw_outputs()
        if not dirty:
            return busy
        view, t = self.view, self.tags
        record = self._record_of_view()
        if "state" in dirty:
            self._mark_selected()
            on_view = view.run_id is not None
            dpg.set_value(t["state"], state_sentence(view, record) if on_view else tr("run.state.idle"))
            anything = bool(self.manager.active() or self.manager.queued())
            dpg.configure_item(t["stop"], enabled=view.live or view.state == "queued" or anything)
            dpg.configure_item(t["run_group"], show=on_view)
            dpg.configure_item(t["clear_view"], show=on_view and not view.live)
            if on_view != self._run_shown:  # fold the plan while a run is on view, unfold after
                self._run_shown = on_view
                dpg.set_value(t["plan_header"], not on_view)
            dpg.set_value(t["on_view"], self._on_view_text(record) if on_view else "")
        if "state" in dirty or "progress" in dirty:
            dpg.set_value(t["progress"], view.fraction)
            dpg.configure_item(t["progress"], overlay=progress_words(view.progress))
            dpg.set_value(t["eta"], figures_words(view.progress, view.epoch, view.live))
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
                head = tr("run.skipped", count=view.skipped) + "\n" if view.skipped else ""
                dpg.set_value(t["log"], head + "\n".join(view.log))
            if at_bottom:  # follow the tail unless the user scrolled up to read
                dpg.set_y_scroll(box, -1.0)
        return True

    def _on_view_text(self, record: RunRecord | None) -> str:
        run_id = self.view.run_id or ""
        graph = record.graph if record is not None else ""
        if not graph:
            return tr("run.on_view", run_id=run_id)
        doc = self.document() if self.document else None
        name = Path(graph).name
        if doc is not None and doc.path and Path(doc.path) == Path(graph):
            return tr("run.on_view_graph", run_id=run_id, graph=name)
        return tr("run.on_view_other_graph", run_id=run_id, graph=name)

    def _follow_document(self) -> bool:
        """Another graph opened: an ended run on view gives way to the new graph's plan (its
        progress is not this graph's); a live run stays, named with the graph it came from."""
        doc = self.document() if self.document else None
        ident = id(doc) if doc is not None else None
        if ident == self._shown_doc:
            return False
        first = self._shown_doc is None
        self._shown_doc = ident
        if first:
            return False
        if self.view.run_id is not None and not self.view.live and self.view.state != "queued":
            self.view.clear()
            self.selected_id = None
        else:
            self.view._dirty.add("state")  # "of <graph> (not the open graph)"
        return True

    def next_due(self) -> float | None:
        """When held-back log/plot changes may be drawn, another machine's log is re-read or the
        plan is recomputed (None: nothing due)."""
        due = [self._slow_next if self._held and not self._paced else None,
               self._machine_log_at + 0.5 if self.machine_index > 0 and self.view.live else None,
               self._plan_due]
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
                where = tr("run.where_one", host=_host_words(machines[0]))
            else:
                where = tr("run.where_many", count=len(machines))
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
            dpg.configure_item(t["copy_progress"], overlay=tr("run.copy_size_of", done=human_size(done),
                                                               total=human_size(total)) if total
                               else tr("run.copy_size", done=human_size(done)))

    def _update_history(self) -> None:
        self._history_dirty = False
        self.history = self.manager.history()
        t = self.tags
        dpg.delete_item(t["history"], children_only=True)
        self.history_items = {}
        for record in self.history:
            self.history_items[record.id] = dpg.add_selectable(
                label=_history_label(record), parent=t["history"], user_data=record.id,
                callback=lambda s, a, u: self.select_history(u))
        dpg.configure_item(t["history"], show=bool(self.history))
        dpg.configure_item(t["history_empty"], show=not self.history)
        self._mark_selected()
