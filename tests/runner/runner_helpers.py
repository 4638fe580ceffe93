from __future__ import annotations

import sys
import time
from pathlib import Path

from dpg_lora.runner.process import pid_alive

FAKE_TRAINER = Path(__file__).with_name("fake_trainer.py")


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.02):
    """Poll until predicate() is truthy; generous timeouts, never a speed assertion."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(interval)


def read_pids(pidfile: Path) -> dict[str, int]:
    if not pidfile.exists():
        return {}
    pids = {}
    for line in pidfile.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            pids[parts[0]] = int(parts[1])
    return pids


def survivors(pids) -> list[int]:
    return [p for p in pids if pid_alive(p)]



def trainer_argv(*options: str) -> list[str]:
    return [sys.executable, "train_fake.py", *options]
