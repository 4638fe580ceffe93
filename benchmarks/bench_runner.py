"""Training runner: ingest rate under a flood, line-to-queue delay, memory after a million lines.

Uses the fake trainer from the tests; stamps use time.monotonic(), which is one clock for all
processes on a machine.
"""
from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from report import Row, at_most, info, ratio_at_most  # noqa: E402

FAKE = HERE.parent / "tests" / "runner" / "fake_trainer.py"


def _rss_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def _run(tmp: Path, *options: str, consumer=None):
    from dpg_lora.runner import EventQueue, RunRequest, TrainingRun

    events = EventQueue()
    request = RunRequest.make([sys.executable, str(FAKE), "--steps", "1", *options], tmp)
    run = TrainingRun.from_request(request, tmp / "runs", events, grace=1.0)
    return run, events, follow(run, events, consumer)


def follow(run, events, consumer=None) -> float:
    """Start `run` and wait for its end, with `consumer(events, stop)` draining on a thread;
    returns the wall seconds from start to end."""
    stop = threading.Event()
    thread = None
    if consumer is not None:
        thread = threading.Thread(target=consumer, args=(events, stop), daemon=True)
        thread.start()
    t0 = time.perf_counter()
    run.start()
    run.wait(600)
    elapsed = time.perf_counter() - t0
    stop.set()
    if thread:
        thread.join(10)
    return elapsed


def _frame_consumer(events, stop) -> None:
    """A UI draining once per frame at 60 Hz, as much as the run panel takes per frame."""
    from dpg_lora.runner.view import DRAIN_LINES

    while not stop.is_set():
        events.drain(DRAIN_LINES)
        time.sleep(1 / 60)


def producer_alone_seconds(tmp: Path, n: int) -> float:
    """The fake trainer's flood written straight to a file: the rate nothing can beat."""
    import subprocess

    with open(tmp / "alone.log", "wb") as fh:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(FAKE), "--steps", "1", "--flood", str(n)], stdout=fh,
                       stderr=subprocess.STDOUT, check=True)
        return time.perf_counter() - t0


def flood_rows(tmp: Path) -> list[Row]:
    from dpg_lora.runner.events import MAX_LINES

    gc.collect()
    before = _rss_bytes()
    n = 1_000_000
    alone = producer_alone_seconds(tmp, n)
    run, events, elapsed = _run(tmp, "--flood", str(n), consumer=_frame_consumer)
    seen = run._follower.lines_seen
    growth = _rss_bytes() - before
    pending = len(events)
    events.drain(10**9)
    shown = seen - events.skipped_total
    producer_rate = n / alone
    ingest_rate = seen / elapsed
    return [
        info("runner: fake trainer flooding 1M lines to a file, alone", f"{producer_rate:,.0f} lines/s",
             value=producer_rate, unit="lines/s"),
        # the follower cannot read faster than the trainer writes: judged against the producer alone
        Row("runner: lines/s ingested (1M-line flood, 60 Hz UI drain)", f"{ingest_rate:,.0f} lines/s",
            "ratio >= 0.8", ratio=ingest_rate / producer_rate, baseline=f"producer alone {producer_rate:,.0f}/s",
            passed=ingest_rate / producer_rate >= 0.8, value=ingest_rate, unit="lines/s"),
        at_most("runner: RSS growth after 1M lines", growth / 2**20, 64, "MiB"),
        Row("runner: lines shown / skipped (1M-line flood, 60 Hz UI drain)", f"{shown:,} / {events.skipped_total:,}",
            f"none skipped at {ingest_rate:,.0f} lines/s (goal: up to 250,000)", ratio=shown / max(1, seen),
            baseline="lines ingested", passed=events.skipped_total == 0, value=shown, unit="lines"),
        at_most("runner: queue length at end of flood (lines + events)", pending, MAX_LINES + 10, "items",
                digits=0),
    ]


def _captured_stream(n_lines: int) -> bytes:
    """A trainer-like log: plain lines, tqdm bars redrawn with \r, epochs, a traceback at the end."""
    parts = []
    for i in range(n_lines // 10):
        parts.append(f"2026-12-01 12:00:{i % 60:02d} INFO step bookkeeping line {i} with some text\n")
        if i % 50 == 0:
            parts.append(f"Epoch {i // 50}/100\n")
        for j in range(8):
            step = i * 8 + j
            parts.append(f"\rSteps:  {step % 100:2d}%|#####     | {step}/{n_lines} [01:{step % 60:02d}<02:00, "
                         f" 1.91it/s, step_loss={1 / (step + 1):.4f}, lr=0.0001]")
        parts.append("\n")
    parts.append("Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: boom\n")
    return "".join(parts).encode()


def ingest_rows(tmp: Path) -> list[Row]:
    """The follower over a captured log against the plain read + decode + splitlines of the same
    bytes, both in this process: the ratio is what the parsing costs."""
    from dpg_lora.runner import EventQueue
    from dpg_lora.runner.tail import READ_CHUNK, OutputFollower

    plain_path = tmp / "plain.log"
    plain_path.write_bytes(b"flood line with some text to look like a log entry 0123456789\n" * 500_000)
    mixed_path = tmp / "mixed.log"
    mixed_path.write_bytes(_captured_stream(500_000))
    out: list[Row] = []
    for name, path in (("plain lines", plain_path), ("tqdm + log lines", mixed_path)):
        def plain(path: Path = path) -> int:
            lines = 0
            with open(path, "rb") as fh:
                while data := fh.read(READ_CHUNK):
                    lines += len(data.decode("utf-8", errors="replace").splitlines())
            return lines

        def follower(path: Path = path) -> int:
            events = EventQueue()
            with open(path, "rb") as fh:
                f = OutputFollower("bench", fh, events)
                f.finish()
            return f.lines_seen

        base = min(_timed(plain) for _ in range(3))
        ours = min(_timed(follower) for _ in range(3))
        size = path.stat().st_size / 2**20
        out.append(ratio_at_most(f"runner: follow a {size:.0f} MiB log of {name}", ours * 1000, base * 1000, 3,
                                 "ms", "read+decode+splitlines", digits=0))
    return out


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def stamp_consumer(delays: list[float]):
    """A consumer thread body appending, for each "t=<monotonic> paced" line, its age on arrival."""
    def consumer(events, stop) -> None:
        from dpg_lora.runner import LinesEvent

        while not stop.is_set():
            got = events.drain(10**6)
            now = time.monotonic()
            for e in got:
                if isinstance(e, LinesEvent):
                    for line in e.lines:
                        if line.startswith("t=") and " paced " in line:
                            delays.append(now - float(line[2:].split()[0]))
            time.sleep(0.001)
    return consumer


def latency_rows(tmp: Path) -> list[Row]:
    delays: list[float] = []
    _run(tmp, "--paced", "1000", "--pace", "0.002", consumer=stamp_consumer(delays))
    delays.sort()
    median = statistics.median(delays) * 1000
    p95 = delays[int(0.95 * (len(delays) - 1))] * 1000
    return [
        at_most("runner: line written -> in queue, median", median, 50, "ms"),
        at_most("runner: line written -> in queue, p95", p95, 100, "ms"),
    ]


def rows() -> list[Row]:
    sys.path.insert(0, str(HERE.parent))
    with tempfile.TemporaryDirectory(prefix="bench runner ") as tmp:
        return ingest_rows(Path(tmp)) + flood_rows(Path(tmp)) + latency_rows(Path(tmp))


if __name__ == "__main__":
    for row in rows():
        print(row)
