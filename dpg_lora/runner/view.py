"""What a run panel shows, computed from drained events; pure so it can be tested without a GUI.

The renderer asks `take_dirty()` once per frame and updates only the widgets whose section
changed (state, progress, loss, log), so an idle frame costs nothing.
"""
from __future__ import annotations

from collections import deque
from pathlib import Path

from dpg_lora.runner.events import (
    EpochEvent,
    Event,
    LinesEvent,
    LogSnapshotEvent,
    LossEvent,
    ProgressEvent,
    SkippedEvent,
    StateEvent,
)
from dpg_lora.runner.parse import (
    LineSplitter,
    Progress,
    format_seconds,
    progress_candidates,
    parse_progress,
)
from dpg_lora.runner.records import RunRecord

SECTIONS = ("state", "progress", "loss", "log")
# Lines a panel takes from the queue per drain: the whole queue (events.MAX_LINES), so a UI
# drawing a few frames a second still keeps up with a 250,000 lines/s flood. Cheap: the queue
# hands over blocks, and the view keeps only its last `log_lines`.
DRAIN_LINES = 1 << 16
LIVE_STATES = ("starting", "running", "reconnecting", "stopping")


def progress_text(p: Progress | None, epoch: tuple[int, int | None] | None = None) -> str:
    """One terminal/label line: step/total, %, rate, ETA, loss."""
    if p is None:
        return ""
    parts = [f"step {p.step}/{p.total}" if p.total else f"step {p.step}"]
    fraction = p.fraction
    if fraction is not None:
        parts.append(f"{100 * fraction:.1f}%")
    if p.rate:
        parts.append(f"{p.rate:.2f} it/s" if p.rate >= 1 else f"{1 / p.rate:.2f} s/it")
    if p.remaining is not None:
        parts.append(f"ETA {format_seconds(p.remaining)}")
    elif p.elapsed is not None:
        parts.append(f"elapsed {format_seconds(p.elapsed)}")
    if p.loss is not None:
        parts.append(f"loss {p.loss:.4g}")
    if epoch is not None:
        parts.append(f"epoch {epoch[0]}/{epoch[1]}" if epoch[1] else f"epoch {epoch[0]}")
    return "  ".join(parts)


