"""Events from runs to a consumer (UI frame loop, CLI), and the bounded queue that carries them.

The queue never blocks the producer and never grows without bound:
  * output lines go into a ring; when it is full the oldest undrained lines are dropped and the
    consumer gets a `SkippedEvent` with the count (the full log stays on disk);
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


Event = Union[LinesEvent, SkippedEvent, ProgressEvent, LossEvent, EpochEvent, StateEvent]


class EventQueue:
    def __init__(self, max_lines: int = 20000, max_losses: int = 20000,
                 wake: Callable[[], None] | None = None) -> None:
        self.wake = wake  # called after every put: a UI hands in what wakes its render loop
        self._lock = threading.Lock()
        self._lines: deque[tuple[str, str]] = deque(maxlen=max_lines)
        self._lines_put = 0  # lines ever put
        self._lines_taken = 0  # lines ever drained or reported skipped
        self._others: deque[tuple[int, Event]] = deque()  # (lines_put when queued, event)
        self._losses: deque[LossEvent] = deque(maxlen=max_losses)
        self._progress: dict[str, ProgressEvent] = {}
        self.skipped_total = 0

    def put_lines(self, run_id: str, lines: list[str]) -> None:
        if not lines:
            return
        with self._lock:
            self._lines.extend((run_id, line) for line in lines)
            self._lines_put += len(lines)
        if self.wake is not None:
            self.wake()

    def put(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, ProgressEvent):
                self._progress[event.run_id] = event
            elif isinstance(event, LossEvent):
                self._losses.append(event)
            elif isinstance(event, LinesEvent):
                self._lines.extend((event.run_id, line) for line in event.lines)
                self._lines_put += len(event.lines)
            else:
                self._others.append((self._lines_put, event))
        if self.wake is not None:
            self.wake()

    def __len__(self) -> int:
        with self._lock:
            return len(self._lines) + len(self._others) + len(self._losses) + len(self._progress)

    def drain(self, max_items: int = 2000) -> list[Event]:
        """Everything pending, with at most `max_items` lines (the rest waits for the next call)."""
        out: list[Event] = []
        with self._lock:
            head = self._lines_put - len(self._lines)  # sequence number of the oldest kept line
            skipped = head - self._lines_taken
            budget = max_items
            batch: list[str] = []
            batch_run = ""
            while True:
                # events queued before or among dropped lines come before the skip notice
                other_ready = self._others and self._others[0][0] <= max(head, self._lines_taken)
                if other_ready or not self._lines or budget <= 0:
                    if batch:
                        out.append(LinesEvent(batch_run, batch))
                        batch = []
                    if self._others and (other_ready or not self._lines):
                        out.append(self._others.popleft()[1])
                        continue
                    break
                if skipped > 0:
                    self.skipped_total += skipped
                    out.append(SkippedEvent(self._lines[0][0], skipped))
                    self._lines_taken, skipped = head, 0
                run_id, line = self._lines.popleft()
                if batch and run_id != batch_run:
                    out.append(LinesEvent(batch_run, batch))
                    batch = []
                batch_run = run_id
                batch.append(line)
                self._lines_taken += 1
                budget -= 1
            out.extend(self._losses)
            self._losses.clear()
            out.extend(self._progress.values())
            self._progress.clear()
        return out
