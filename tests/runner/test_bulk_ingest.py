"""Bulk ingest: one split per read, \\r redraws merged into one shown line, the same parsed events
as the per-line follower, and every byte still in the log file."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dpg_lora.runner import EventQueue, RunRequest, TrainingRun
from dpg_lora.runner.events import EpochEvent, LinesEvent, LossEvent, ProgressEvent
from dpg_lora.runner.parse import LineSplitter
from dpg_lora.runner.tail import OutputFollower
from dpg_lora.runner.view import RunView
from tests.runner.captured_stream import captured_stream

HERE = Path(__file__).resolve().parent
FAKE = HERE / "fake_trainer.py"
GOLDEN = json.loads((HERE / "golden" / "captured_stream_events.json").read_text(encoding="utf-8"))


def terminal_lines(data: bytes) -> list[str]:
    """What a terminal leaves on screen: each \\n-ended line shows its last non-empty \\r segment."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    *physical, unterminated = text.split("\n")
    out = []
    for line in physical:
        segments = [s for s in line.split("\r") if s]
        out.append(segments[-1] if segments else "")
    segments = [s for s in unterminated.split("\r") if s]
    return out + segments[-1:]  # an unterminated last line shows only if it holds something


class Chunked:
    """A log file that hands out at most `size` bytes per read (a trainer writing bit by bit)."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.pos = data, size, 0

    def read(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + min(n, self.size)]
        self.pos += len(out)
        return out


def follow(data: bytes, read_size: int, **queue_kw):
    """Feed `data` read by read; drain after each read into a RunView. (events, view, follower)."""
    queue = EventQueue(**queue_kw)
    follower = OutputFollower("r", Chunked(data, read_size), queue)
    view = RunView(log_lines=10**6)
    view.run_id = "r"
    events = []

    def drain():
        got = queue.drain(10**6)
        view.apply(got)
        events.extend(got)

    while follower.read_available(limit=1):
        drain()
    follower.finish()
    drain()
    return events, view, follower


def parsed(events) -> list:
    out = []
    for e in events:
        if isinstance(e, ProgressEvent):
            out.append(["progress", asdict(e.progress)])
        elif isinstance(e, LossEvent):
            out.append(["loss", e.step, e.loss, e.lr])
        elif isinstance(e, EpochEvent):
            out.append(["epoch", e.epoch, e.total])
    return out


def test_bulk_parse_gives_the_events_of_the_per_line_follower():
    """Reads of up to 2 KiB (about 20 redraws, under the 32 parsed per read) give exactly the
    progress, loss and epoch events the per-line follower gave (recorded in the golden file)."""
    data = captured_stream()
    for size, old in GOLDEN["by_read_size"].items():
        events, view, follower = follow(data, int(size))
        assert parsed(events) == old["events"], size
        assert follower.end_marker_seen is old["end_marker_seen"] is True
        assert follower.traceback.lines == old["traceback"]
        # the raw segments are unchanged too; the view shows them merged the terminal's way
        splitter = LineSplitter()
        raw = [line for i in range(0, len(data), int(size)) for line in splitter.feed(data[i : i + int(size)])]
        assert raw + splitter.flush() == old["raw_lines"]
        assert list(view.log) == terminal_lines(data)


def test_cr_merging_shows_one_line_per_tqdm_bar():
    data = captured_stream()
    for size in (1, 7, 64, 4096, 1 << 20):
        _, view, follower = follow(data, size)
        shown = list(view.log)
        assert [l for l in shown if l.startswith("Steps:")] == [
            "Steps: 100%|██████████| 20/20 [00:20<00:00,  1.91it/s, step_loss=0.0476, lr=0.0001]",
            "Steps: 100%|██████████| 20/20 [00:20<00:00,  1.91it/s, step_loss=0.0455, lr=0.0001]"], size
        assert "saving checkpoint 7" in shown and shown.count("Epoch 1/2") == 1
        assert [l for l in shown if l.startswith("Epoch 3:")] == ["Epoch 3: 50it [00:05, 9.5it/s, loss=0.50]"]
        assert list(follower.ring)[-3:] == shown[-3:]
        assert follower.progress.loss == 0.5 and follower.epoch == (3, None)


@given(st.lists(st.sampled_from(["a", "ü", "█", "\n", "\r", "\r\n", "b c", "   ", "\r\r"]), max_size=40),
       st.integers(min_value=1, max_value=9))
def test_merged_lines_are_what_a_terminal_shows_whatever_the_reads(pieces, size):
    data = "".join(pieces).encode()
    _, view, _ = follow(data, size)
    assert list(view.log) == terminal_lines(data)


def test_a_flood_of_redraws_is_sampled_per_read_not_parsed_line_by_line():
    bars = "".join("\r" + f"Steps: {i % 100:3d}%|#| {i}/100000 [00:01<00:02,  1.91it/s, step_loss={1 / (i + 1):.6f}]"
                   for i in range(1, 100001)).encode() + b"\n"
    events, view, follower = follow(bars, 1 << 20)
    losses = [e for e in events if isinstance(e, LossEvent)]
    reads = len(bars) // (1 << 20) + 1
    assert reads * 8 <= len(losses) <= reads * 33  # at most PARSED_PER_READ (32) per read
    assert [e.step for e in losses] == sorted(e.step for e in losses)
    assert follower.progress.step == 100000 and losses[-1].step == 100000  # the newest is never skipped
    assert list(view.log) == [terminal_lines(bars)[0]] and follower.lines_seen < 20


def test_skipped_lines_are_never_replaced_by_a_redraw():
    queue = EventQueue(max_lines=3)
    queue.put_lines("r", ["a", "b", "bar 1"])
    queue.put_lines("r", ["c", "d", "e"])  # "a", "b", "bar 1" are dropped unread
    queue.put_lines("r", ["bar 2"], replaces_last=True)  # redraws "e": replaced within the batch
    view = RunView()
    view.run_id = "r"
    view.apply(queue.drain())
    assert list(view.log) == ["d", "bar 2"] and view.skipped == 4
    queue.put_lines("r", ["x", "y", "bar 3"])
    queue.put_lines("r", ["bar 4"], replaces_last=True)  # "x" dropped; the target "bar 3" was kept
    view.apply(queue.drain(2))  # two lines per drain: "bar 4" comes in the next batch
    view.apply(queue.drain(2))
    assert list(view.log) == ["d", "bar 2", "y", "bar 4"] and view.skipped == 5
    drained = queue.drain()
    assert drained == [] or all(not isinstance(e, LinesEvent) for e in drained)


def test_a_merged_progress_line_keeps_every_byte_in_the_log_file(tmp_path):
    argv = [sys.executable, str(FAKE), "--steps", "6"]
    with open(tmp_path / "alone.log", "wb") as fh:  # the trainer's output, nobody reading it
        subprocess.run(argv, stdout=fh, stderr=subprocess.STDOUT, check=True, cwd=str(tmp_path), timeout=60)
    expected = (tmp_path / "alone.log").read_bytes()
    assert expected.count(b"\rSteps:") == 6
    run = TrainingRun.from_request(RunRequest.make(argv, tmp_path), tmp_path / "runs", EventQueue())
    run.start()
    assert run.wait(60) and run.state == "finished"
    assert Path(run.record.log_path).read_bytes() == expected  # byte for byte, every redraw kept
    view = RunView()
    view.apply(run.events.drain(10**6))
    steps = [l for l in view.log if l.startswith("Steps:")]
    assert len(steps) == 1 and "6/6" in steps[0]  # ...while the view shows the bar once