class RunView:
    def __init__(self, log_lines: int = 400, loss_points: int = 4000, ema_alpha: float = 0.05) -> None:
        self.log: deque[str] = deque(maxlen=log_lines)
        self._max_points = max(16, loss_points)
        self.ema_alpha = ema_alpha
        self._dirty: set[str] = set(SECTIONS)
        self._reset(None)

    def _reset(self, run_id: str | None) -> None:
        self.run_id = run_id
        self.pinned = False  # True: show only this run (chosen by the user), never follow another
        self.state = "idle"
        self.exit_code: int | None = None
        self.message = ""
        self.traceback: list[str] = []
        self.progress: Progress | None = None
        self.epoch: tuple[int, int | None] | None = None
        self.loss_xs: list[float] = []
        self.loss_ys: list[float] = []
        self.loss_smooth: list[float] = []
        self._ema: float | None = None
        self.skipped = 0
        self.awaiting_snapshot = False  # a live run chosen again: its lines come from a LogSnapshotEvent
        self._file_points: set[tuple[float, float]] = set()  # loss points read from its log file
        self.log.clear()
        self._dirty.update(SECTIONS)

    # --- derived values -------------------------------------------------------------------

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def fraction(self) -> float:
        f = self.progress.fraction if self.progress else None
        if f is None:
            return 1.0 if self.state == "finished" else 0.0
        return f

    @property
    def progress_label(self) -> str:
        return progress_text(self.progress, self.epoch)

    @property
    def eta_text(self) -> str:
        p = self.progress
        if p is None or not self.live:
            return ""
        if p.remaining is not None:
            return f"ETA {format_seconds(p.remaining)}"
        return f"elapsed {format_seconds(p.elapsed)}" if p.elapsed is not None else ""

    @property
    def state_text(self) -> str:
        text = self.state
        if self.state in ("finished", "failed") and self.exit_code is not None:
            text += f" (exit code {self.exit_code})"
        if self.message and self.state in ("failed", "stopped", "cancelled", "reconnecting"):
            text += f": {self.message}"
        return text

    def log_text(self) -> str:
        head = f"[{self.skipped} lines skipped in view; full log on disk]\n" if self.skipped else ""
        return head + "\n".join(self.log)

    def take_dirty(self) -> set[str]:
        dirty, self._dirty = self._dirty, set()
        return dirty

    # --- feeding --------------------------------------------------------------------------

    def follow(self, run_id: str, state: str = "queued") -> None:
        """Show `run_id` from now on (a run just submitted): nothing of the previous run stays."""
        self._reset(run_id)
        self.state = state
        self.pinned = True

    def clear(self) -> None:
        """Show no run (e.g. another graph was opened and the run on view has ended)."""
        self._reset(None)

    def apply(self, events: list[Event]) -> bool:
        """Fold drained events in. A run the user chose (`pinned`) stays on view; otherwise the
        view takes a run that starts when it shows none or one that has ended."""
        for event in events:
            if isinstance(event, StateEvent):
                if event.run_id != self.run_id:
                    if self.pinned or self.live or event.state not in ("starting", "running"):
                        continue  # e.g. a queued run: keep showing the current one
                    self._reset(event.run_id)
                self.state = event.state
                self.exit_code = event.exit_code
                self.message = event.message
                if event.traceback:
                    self.traceback = list(event.traceback)
                self._dirty.add("state")
                continue
            if event.run_id != self.run_id:
                continue
            if isinstance(event, LogSnapshotEvent):
                if self.awaiting_snapshot:  # the lines so far; the ones queued before it are in it
                    self.awaiting_snapshot = False
                    self.log.clear()
                    self.log.extend(event.lines)
                    self._dirty.add("log")
                continue
            if self.awaiting_snapshot and isinstance(event, (LinesEvent, SkippedEvent)):
                continue  # already in the snapshot that follows
            if isinstance(event, LinesEvent):
                if event.replaces_last and self.log:
                    self.log.pop()  # a \r redraw of the last line: one line per tqdm bar
                self.log.extend(event.lines)
                self._dirty.add("log")
            elif isinstance(event, SkippedEvent):
                self.skipped += event.count
                self._dirty.add("log")
            elif isinstance(event, ProgressEvent):
                self.progress = event.progress
                self._dirty.add("progress")
            elif isinstance(event, EpochEvent):
                self.epoch = (event.epoch, event.total)
                self._dirty.add("progress")
            elif isinstance(event, LossEvent):
                if (event.step, event.loss) not in self._file_points:  # else read from the file already
                    self._add_loss(event.step, event.loss)
        return bool(self._dirty)

    def _add_loss(self, step: float, loss: float) -> None:
        if self.loss_xs and step < self.loss_xs[-1]:
            # the step counter restarted (a new tqdm bar): continue the x axis after the last point
            step = self.loss_xs[-1] + 1
        self._ema = loss if self._ema is None else self.ema_alpha * loss + (1 - self.ema_alpha) * self._ema
        self.loss_xs.append(float(step))
        self.loss_ys.append(loss)
        self.loss_smooth.append(self._ema)
        if len(self.loss_xs) > self._max_points:
            # halve the resolution instead of dropping history, so the plot stays whole and bounded
            self.loss_xs = self.loss_xs[::2]
            self.loss_ys = self.loss_ys[::2]
            self.loss_smooth = self.loss_smooth[::2]
        self._dirty.add("loss")

    def expect_snapshot(self) -> None:
        """The live run on view was asked for a LogSnapshotEvent: its lines queued until then are
        in it (so dropped here), the ones after it follow; the file's lines show until it comes."""
        self.awaiting_snapshot = True

    def show_record(self, record: RunRecord, max_bytes: int = 4 << 20) -> None:
        """Show a run on record (the user chose it): its state and the end of its log file
        (progress and loss rebuilt); a live one goes on from there with its events (its lines
        from a snapshot, `expect_snapshot`: the file may hold lines still queued or not yet read)."""
        self._reset(record.id)
        self.pinned = True
        self.state, self.exit_code, self.message = record.state, record.exit_code, record.message
        self.traceback = list(record.traceback)
        path = Path(record.log_path)
        try:
            with open(path, "rb") as fh:
                fh.seek(0, 2)
                size = fh.tell()
                fh.seek(max(0, size - max_bytes))
                data = fh.read()
        except OSError as exc:
            self.log.append(f"[log not readable: {exc}]")
            return
        splitter = LineSplitter()
        chunk = splitter.split(data)
        last = splitter.split_final()
        lines = chunk.lines[:-1] + last.lines if last.replaces_last else chunk.lines + last.lines
        if size > max_bytes and lines:
            lines = lines[1:]  # the first one is probably cut
            self.log.append(f"[showing the last {max_bytes >> 20} MiB of {path}]")
        for piece in (chunk, last):
            for line in progress_candidates(piece.physical, 1 << 30):  # every update: a full plot
                p = parse_progress(line)
                if p is not None:
                    self.progress = p
                    if p.loss is not None and (not self.loss_xs or self.loss_xs[-1] != p.step):
                        self._add_loss(p.step, p.loss)
                        self._file_points.add((p.step, p.loss))
        self.log.extend(lines)
        self._dirty.update(SECTIONS)
