"""Turning a growing log file into events: lines, progress, loss, epoch, end marker, traceback."""
from __future__ import annotations

import threading
from collections import deque
from typing import BinaryIO

from dpg_lora.runner.events import EpochEvent, EventQueue, LogSnapshotEvent, LossEvent, ProgressEvent
from dpg_lora.runner.parse import (
    END_MARKER,
    Chunk,
    LineSplitter,
    Progress,
    TracebackTail,
    epoch_candidates,
    parse_epoch,
    parse_progress,
    progress_candidates,
)

READ_CHUNK = 1 << 20
# Progress and epoch lines parsed per read, at most: a live trainer's read (every 25 ms) holds one
# or two tqdm updates, all parsed; a flood's 1 MiB read holds thousands, and evenly spaced ones
# (the newest always among them) are enough for the loss plot and the progress bar.
PARSED_PER_READ = 32
TRACEBACK_HEADER = "Traceback (most recent call last)"


class OutputFollower:
    """Reads whatever is new in the log, parses it and publishes it. Not a thread itself: the
    run's watcher thread calls `read_available()` in its loop."""

    def __init__(self, run_id: str, log: BinaryIO, events: EventQueue, ring_size: int = 2000) -> None:
        self.run_id = run_id
        self._log = log
        self._events = events
        self._splitter = LineSplitter()
        self.ring: deque[str] = deque(maxlen=ring_size)
        self._ring_lock = threading.Lock()  # the ring and the queue get each read's lines together
        self.traceback = TracebackTail()
        self.progress: Progress | None = None
        self.epoch: tuple[int, int | None] | None = None
        self.end_marker_seen = False
        self.lines_seen = 0
        self.bytes_read = 0
        self._last_loss: tuple[int, float] | None = None
        self.parsed_per_read = PARSED_PER_READ

    def read_available(self, limit: int = 8 * READ_CHUNK) -> int:
        """Consume up to `limit` new bytes; returns how many were read (0 at end of file)."""
        total = 0
        while total < limit:
            data = self._log.read(READ_CHUNK)
            if not data:
                break
            total += len(data)
            self._handle(self._splitter.split(data))
        self.bytes_read += total
        return total

    def snapshot(self) -> None:
        """Queue the lines published so far (the ring) as one LogSnapshotEvent: every line queued
        before it is in it, every line queued after it is not (called from any thread)."""
        with self._ring_lock:
            self._events.put(LogSnapshotEvent(self.run_id, list(self.ring)))

    def finish(self) -> None:
        self.read_available(limit=1 << 62)
        self._handle(self._splitter.split_final())

    def _handle(self, chunk: Chunk) -> None:
        """One pass over a read: the lines go out as one block; progress, epoch, end marker and
        traceback are looked for in the whole text first, line by line only where they occur."""
        lines, text = chunk.lines, chunk.text
        if lines:
            self.lines_seen += len(lines)
            with self._ring_lock:
                if chunk.replaces_last and self.ring:
                    self.ring.pop()
                self.ring.extend(lines)
                self._events.put_lines(self.run_id, lines, replaces_last=chunk.replaces_last)
            # Python's header, searched whole (a long needle is a fast search); lines starting with
            # "Traceback" are then looked for one by one
            self.traceback.extend(lines, may_start=TRACEBACK_HEADER in text)
        if not text:
            return
        latest: Progress | None = None
        # a whole-text test first: a read without "[" costs no per-line work for progress
        for line in progress_candidates(chunk.physical, self.parsed_per_read) if "[" in text else ():
            progress = parse_progress(line)
            if progress is None:
                continue
            latest = progress
            if progress.loss is not None:
                point = (progress.step, progress.loss)
                if point != self._last_loss:
                    self._last_loss = point
                    self._events.put(LossEvent(self.run_id, progress.step, progress.loss, progress.lr))
        for line in epoch_candidates(lines, self.parsed_per_read):
            epoch = parse_epoch(line)
            if epoch is not None and epoch != self.epoch:
                self.epoch = epoch
                self._events.put(EpochEvent(self.run_id, epoch[0], epoch[1]))
        if not self.end_marker_seen and END_MARKER in text:
            self.end_marker_seen = True
        if latest is not None:
            self.progress = latest
            self._events.put(ProgressEvent(self.run_id, latest))
