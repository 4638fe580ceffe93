"""The editor's remembered state (dpg_lora/ui_state.py) held once per window: views `set` keys
as they change, and the file is written when the changes have been quiet for SAVE_AFTER seconds
(a window or splitter being dragged changes it every frame), and at exit.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from dpg_lora.ui_state import UiState, load_ui_state, save_ui_state

SAVE_AFTER = 0.6  # seconds without a change before the file is written


class Remembered:
    """`path` None: remember nothing across starts (tests, screenshots): the state stays in memory."""

    def __init__(self, path: Path | None, clock: Callable[[], float] = time.monotonic):
        self.path = path
        self.state = load_ui_state(path) if path is not None else UiState()
        self.clock = clock
        self.due: float | None = None  # when the unsaved changes are written
        self.problem: str | None = None  # why the last save failed

    def set(self, key: str, value: Any) -> None:
        if self.state.set(key, value) and self.path is not None:
            self.due = self.clock() + SAVE_AFTER

    def next_due(self) -> float | None:
        return self.due

    def poll(self) -> bool:
        """Write the file when its changes are due; True when it wrote (or failed to)."""
        if self.due is None or self.clock() < self.due:
            return False
        self.flush()
        return True

    def flush(self) -> None:
        if self.due is None or self.path is None:
            return
        self.due = None
        try:
            save_ui_state(self.path, self.state)
            self.problem = None
        except OSError as exc:
            self.problem = f"{self.path}: {exc.strerror or exc}"
