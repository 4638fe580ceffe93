"""Events from runs to a consumer (UI frame loop, CLI), and the bounded queue that carries them.

The queue never blocks the producer and never grows without bound:
  * output lines go into a ring of blocks (one per read of the log, so a flood costs per read,
    not per line); when it holds more than `max_lines` the oldest undrained lines are dropped and
    the consumer gets a `SkippedEvent` with the count (the full log stays on disk);
  * progress is latest-wins per run;
  * loss points go into their own ring (a plot can afford to lose its oldest undrained points);
  * state and epoch events are rare and always delivered, in order relative to lines.
"""
from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Union

from dpg_lora.runner.parse import Progress


@dataclass(frozen=True)
class LinesEvent:
    run_id: str
    lines: list[str]
    replaces_last: bool = False  # the first line redraws the run's last line shown (a \r update)


@dataclass(frozen=True)
class SkippedEvent:
    run_id: str
    count: int


@dataclass(frozen=True)
class ProgressEvent:
    run_id: str
    progress: Progress


@dataclass(frozen=True)
class LossEvent:
    run_id: str
    step: int
    loss: float
    lr: float | None = None


@dataclass(frozen=True)
class EpochEvent:
    run_id: str
    epoch: int
    total: int | None


@dataclass(frozen=True)
class StateEvent:
    run_id: str
    state: str
    exit_code: int | None = None
    message: str = ""
    traceback: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LogSnapshotEvent:
    """The run's last published lines, queued in order with its lines (OutputFollower.snapshot):
    a view that (re)starts showing a live run takes these and then the lines queued after them."""
    run_id: str
    lines: list[str]


Event = Union[LinesEvent, SkippedEvent, ProgressEvent, LossEvent, EpochEvent, StateEvent, LogSnapshotEvent]


# Lines kept undrained: a quarter second of a 250,000 lines/s flood, about 7 MiB of text.
MAX_LINES = 1 << 16


class _Block:
    """Lines of one run put together; `replaces_last` as in LinesEvent (for the block's first line)."""

    __slots__ = ("run_id", "lines", "replaces_last")

    def __init__(self, run_id: str, lines: list[str], replaces_last: bool) -> None:
        self.run_id, self.lines, self.replaces_last = run_id, lines, replaces_last


class EventQueue:
    def __init__(self, max_lines: int = MAX_LINES, max_losses: int = 20000,
                 wake: Callable[[], None] | None = None,
                 wake_output: Callable[[], None] | None = None) -> None:
        # called after every put: a UI hands in what wakes its render loop; `wake_output` (when
        # given) after output (lines, progress, loss, epochs): a trainer prints for hours, and its
        # output can wait for the UI's next paced redraw, while a state change wakes it at once
        self.wake = wake
        self.wake_output = wake_output or wake
        self._lock = threading.Lock()
        self._max_lines = max_lines
        self._blocks: deque[_Block] = deque()
        self._kept = 0  # lines in _blocks
        self._lines_put = 0  # lines ever put
        self._lines_taken = 0  # lines ever drained or reported skipped
        self._others: deque[tuple[int, Event]] = deque()  # (lines_put when queued, event)
        self._losses: deque[LossEvent] = deque(maxlen=max_losses)
        self._progress: dict[str, ProgressEvent] = {}
        self.skipped_total = 0

    def put_lines(self, run_id: str, lines: list[str], replaces_last: bool = False) -> None:
        """Queue `lines` (the list is kept, not copied: the caller hands it over)."""
        if not lines:
            return
        with self._lock:
            self._put_lines(run_id, lines, replaces_last)
        if self.wake_output is not None:
            self.wake_output()

    def _put_lines(self, run_id: str, lines: list[str], replaces_last: bool) -> None:
        self._blocks.append(_Block(run_id, lines, replaces_last))
        self._kept += len(lines)
        self._lines_put += len(lines)
        excess = self._kept - self._max_lines
        while excess > 0:  # drop the oldest lines
            first = self._blocks[0]
            if len(first.lines) <= excess:
                self._blocks.popleft()
                self._kept -= len(first.lines)
                excess -= len(first.lines)
            else:
                del first.lines[:excess]
                self._kept -= excess
                excess = 0

    def put(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, ProgressEvent):
                self._progress[event.run_id] = event
            elif isinstance(event, LossEvent):
                self._losses.append(event)
            elif isinstance(event, LinesEvent):
                if event.lines:
                    self._put_lines(event.run_id, list(event.lines), event.replaces_last)
            else:
                self._others.append((self._lines_put, event))
        wake = self.wake if isinstance(event, StateEvent) else self.wake_output
        if wake is not None:
            wake()

    def __len__(self) -> int:
        with self._lock:
            return self._kept + len(self._others) + len(self._losses) + len(self._progress)

    def drain(self, max_items: int = 2000) -> list[Event]:
        """Everything pending, with at most `max_items` lines (the rest waits for the next call).

        Lines come as few LinesEvents as possible (one per run between other events); a block
        that redraws the last line of the same batch replaces it there, else its event says
        `replaces_last`. After skipped lines nothing is replaced: the line it would redraw was
        skipped too."""
        out: list[Event] = []
        with self._lock:
            head = self._lines_put - self._kept  # sequence number of the oldest kept line
            skipped = head - self._lines_taken
            budget = max_items
            batch: LinesEvent | None = None
            while True:
                # events queued before or among dropped lines come before the skip notice
                other_ready = self._others and self._others[0][0] <= max(head, self._lines_taken)
                if other_ready or not self._blocks or budget <= 0:
                    if batch is not None:
                        out.append(batch)
                        batch = None
                    if self._others and (other_ready or not self._blocks):
                        out.append(self._others.popleft()[1])
                        continue
                    break
                block = self._blocks[0]
                if skipped > 0:
                    self.skipped_total += skipped
                    out.append(SkippedEvent(block.run_id, skipped))
                    self._lines_taken, skipped = head, 0
                    block.replaces_last = False
                take = min(len(block.lines), budget)
                if self._others:  # stop where the next event was queued
                    take = min(take, self._others[0][0] - self._lines_taken)
                part = block.lines if take == len(block.lines) else block.lines[:take]
                if batch is not None and batch.run_id == block.run_id:
                    if block.replaces_last:
                        batch.lines.pop()
                    batch.lines.extend(part)
                else:
                    if batch is not None:
                        out.append(batch)
                    batch = LinesEvent(block.run_id, list(part), block.replaces_last)
                if take == len(block.lines):
                    self._blocks.popleft()
                else:
                    del block.lines[:take]
                    block.replaces_last = False
                self._kept -= take
                self._lines_taken += take
                head += take
                budget -= take
            out.extend(self._losses)
            self._losses.clear()
            out.extend(self._progress.values())
            self._progress.clear()
        return out
