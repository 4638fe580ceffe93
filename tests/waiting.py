"""Polling for tests that wait on another process or thread."""
from __future__ import annotations

import time


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
