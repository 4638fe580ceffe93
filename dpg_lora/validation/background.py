"""Dataset folder checks off the UI thread: a worker thread scans, the UI polls once per frame."""
from __future__ import annotations

import copy
import queue
import threading
from typing import Callable

from dpg_lora.validation.data_check import DataCheck, check_data


class DataCheckJob:
    """One scan of a compiled config's dataset folders. Never touches any GUI: `poll()` hands
    the result to the caller's thread; `wake` (from the UI) is called once the result is queued."""

    def __init__(self, config: dict, script: str, root: str, revision: int | None = None,
                 wake: Callable[[], None] | None = None, check=check_data):
        """`check(config, script, root, cancelled=...)` does the scan (default: this machine's
        folders; dpg_lora.remote.remote_files.host_check scans a host's)."""
        self.revision = revision
        self._check = check
        self._wake = wake
        self._stop = threading.Event()
        self._done: queue.Queue[DataCheck] = queue.Queue(maxsize=1)
        # The config is copied: the editor keeps editing while the scan runs.
        self._thread = threading.Thread(target=self._run, args=(copy.deepcopy(config), script, root),
                                        name="dpg-lora data check", daemon=True)
        self._thread.start()

    def _run(self, config: dict, script: str, root: str) -> None:
        self._done.put(self._check(config, script, root, cancelled=self._stop.is_set))
        if self._wake is not None:
            self._wake()

    def poll(self) -> DataCheck | None:
        """The result once the scan has finished, else None (never blocks)."""
        try:
            return self._done.get_nowait()
        except queue.Empty:
            return None

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def cancel(self, wait: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(wait)
