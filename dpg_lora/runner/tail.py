"""Turning a growing log file into events: lines, progress, loss, epoch, end marker, traceback."""
from __future__ import annotations

from collections import deque
from typing import BinaryIO

from dpg_lora.runner.events import EpochEvent, EventQueue, LossEvent, ProgressEvent
from dpg_lora.runner.parse import (
    LineSplitter,
    Progress,
    TracebackTail,
    is_end_marker,
    parse_epoch,
    parse_progress,
)

READ_CHUNK = 1 << 20


class OutputFollower:
    """Reads whatever is new in the log, parses it and publishes it. Not a thread itself: the
    run's watcher thread calls `read_available()` in its loop."""

    def __init__(self, run_id: str, log: BinaryIO, events: EventQueue, ring_size: int = 2000) -> None:
        self.run_id = run_id
        self._log = log
        self._events = events
        self._splitter = LineSplitter()
        self.ring: deque[str] = deque(maxlen=ring_size)
        self.traceback = TracebackTail()
        self.progress: Progress | None = None
        self.epoch: tuple[int, int | None] | None = None
        self.end_marker_seen = False
        self.lines_seen = 0
        self.bytes_read = 0
        self._last_loss: tuple[int, float] | None = None

    def read_available(self, limit: int = 8 * READ_CHUNK) -> int:
        """Consume up to `limit` new bytes; returns how many were read (0 at end of file)."""
        total = 0
        while total < limit:
            data = self._log.read(READ_CHUNK)
            if not data:
                break
            total += len(data)
            self._handle(self._splitter.feed(data))
        self.bytes_read += total
        return total

    def finish(self) -> None:
        self.read_available(limit=1 << 62)
        self._handle(self._splitter.flush())

    def _handle(self, lines: list[str]) -> None:
        if not lines:
            return
        self.lines_seen += len(lines)
        self.ring.extend(lines)
        self._events.put_lines(self.run_id, lines)
        latest: Progress | None = None
        for line in lines:
            # cheap substring tests keep the per-line cost low under a flood
            if "[" in line and ("it" in line or "/s" in line):
                progress = parse_progress(line)
                if progress is not None:
                    latest = progress
                    if progress.loss is not None:
                        point = (progress.step, progress.loss)
                        if point != self._last_loss:
                            self._last_loss = point
                            self._events.put(LossEvent(self.run_id, progress.step, progress.loss, progress.lr))
            if "poch" in line or "POCH" in line:
                epoch = parse_epoch(line)
                if epoch is not None and epoch != self.epoch:
                    self.epoch = epoch
                    self._events.put(EpochEvent(self.run_id, epoch[0], epoch[1]))
            if self.traceback.active or line.startswith("Traceback"):
                self.traceback.add(line)
            if "====" in line and is_end_marker(line):
                self.end_marker_seen = True
        if latest is not None:
            self.progress = latest
            self._events.put(ProgressEvent(self.run_id, latest))
