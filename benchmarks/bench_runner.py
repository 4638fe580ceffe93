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
    return run, events, elapsed


def _frame_consumer(events, stop) -> None:
    """A UI draining once per frame at 60 Hz, 2000 lines at most per frame."""
    while not stop.is_set():
        events.drain(2000)
        time.sleep(1 / 60)


def flood_rows(tmp: Path) -> list[tuple[str, str, str]]:
    gc.collect()
    before = _rss_bytes()
    n = 1_000_000
    run, events, elapsed = _run(tmp, "--flood", str(n), consumer=_frame_consumer)
    seen = run._follower.lines_seen
    growth = _rss_bytes() - before
    pending = len(events)
    events.drain(10**9)
    return [
        ("runner: lines/s ingested (1M-line flood, 60 Hz UI drain)", f"{seen / elapsed:,.0f}", ">= 100,000"),
        ("runner: RSS growth after 1M lines", f"{growth / 2**20:.1f} MiB", "< 64 MiB"),
        ("runner: lines shown vs skipped (flood)", f"{seen - events.skipped_total:,} / {events.skipped_total:,}",
         "bounded queue, skips counted"),
        ("runner: queue length at end of flood (lines + events)", f"{pending:,}", "<= 20,000 lines + a few events"),
    ]


def latency_rows(tmp: Path) -> list[tuple[str, str, str]]:
    delays: list[float] = []

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

    _run(tmp, "--paced", "1000", "--pace", "0.002", consumer=consumer)
    delays.sort()
    median = statistics.median(delays) * 1000
    p95 = delays[int(0.95 * (len(delays) - 1))] * 1000
    return [
        ("runner: line written -> in queue, median", f"{median:.1f} ms", "< 50 ms"),
        ("runner: line written -> in queue, p95", f"{p95:.1f} ms", "< 100 ms"),
    ]


def rows() -> list[tuple[str, str, str]]:
    sys.path.insert(0, str(HERE.parent))
    with tempfile.TemporaryDirectory(prefix="bench runner ") as tmp:
        return flood_rows(Path(tmp)) + latency_rows(Path(tmp))


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
